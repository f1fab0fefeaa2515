"""One store suite, two backends: a SQLite file and PostgreSQL.

PostgreSQL comes from NEWSFUSE_TEST_PG_URL, else the local cluster (see .ci/run). Each test
gets its own schema (a fresh, empty database state) that is dropped afterwards, so parallel
runs against one server do not meet. Without a reachable server the PostgreSQL tests skip,
except under CI=true, where they fail: CI must really run them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from newsfuse.store import Store, open_store
from newsfuse.store.engine import parse_url

LOCAL_PG_URLS = (
    "postgresql+psycopg://newsfuse:newsfuse@127.0.0.1:5432/newsfuse_test",
    "postgresql+psycopg://newsfuse@/newsfuse_test?host=/var/run/postgresql",
)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def raw_engine(url: str) -> Engine:
    """A plain engine on a test database, for checks the Store interface does not offer."""
    return create_engine(parse_url(url), poolclass=NullPool, connect_args=_connect_args(url))


def _connect_args(url: str) -> dict[str, object]:
    return {} if url.startswith("sqlite") else {"connect_timeout": 3}


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    configured = os.environ.get("NEWSFUSE_TEST_PG_URL")
    candidates = (configured,) if configured else LOCAL_PG_URLS
    failures = []
    for url in candidates:
        engine = raw_engine(url)
        try:
            with engine.connect():
                return url
        except DBAPIError as exc:
            failures.append(f"{parse_url(url).render_as_string()}: {str(exc.orig).strip()}")
        finally:
            engine.dispose()
    reason = (
        "PostgreSQL is not reachable (" + "; ".join(failures) + "). Start it and create the "
        "role and database as .ci/run does, or set NEWSFUSE_TEST_PG_URL"
    )
    if _in_ci():
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def pg_url(pg_server_url: str) -> Iterator[str]:
    """A URL whose connections live in a new, empty schema of their own."""
    schema = f"nf_test_{uuid.uuid4().hex[:12]}"
    admin = raw_engine(pg_server_url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = parse_url(pg_server_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{os.path.join(tmp_path, 'newsfuse.db')}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def raw_db(store_url: str) -> Iterator[Engine]:
    """A plain engine on the test database, for checks the Store interface does not offer."""
    engine = raw_engine(store_url)
    yield engine
    engine.dispose()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as opened:
        yield opened


@pytest.fixture
def run_id(store: Store) -> int:
    return store.start_run(["tests/store"], {"purpose": "test"})
