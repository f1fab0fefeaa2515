"""Alembic environment for newsfuse.

Run from code (`newsfuse.store.migrate`), which hands over an open connection already in a
transaction; or by a developer with the alembic command line, e.g.

    alembic -c src/newsfuse/store/migrations/alembic.ini revision --autogenerate -m "stories"

which connects to `sqlalchemy.url` (or `-x db=URL`) itself.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from newsfuse.store.engine import create_store_engine, parse_url
from newsfuse.store.schema import metadata

config = context.config


def _developer_url() -> str:
    return context.get_x_argument(as_dictionary=True).get("db") or config.get_main_option(
        "sqlalchemy.url", "sqlite:///newsfuse-dev.db"
    )


def _run(connection: Connection) -> None:
    # SQLite DDL is transactional once the engine owns BEGIN (see store/engine.py), so both
    # backends migrate all-or-nothing.
    context.configure(
        connection=connection,
        target_metadata=metadata,
        transactional_ddl=True,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    """`alembic upgrade head --sql`: print the SQL for a DBA instead of running it."""
    context.configure(
        url=parse_url(_developer_url()),
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_store_engine(_developer_url())
    try:
        with engine.begin() as own:
            _run(own)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
