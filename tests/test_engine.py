"""The engine's pool on a real PostgreSQL: connections the server ended while they sat in the
pool are replaced as they are checked out, and nobody using the pool sees them fail."""

import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool

from app.db import make_engine
from tests.conftest import POSTGRESQL
from tests.databases import TemporaryDatabase

POOLED = 4


def _backends(database: TemporaryDatabase) -> list[int]:
    admin = create_engine(make_url(database.url).set(database="postgres"))
    try:
        with admin.connect() as connection:
            return list(
                connection.scalars(
                    text("SELECT pid FROM pg_stat_activity WHERE datname = :name"),
                    {"name": make_url(database.url).database},
                )
            )
    finally:
        admin.dispose()


def _end_backends(database: TemporaryDatabase) -> None:
    """What a restart of the server does to the pool: every connection to the database ended."""
    admin = create_engine(make_url(database.url).set(database="postgres"))
    try:
        with admin.connect() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"
                ),
                {"name": make_url(database.url).database},
            )
            connection.commit()
    finally:
        admin.dispose()
    deadline = time.monotonic() + 10
    while _backends(database) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _backends(database)


@pytest.mark.parametrize("database", [POSTGRESQL], indirect=True)
def test_connections_the_server_ended_are_replaced_as_they_leave_the_pool(
    database: TemporaryDatabase,
) -> None:
    engine = make_engine(database.url)
    try:
        held = [engine.connect() for _ in range(POOLED)]
        for connection in held:
            connection.execute(text("SELECT 1"))
            connection.commit()
        for connection in held:
            connection.close()  # back in the pool, idle
        pool = engine.pool
        assert isinstance(pool, QueuePool)
        assert pool.checkedin() == POOLED
        _end_backends(database)

        again = [engine.connect() for _ in range(POOLED)]
        try:
            for connection in again:  # each checked out of the pool, none of them failing
                assert connection.execute(text("SELECT 1")).scalar_one() == 1
                connection.commit()
            assert len(_backends(database)) == POOLED, "new connections replaced the ended ones"
        finally:
            for connection in again:
                connection.close()
    finally:
        engine.dispose()
