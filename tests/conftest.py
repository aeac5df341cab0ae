"""Fixtures: a migrated database per backend, a rolled-back session per test, an HTTP client.

Every database test runs on SQLite, and on PostgreSQL too when LEGWORK_TEST_POSTGRES_URL is set
(`.ci/run` sets it). Without it the PostgreSQL cases are skipped and say which variable to set;
when it is set, an unreachable PostgreSQL is an error, never a skip.
"""

import os
from collections.abc import Iterator
from pathlib import Path

# In-process apps share the test's session: no webhook worker thread beside the tests (the
# webhook tests run workers themselves), and a server key that is not a file in the project.
os.environ["LEGWORK_WORKERS_EMBEDDED"] = "false"
os.environ.setdefault("LEGWORK_SECRET_KEY", "tL2Q4d2eZbV0lKx3Q0m1Vt8r7nRkqG6HqZyW3u9pX2A=")

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from sqlalchemy import Engine
from sqlmodel import Session

from app.cli import migrate_to_head
from app.db import make_engine
from app.main import create_app
from tests.databases import TemporaryDatabase, shared_sessions
from tests.factories import Caller, make_caller

# Hypothesis: `dev` keeps the local loop quick; CI sets HYPOTHESIS_PROFILE=ci for 500 examples
# per property (1000 took the whole run past 20 minutes once the suite grew; the derandomized
# 500 are the same every run). Generation is pure and deterministic, so `derandomize` keeps CI
# reproducible.
settings.register_profile(
    "ci",
    max_examples=500,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

POSTGRES_URL = os.environ.get("LEGWORK_TEST_POSTGRES_URL")
NO_POSTGRES = (
    "PostgreSQL not configured: set LEGWORK_TEST_POSTGRES_URL="
    "postgresql+psycopg://postgres@127.0.0.1:5432/test (.ci/run does)"
)
POSTGRESQL = pytest.param(
    "postgresql", marks=pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)
)
BACKENDS = ["sqlite", POSTGRESQL]


@pytest.fixture
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TemporaryDatabase]:
    """An unmigrated database on the backend of the test's `backend` parameter."""
    database = TemporaryDatabase(request.param, tmp_path, POSTGRES_URL)
    yield database
    database.drop()


@pytest.fixture
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TemporaryDatabase]:
    """A fresh database migrated to head, for real server processes: on the backend the test
    names with `@pytest.mark.parametrize("database", BACKENDS, indirect=True)`."""
    database = TemporaryDatabase(request.param, tmp_path, POSTGRES_URL)
    try:
        migrate_to_head(database.url)
        yield database
    finally:
        database.drop()


@pytest.fixture(scope="session", params=BACKENDS)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A database migrated to head by alembic, shared by the session's tests."""
    database = TemporaryDatabase(request.param, tmp_path_factory.mktemp("db"), POSTGRES_URL)
    migrate_to_head(database.url)
    engine = make_engine(database.url)
    yield engine
    engine.dispose()
    database.drop()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    with engine.connect() as connection:
        transaction = connection.begin()
        with Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        ) as session:
            yield session
        transaction.rollback()


@pytest.fixture
def client(session: Session) -> Iterator[TestClient]:
    """HTTP through the ASGI app, on the test's session."""
    app = create_app()
    app.state.sessions = shared_sessions(session)
    with TestClient(app) as client:
        yield client


@pytest.fixture
def alice(session: Session) -> Caller:
    return make_caller(session, name="Alice")


@pytest.fixture
def bob(session: Session) -> Caller:
    return make_caller(session, name="Bob")
