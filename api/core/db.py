"""Database engine, schema migrations (Alembic ``upgrade head``, run at start-up) and the session dependency."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from api.core.settings import Settings

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
POOL_SIZE = 40  # anyio's thread pool: sync endpoints and dependencies run on at most 40 threads


def make_engine(settings: Settings) -> Engine:
    url = settings.sqlalchemy_url
    if url.startswith("sqlite"):
        settings.dir()  # the data directory holds the file
        # as many connections as the thread pool has threads: none is opened and closed per request
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                               pool_size=POOL_SIZE, max_overflow=10)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=10)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (creates every table on first start)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            # WAL (kept in the file): readers never wait for a worker writing a job's progress
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


async def get_db(request: Request) -> AsyncIterator[Session]:
    """A session per request. Opening one does no I/O (its first query, in a sync endpoint or
    dependency, runs in the thread pool); closing it returns its connection to the pool."""
    with request.app.state.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_db)]
