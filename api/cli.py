"""The partner API's commands of ``planner``: ``serve`` and ``token create|revoke|list``.

Registered through the ``planner.commands`` entry point (pyproject.toml), so that the library
never imports the service.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from planner.cli.common import console, err_console, fail_bad_input
from planner.domain.errors import Problem

DataDirOption = Annotated[Path | None, typer.Option(
    help="Data directory (default: $PLANNER_DATA_DIR or ./data); DATABASE_URL points at PostgreSQL instead of its SQLite file.")]


def register(app: typer.Typer) -> None:
    """Add ``serve`` and the ``token`` group to the ``planner`` app."""
    app.command()(serve)
    token_app = typer.Typer(help="Bearer tokens of the partner API (stored hashed; shown once).", no_args_is_help=True)
    token_app.command("create")(token_create)
    token_app.command("revoke")(token_revoke)
    token_app.command("list")(token_list)
    app.add_typer(token_app, name="token")


def _api_settings(data_dir: Path | None):  # -> api.core.settings.Settings
    from api.core.settings import Settings

    return Settings(data_dir=data_dir) if data_dir is not None else Settings()


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    data_dir: DataDirOption = None,
) -> None:
    """Start the partner HTTP API (OpenAPI at /docs); migrates the database on start-up."""
    import uvicorn

    from api.main import create_app

    # the audit table records every request: uvicorn's access log would only repeat it
    uvicorn.run(create_app(_api_settings(data_dir)), host=host, port=port, log_level="info", access_log=False)


def _token_sessions(data_dir: Path | None):
    from api.core.db import make_engine, migrate, session_factory

    engine = make_engine(_api_settings(data_dir))
    migrate(engine)
    return session_factory(engine)


def token_create(
    role: Annotated[str, typer.Option(help="coordinator, funder:<funder id> or member:<member id>.")],
    name: Annotated[str, typer.Option(help="Who holds it (a note for the audit).")] = "",
    data_dir: DataDirOption = None,
) -> None:
    """Create a token and print it once (only its hash is stored)."""
    from api.core.auth import create_token, parse_role

    try:
        parse_role(role)
    except ValueError as exc:
        fail_bad_input([Problem("command line", str(exc), column="--role", value=role,
                                expected="coordinator, funder:<id> or member:<id>")], "the command line")
    with _token_sessions(data_dir)() as session:
        row, token = create_token(session, role, name)
    err_console.print(f"Token [bold]{row.id}[/bold] for {role} (shown once; revoke with `planner token revoke {row.id}`):")
    print(token)


def token_revoke(
    token_id: Annotated[str, typer.Argument(help="The token id printed by `planner token create`.")],
    data_dir: DataDirOption = None,
) -> None:
    """Revoke a token: every later request with it gets 401."""
    from api.core.auth import revoke_token

    with _token_sessions(data_dir)() as session:
        row = revoke_token(session, token_id)
    if row is None:
        fail_bad_input([Problem("command line", "unknown token id", value=token_id)], "the command line")
    console.print(f"Token {token_id} revoked.")


def token_list(data_dir: DataDirOption = None) -> None:
    """Tokens: id, role, name, created, revoked (never the secret)."""
    from sqlalchemy import select

    from api.core.models import Token

    table = Table(title="Tokens", title_justify="left")
    for column in ("id", "role", "name", "created", "revoked"):
        table.add_column(column)
    with _token_sessions(data_dir)() as session:
        for t in session.scalars(select(Token).order_by(Token.created_at)):
            table.add_row(t.id, t.role if t.subject is None else f"{t.role}:{t.subject}", t.name,
                          f"{t.created_at:%Y-%m-%d %H:%M}", "" if t.revoked_at is None else f"{t.revoked_at:%Y-%m-%d %H:%M}")
    console.print(table)
