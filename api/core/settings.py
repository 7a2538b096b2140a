"""Service settings (pydantic-settings), read once when the service or a command starts, never at import.

Environment variables: ``PLANNER_DATA_DIR`` (default ``./data``), ``DATABASE_URL`` (default: the SQLite
file ``planner.db`` in the data directory), and ``PLANNER_<FIELD>`` for every field below
(``PLANNER_MAX_UPLOAD_BYTES``, ``PLANNER_MAX_RUNNING_JOBS``...).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLANNER_", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Scenarios, surveys' inputs, plans and the SQLite file.")
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "PLANNER_DATABASE_URL"),
        description="SQLAlchemy URL (e.g. postgresql+psycopg://...); default: sqlite file in data_dir.")
    max_upload_bytes: int = Field(default=50 * 2**20, ge=1024, description="Largest request body accepted.")
    max_unzipped_bytes: int = Field(default=200 * 2**20, ge=1024, description="Largest total size of a zip's files.")
    max_zip_entries: int = Field(default=200, ge=1)
    max_running_jobs: int = Field(default=1, ge=1, description="Solves running at once; others wait in the queue.")
    max_time_limit: float = Field(default=3600.0, gt=0, description="Largest time limit a solve may ask for.")
    job_grace_seconds: float = Field(default=90.0, ge=0.1, description=(
        "Allowance beyond a solve's time limit and explanations (start-up, model, check, writing); then it is killed."))
    monitor_interval: float = Field(default=0.5, gt=0, description="Seconds between two looks at the running jobs.")

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            url = self.database_url
            # Heroku-style URLs name the scheme "postgres"; SQLAlchemy wants "postgresql"
            return "postgresql" + url[len("postgres"):] if url.startswith("postgres:") else url
        return f"sqlite:///{(self.data_dir / 'planner.db').resolve()}"

    def dir(self, *parts: str) -> Path:
        """A folder of the data directory (created)."""
        path = self.data_dir.resolve().joinpath(*parts)
        path.mkdir(parents=True, exist_ok=True)
        return path
