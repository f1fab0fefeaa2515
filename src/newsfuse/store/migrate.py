"""Bring a database's schema to the newest revision, with Alembic driven from code.

Opening a store calls `upgrade_schema`; `newsfuse db upgrade` calls `upgrade_database`. Both
find the migrations inside the installed package, so no alembic.ini is needed anywhere.
Adding a table later means adding a file under `migrations/versions/` and the same table to
`schema.py`; the tests check that the two agree.
"""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from newsfuse.errors import StoreError
from newsfuse.store.engine import WRITE_OPTION, create_store_engine, safe_url
from newsfuse.store.records import SchemaVersion

MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")

# Any fixed number: two processes opening one PostgreSQL database at once migrate in turn.
_PG_MIGRATION_LOCK = 0x6E657773  # "news"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for the package's migrations; `env.py` uses `connection` if given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision this version of newsfuse knows."""
    head = _scripts().get_current_head()
    assert head is not None, "the package ships at least one migration"
    return head


def current_revision(connection: Connection) -> str | None:
    """The database's revision, or `None` for a database newsfuse has never touched."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade_schema(engine: Engine) -> SchemaVersion:
    """Migrate the database behind `engine` to the head revision; a no-op when it is there."""
    head = head_revision()
    try:
        with engine.connect() as connection:
            before = current_revision(connection)
        if before == head:
            return SchemaVersion(before=before, after=head)
        _check_known(before, engine)
        with engine.connect() as connection:
            connection.execution_options(**{WRITE_OPTION: True})
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
                    )
                command.upgrade(alembic_config(connection), "head")
    except (DBAPIError, CommandError) as exc:
        raise StoreError(
            f"could not migrate the database at {safe_url(engine.url)} to schema {head}: {exc}"
        ) from exc
    return SchemaVersion(before=before, after=head)


def upgrade_database(url: str) -> SchemaVersion:
    """`newsfuse db upgrade`: migrate the database at `url` to the newest schema."""
    engine = create_store_engine(url)
    try:
        return upgrade_schema(engine)
    finally:
        engine.dispose()


def _check_known(revision: str | None, engine: Engine) -> None:
    if revision is None:
        return
    try:
        _scripts().get_revision(revision)
    except CommandError as exc:
        raise StoreError(
            f"the database at {safe_url(engine.url)} has schema {revision!r}, newer than this"
            " newsfuse knows: upgrade newsfuse, or use another database"
        ) from exc
