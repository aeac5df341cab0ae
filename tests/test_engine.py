"""The engine on real databases. PostgreSQL: connections the server ended while they sat in the
pool are replaced as they are checked out, and nobody using the pool sees them fail. SQLite: the
write-ahead log is checkpointed by a thread of the engine's, not by the writers' commits."""

import sqlite3
import threading
import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool
from sqlmodel import Session

from app.auth.service import create_account
from app.db import CHECKPOINT_EVERY_S, WAL_BACKSTOP_PAGES, make_engine
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


def _checkpointing() -> bool:
    return any(t.name == "legwork-sqlite-checkpoint" for t in threading.enumerate())


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_sqlite_log_is_checkpointed_by_a_thread_that_ends_when_writes_stop(
    database: TemporaryDatabase,
) -> None:
    engine = make_engine(database.url)
    path = make_url(database.url).database
    assert path is not None
    try:
        with engine.connect() as connection:
            backstop = connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one()
        assert backstop == WAL_BACKSTOP_PAGES, "writers checkpoint only far behind"
        seen_running = False
        for n in range(300):  # ~600 log pages: writers alone would copy none of them
            with Session(engine) as session:
                create_account(session, f"Writer {n}")
                session.commit()
            seen_running = seen_running or _checkpointing()
        assert seen_running, "a thread checkpoints while commits come"
        deadline = time.monotonic() + 10 * CHECKPOINT_EVERY_S
        while _checkpointing() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _checkpointing(), "no thread kept once the writes stopped"
        other = sqlite3.connect(path)
        try:
            busy, logged, copied = other.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            other.close()
        assert (busy, copied) == (0, logged), "every committed page already in the file"
    finally:
        engine.dispose()
