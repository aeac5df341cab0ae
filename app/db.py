"""Engine, the request's unit of work and its session dependency, column types and the
metadata naming convention.

Every HTTP request runs in one transaction (`UnitOfWork`): services only `add` and `flush`;
`TransactionMiddleware` commits once, after the route has answered and before the client hears
of it, and rolls back when the answer is an error. Anything a service adds to the session — a
change-feed row, an outbox event, an idempotency record — commits with the change or not at all.
"""

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any

import anyio.to_thread
from fastapi import Depends, Request
from sqlalchemy import DateTime, Engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import OperationalError
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, SQLModel, create_engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.asgi import send_problem
from app.config import get_settings

log = logging.getLogger(__name__)

WRITES = "legwork_writes"  # execution option: this transaction will write
UNIT_OF_WORK = "legwork.unit_of_work"  # ASGI scope key
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Named constraints make migrations readable and let alembic drop them on every database.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (naive text) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type[datetime]:
        return datetime

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys, a busy timeout and real transactions."""
    settings = get_settings()
    if not url.startswith("sqlite"):
        return create_engine(
            url, pool_pre_ping=True, pool_size=settings.db_pool_size, max_overflow=10
        )
    engine = create_engine(url, connect_args={"check_same_thread": False})
    busy_ms = settings.sqlite_busy_timeout_ms

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A transaction that will write takes the write lock up front: upgrading a read lock
        # later fails at once with "database is locked", without waiting for busy_timeout.
        immediate = connection.get_execution_options().get(WRITES, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@cache
def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for `url` (default: the configured database)."""
    return make_engine(url or get_settings().database_url)


SessionFactory = Callable[[bool], AbstractContextManager[Session]]
"""`factory(writes)` opens a session whose exit closes it; `writes`: the request will write."""


def database_sessions(url: str) -> SessionFactory:
    """Sessions on the database at `url`; on SQLite, a writing one locks at BEGIN."""

    def open_session(writes: bool) -> Session:
        engine = get_engine(url)
        bind = engine.execution_options(**{WRITES: True}) if writes else engine
        return Session(bind, expire_on_commit=False)

    return open_session


class UnitOfWork:
    """One request's transaction: its session opens on first use, `commit` makes all of it
    durable at once, and an error answer (`settle`) throws the route's work away."""

    def __init__(self, sessions: SessionFactory, *, writes: bool) -> None:
        self._sessions = sessions
        self._writes = writes
        self._opened: AbstractContextManager[Session] | None = None
        self._session: Session | None = None
        self._settled = False

    @property
    def session(self) -> Session:
        if self._session is None:
            self._opened = self._sessions(self._writes)
            self._session = self._opened.__enter__()
        return self._session

    @property
    def started(self) -> bool:
        return self._session is not None

    def settle(self, status: int) -> bool:
        """Once the app has answered: roll its work back if the answer is an error (≥ 400).
        Returns whether it rolled back; only the first call decides."""
        if self._settled:
            return False
        self._settled = True
        if status < 400 or self._session is None:
            return False
        self._session.rollback()
        return True

    def finish(self, status: int) -> None:
        """Settle for the answer's status, commit what is left (the one commit of the
        request), close."""
        try:
            self.settle(status)
            if self._session is not None:
                self._session.commit()
        finally:
            self.close()

    def close(self) -> None:
        """Roll back whatever was not committed and give the connection back."""
        if self._session is None or self._opened is None:
            return
        try:
            self._session.rollback()
        finally:
            self._opened.__exit__(None, None, None)
            self._session = self._opened = None


class TransactionMiddleware:
    """Gives each HTTP request a `UnitOfWork` and commits it once, when the answer starts: a
    client that hears 2xx finds the work stored. The factory is read from `app.state.sessions`
    on every request, so a test or a benchmark may swap it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        writes = scope["method"] not in READ_METHODS
        unit = UnitOfWork(scope["app"].state.sessions, writes=writes)
        scope[UNIT_OF_WORK] = unit
        replaced = False

        async def send_after_commit(message: Message) -> None:
            nonlocal replaced
            if message["type"] == "http.response.start" and unit.started:
                failure = await anyio.to_thread.run_sync(_finish, unit, message["status"], writes)
                if failure is not None:
                    replaced = True
                    await send_problem(
                        send,
                        503,
                        "database-busy",
                        "The database was too busy to store this request; nothing was "
                        "stored. Retry shortly.",
                        headers={"Retry-After": "1"},
                    )
                    return
            if not replaced:
                await send(message)

        try:
            await self.app(scope, receive, send_after_commit)
        finally:
            if unit.started:
                await anyio.to_thread.run_sync(unit.close)


def _finish(unit: UnitOfWork, status: int, writes: bool) -> OperationalError | None:
    """Finish the unit; an OperationalError (a busy or lost database) is returned for a writing
    request and only logged for a reading one, whose answer stands."""
    try:
        unit.finish(status)
    except OperationalError as exc:
        log.warning("commit failed: %s", type(exc.orig).__name__ if exc.orig else exc)
        if writes:
            return exc
    return None


def unit_of_work(scope: Scope) -> UnitOfWork:
    """The request's unit of work (set by TransactionMiddleware)."""
    unit = scope.get(UNIT_OF_WORK)
    if not isinstance(unit, UnitOfWork):
        raise RuntimeError("TransactionMiddleware is not installed")
    return unit


async def get_session(request: Request) -> Session:
    """The request's session; the request's unit of work commits it."""
    return unit_of_work(request.scope).session


SessionDep = Annotated[Session, Depends(get_session)]
