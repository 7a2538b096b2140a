"""Alembic environment: run by :func:`api.core.db.migrate` with an open connection (``config.attributes``)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from api.core.models import Base

target_metadata = Base.metadata


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:  # the alembic command line: sqlalchemy.url from its ini file
        engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
        with engine.begin() as connection:
            context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
            with context.begin_transaction():
                context.run_migrations()
        return
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run()
