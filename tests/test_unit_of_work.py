"""A request's unit of work finished by its route (`UnitOfWork.finish_with`): committed before
the answer leaves the route's thread, unless the answer itself is to be stored with the work
(an Idempotency-Key), on a real database of each backend."""

import sqlite3
from collections.abc import Iterator

import pytest
from fastapi import Response
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app.auth.models import Account
from app.auth.service import create_account
from app.db import UnitOfWork, make_engine
from tests.conftest import BACKENDS
from tests.databases import TemporaryDatabase


@pytest.fixture
def engine_of(database: TemporaryDatabase) -> Iterator[Engine]:
    engine = make_engine(database.url)
    yield engine
    engine.dispose()


def _accounts(engine: Engine) -> int:
    """Accounts another connection sees: what is committed."""
    with Session(engine) as other:
        return int(other.scalar(select(func.count()).select_from(Account)) or 0)


def _write_lock_free(database: TemporaryDatabase) -> bool:
    """Whether another SQLite connection may begin writing at once."""
    path = make_url(database.url).database
    assert path is not None
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc):
            raise
        return False
    finally:
        other.close()


def _unit(engine: Engine) -> UnitOfWork:
    return UnitOfWork(lambda: Session(engine, expire_on_commit=False))


@pytest.mark.parametrize("database", BACKENDS, indirect=True)
def test_finish_with_commits_a_success_and_gives_the_write_lock_back_at_once(
    database: TemporaryDatabase, engine_of: Engine
) -> None:
    unit = _unit(engine_of)
    create_account(unit.session, "Early")
    if database.backend == "sqlite":
        assert not _write_lock_free(database), "the unit writes: it holds the lock"
    answer = Response(status_code=201)
    assert unit.finish_with(answer) is answer
    assert not unit.started, "finished: the session is closed, its connection given back"
    assert _accounts(engine_of) == 1
    if database.backend == "sqlite":
        assert _write_lock_free(database)


@pytest.mark.parametrize("database", BACKENDS, indirect=True)
def test_finish_with_an_error_answer_stores_nothing(
    database: TemporaryDatabase, engine_of: Engine
) -> None:
    unit = _unit(engine_of)
    create_account(unit.session, "Refused")
    unit.finish_with(Response(status_code=409))
    assert not unit.started
    assert _accounts(engine_of) == 0


@pytest.mark.parametrize("database", BACKENDS, indirect=True)
def test_an_answer_that_joins_the_work_leaves_the_commit_to_the_answer(
    database: TemporaryDatabase, engine_of: Engine
) -> None:
    unit = _unit(engine_of)
    unit.answer_joins()
    create_account(unit.session, "Keyed")
    unit.finish_with(Response(status_code=201))
    assert unit.started, "still open for the answer to be written in it"
    assert _accounts(engine_of) == 0
    if database.backend == "sqlite":
        assert not _write_lock_free(database)
    unit.finish(201)  # as the answer starts (app.db.TransactionMiddleware)
    assert _accounts(engine_of) == 1
