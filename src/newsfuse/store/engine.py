"""From a database URL to a connected SQLAlchemy engine, with each backend's settings.

    sqlite:///path.db            a file (WAL, foreign keys on, busy timeout)
    sqlite://                    in memory, one shared connection (tests)
    postgresql://user@host/db    a team server, through psycopg 3

Every failure here is a `StoreError` that says which URL and what to try next.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.pool import StaticPool

from newsfuse.errors import StoreError

DEFAULT_URL = "sqlite:///newsfuse.db"
SQLITE_BUSY_TIMEOUT_MS = 10_000
PG_CONNECT_TIMEOUT_S = 5

# Transactions that will write take SQLite's write lock at BEGIN, so two writers queue on the
# busy timeout instead of one failing when it upgrades a read lock.
WRITE_OPTION = "newsfuse_write"

_URL_HELP = "expected sqlite:///path/to/newsfuse.db or postgresql://user:password@host/dbname"
_SQLITE_DRIVERS = {"sqlite", "sqlite+pysqlite"}
_PG_DRIVERS = {"postgresql", "postgres", "postgresql+psycopg"}

# Options and counts may hold paths or enums; store them as their text.
_json_dumps = functools.partial(json.dumps, default=str, ensure_ascii=False)


def parse_url(url: str) -> URL:
    """The SQLAlchemy URL for a newsfuse database URL, with the psycopg 3 driver for PostgreSQL."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"{url!r} is not a database URL: {_URL_HELP}") from exc
    if parsed.drivername in _SQLITE_DRIVERS:
        return parsed.set(drivername="sqlite")
    if parsed.drivername in _PG_DRIVERS:
        return parsed.set(drivername="postgresql+psycopg")
    raise StoreError(
        f"newsfuse cannot store in {parsed.drivername!r} ({safe_url(parsed)}): {_URL_HELP}"
    )


def safe_url(url: URL) -> str:
    """The URL as it may be printed: without its password."""
    return url.render_as_string(hide_password=True)


def create_store_engine(url: str) -> Engine:
    """An engine for `url` whose first connection has succeeded."""
    parsed = parse_url(url)
    engine = _sqlite_engine(parsed) if parsed.drivername == "sqlite" else _postgres_engine(parsed)
    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        engine.dispose()
        raise StoreError(_connect_failure(parsed, exc)) from exc
    return engine


def _sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    in_memory = database in ("", ":memory:")
    if not in_memory and not Path(database).parent.is_dir():
        raise StoreError(
            f"cannot create SQLite database {database!r}: folder {str(Path(database).parent)!r}"
            " does not exist; create it or choose another path"
        )
    kwargs: dict[str, Any] = {"json_serializer": _json_dumps}
    if in_memory:
        # One shared connection, or each checkout would see a new, empty database.
        kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
    engine = create_engine(url, **kwargs)
    pragmas = _SQLITE_PRAGMAS if in_memory else _SQLITE_PRAGMAS + _SQLITE_FILE_PRAGMAS

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for pragma in pragmas:
                cursor.execute(pragma)
        finally:
            cursor.close()

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


_SQLITE_PRAGMAS = (f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}", "PRAGMA foreign_keys = ON")
# WAL: readers never block the writer. NORMAL sync survives kill -9; only an OS crash can lose
# the last commits, and a re-run ingests those again.
_SQLITE_FILE_PRAGMAS = ("PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL")


def _sqlite_on_begin(connection: Any) -> None:
    write = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _postgres_engine(url: URL) -> Engine:
    return create_engine(
        url,
        pool_pre_ping=True,
        json_serializer=_json_dumps,
        connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S, "application_name": "newsfuse"},
    )


def _connect_failure(url: URL, exc: DBAPIError) -> str:
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    if url.drivername == "sqlite":
        return f"cannot open SQLite database {url.database!r}: {reason}; check the path and rights"
    return (
        f"cannot connect to PostgreSQL at {safe_url(url)}: {reason}. Is the server running, and do "
        "the user, password and database name in the URL exist? (createdb / CREATE ROLE)"
    )
