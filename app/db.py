"""Engine, the request's unit of work and its session dependency, column types and the
metadata naming convention.

Every HTTP request runs in one transaction (`UnitOfWork`): services only `add` and `flush`;
`TransactionMiddleware` commits once, after the route has answered and before the client hears
of it, and rolls back when the answer is an error (a route that has made its whole answer may
finish the unit itself, in its own thread: `UnitOfWork.finish_with`). Anything a service adds
to the session — a change-feed row, an outbox event, an idempotency record — commits with the
change or not at all.
"""

import logging
import select
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from contextlib import AbstractContextManager, suppress
from datetime import UTC, date, datetime
from functools import cache, partial
from typing import Annotated, Any, Protocol, TypeVar

from fastapi import Depends, Request, Response
from sqlalchemy import Connection, Date, DateTime, Engine, event
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.types import TypeDecorator, TypeEngine
from sqlmodel import Session, SQLModel, create_engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.asgi import send_problem
from app.config import get_settings
from app.cpu import ThreadGroup
from app.errors import DatabaseBusyError
from app.metrics import DATABASE_BUSY, POOLS

log = logging.getLogger(__name__)

WRITING = "legwork.writing"  # connection info: this SQLite transaction holds the write gate
SQLITE_POOL_SIZE = 64
# SQLite's page cache is per connection (2 MB by default): with a connection per busy thread it
# multiplies, and the operating system caches the same file pages anyway. 1 MiB each keeps a
# server under load within its memory budget (bench/bench_load.py, "memory").
SQLITE_CACHE_KIB = 1024
# SQLite copies its write-ahead log into the database file (a checkpoint); by default the
# writer whose commit takes the log past 1,000 pages does it, inside that commit, with the write
# gate held: two fsyncs and ~4 MB copied. Logging 1,500 18-set workouts, those commits took
# 5–110 ms each and 85 % of all commit time. A thread of the server checkpoints instead
# (`Checkpointer`); writers do only past this many pages (64 MB), should it fall behind.
WAL_BACKSTOP_PAGES = 16_384
CHECKPOINT_EVERY_S = 0.5
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


SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's own SQLite DATETIME text format


class _SQLiteDateTimeText(sqlite.DATETIME):
    """SQLite's DATETIME in the schema, its text passed through untouched (UTCDateTime reads
    and writes it)."""

    def bind_processor(self, dialect: Dialect) -> None:
        return None

    def result_processor(self, dialect: Dialect, coltype: object) -> None:
        return None


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (naive text) and PostgreSQL.

    On SQLite the text is written and read here, in SQLAlchemy's DATETIME format (so stored
    values, ordering and comparisons are unchanged), with `datetime.fromisoformat` instead of
    the dialect's regular expression: a page of workouts reads hundreds of these."""

    impl = DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type[datetime]:
        return datetime

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(_SQLiteDateTimeText())  # type: ignore[no-untyped-call]
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value.strftime(SQLITE_DATETIME) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: datetime | str | None, dialect: Dialect
    ) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            return datetime.fromisoformat(value).replace(tzinfo=UTC)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class _SQLiteDateText(TypeEngine[str]):
    """SQLite's DATE in the schema, its text passed through untouched (LocalDate reads and
    writes it). Not a Date subclass: pysqlite would swap in its own DATE, with processors."""

    __visit_name__ = "DATE"


class LocalDate(TypeDecorator[date]):
    """A calendar date; on SQLite its `YYYY-MM-DD` text (the dialect's own format, so stored
    values and comparisons are unchanged) is read with `date.fromisoformat` instead of the
    dialect's regular expression: progress over years reads thousands of dates."""

    impl = Date
    cache_ok = True

    @property
    def python_type(self) -> type[date]:
        return date

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(_SQLiteDateText())
        return dialect.type_descriptor(Date())

    def process_bind_param(self, value: date | None, dialect: Dialect) -> date | str | None:
        if value is None or dialect.name != "sqlite":
            return value
        return value.isoformat()

    def process_result_value(self, value: date | str | None, dialect: Dialect) -> date | None:
        return date.fromisoformat(value) if isinstance(value, str) else value

    def result_processor(
        self, dialect: Dialect, coltype: object
    ) -> Callable[[Any], date | None] | None:
        # One call a value on SQLite, not TypeDecorator's three; its usual path elsewhere.
        if dialect.name == "sqlite":
            return _date_from_text
        return super().result_processor(dialect, coltype)


def _date_from_text(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Versioned(Protocol):
    version: int
    updated_at: datetime


def save_new_version(session: Session, row: Versioned) -> None:
    """A changed row's next version (its ETag moves) and time, written now: the UPDATE says
    WHERE version = the one read, so a concurrent change is a conflict, never overwritten."""
    row.version += 1
    row.updated_at = utcnow()
    session.add(row)
    session.flush()


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys, a busy timeout and a write gate."""
    settings = get_settings()
    if not url.startswith("sqlite"):
        engine = create_engine(url, pool_size=settings.db_pool_size, max_overflow=10)
        event.listen(engine.pool, "checkout", partial(_alive_or_replaced, engine.dialect))
        POOLS.track(engine)
        return engine
    # A connection for every thread that may ask for one (anyio's default of 40, and some).
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False},
        pool_size=SQLITE_POOL_SIZE,
        max_overflow=0,
    )
    busy_ms = settings.sqlite_busy_timeout_ms

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _: Any) -> None:
        # Autocommit until the write gate begins a transaction (pysqlite would begin its own).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_BACKSTOP_PAGES}")
        cursor.close()

    path = make_url(url).database
    checkpointer = Checkpointer(path) if path and path != ":memory:" else None
    WriteGate(busy_ms / 1000, checkpointer).install(engine)
    POOLS.track(engine)
    return engine


def _alive_or_replaced(dialect: Dialect, dbapi_connection: Any, *_: Any) -> None:
    """A pooled PostgreSQL connection, checked as it leaves the pool: a server that closed it
    (restarted, or the backend ended) has said so on its socket, which an idle connection
    otherwise leaves silent. Only then is it pinged (SELECT 1), and replaced if the ping fails
    (the pool takes a DisconnectionError as "open a new one"). SQLAlchemy's `pool_pre_ping`
    pinged every checkout: a round trip, and psycopg's BEGIN before it another, of a 1-set
    workout's 11 (bench/bench_load.py)."""
    if dbapi_connection.closed or not _has_unread_bytes(dbapi_connection.fileno()):
        return
    try:
        dialect.do_ping(dbapi_connection)
    except Exception as exc:
        raise DisconnectionError("the server closed the pooled connection") from exc


def _has_unread_bytes(fd: int) -> bool:
    poll = select.poll()  # not select.select: a busy server's descriptors pass 1024
    poll.register(fd, select.POLLIN | select.POLLPRI)
    return bool(poll.poll(0))


class DatabaseBusy(OperationalError):
    """SQLite's write lock was not free within the busy timeout (answered as a 503)."""

    def __init__(self, detail: str) -> None:
        super().__init__(None, None, sqlite3.OperationalError(detail))


class Turns:
    """A lock taken in the order it was asked for. threading.Lock lets a newcomer take it the
    moment it is released, ahead of threads already waiting: under a steady stream of writers
    one of them can wait past the busy timeout (a 503) while later ones pass. Here the releaser
    hands the turn to the longest waiter, so a writer waits for the writers ahead of it only."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._taken = False
        self._waiting: deque[threading.Lock] = deque()

    def take(self, timeout_s: float) -> bool:
        """Wait for the turn, up to `timeout_s`; whether it came."""
        with self._mutex:
            if not self._taken:
                self._taken = True
                return True
            handed = threading.Lock()
            handed.acquire()
            self._waiting.append(handed)
        if handed.acquire(timeout=timeout_s):
            return True
        with self._mutex:
            if handed in self._waiting:
                self._waiting.remove(handed)
                return False
        return True  # handed over between the timeout and the mutex: the turn is ours

    def give_back(self) -> None:
        with self._mutex:
            if self._waiting:
                self._waiting.popleft().release()  # still taken: now by the longest waiter
            else:
                self._taken = False


class WriteGate:
    """SQLite takes one writer at a time. Rather than let a process's writers poll the file
    lock (SQLite's busy handler sleeps, so the lock sits free while they doze, and a starved one
    fails with "database is locked"), they queue here, in the process, and each goes the moment
    the one before commits.

    Until its first write a transaction only reads, each statement on its own (autocommit):
    looking up the token and the athlete takes no lock and costs no BEGIN. At the first write
    statement it passes the gate and begins with BEGIN IMMEDIATE, so the write lock is held
    only from the first write to the commit. What a write depends on is checked again by the
    write itself (versions in UPDATE … WHERE version =, foreign keys)."""

    WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "SAVEPOINT", "CREATE", "DROP", "ALTER")

    def __init__(self, timeout_s: float, checkpointer: "Checkpointer | None" = None) -> None:
        self._turns = Turns()
        self._timeout_s = timeout_s
        self._checkpointer = checkpointer

    def install(self, engine: Engine) -> None:
        event.listen(engine, "before_cursor_execute", self._before_execute)
        event.listen(engine, "commit", partial(self._end, "COMMIT"))
        event.listen(engine, "rollback", partial(self._end, "ROLLBACK"))
        event.listen(engine.pool, "checkin", self._give_back)
        event.listen(engine.pool, "invalidate", self._give_back)
        event.listen(engine.pool, "soft_invalidate", self._give_back)

    def _before_execute(self, connection: Connection, cursor: Any, statement: str, *_: Any) -> None:
        if connection.info.get(WRITING) or not statement.lstrip().upper().startswith(self.WRITES):
            return
        if not self._turns.take(self._timeout_s):
            raise DatabaseBusy(f"no turn to write within {self._timeout_s:g} s")
        try:
            # Another process may hold the lock: SQLite's busy timeout applies here.
            cursor.connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            self._turns.give_back()
            if isinstance(exc, sqlite3.OperationalError):
                raise DatabaseBusy(str(exc)) from exc
            raise
        connection.info[WRITING] = True

    def _end(self, verb: str, connection: Connection) -> None:
        if connection.invalidated or not connection.info.pop(WRITING, False):
            return  # an invalidated connection gives its turn back through the pool event
        # End the transaction here, so the next writer goes only once this one is durable;
        # pysqlite's own commit or rollback then finds no transaction and does nothing.
        try:
            connection.connection.dbapi_connection.execute(verb)  # type: ignore[union-attr]
        except sqlite3.OperationalError as exc:
            raise DatabaseBusy(str(exc)) from exc
        finally:
            self._turns.give_back()
        if self._checkpointer is not None and verb == "COMMIT":
            self._checkpointer.committed()

    def _give_back(self, dbapi_connection: Any, record: Any, *_: Any) -> None:
        # A connection returned or invalidated mid-write (an error in between) gives up its turn.
        if record.info.pop(WRITING, False):
            try:
                if dbapi_connection is not None:
                    with suppress(sqlite3.Error):
                        dbapi_connection.execute("ROLLBACK")
            finally:
                self._turns.give_back()


class Checkpointer:
    """Checkpoints a SQLite file's write-ahead log from a thread of its own, apart from the
    writers (WAL_BACKSTOP_PAGES says why): every CHECKPOINT_EVERY_S while commits come, with a
    connection of its own, PASSIVE (it waits for no reader or writer; frames a reader still
    needs are copied next time). The thread starts at a commit and ends once commits have
    stopped for a while, after a last checkpoint: an idle engine keeps no thread."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._running = False
        self._last_commit = 0.0

    def committed(self) -> None:
        """A writer committed: the log has grown."""
        with self._lock:
            self._last_commit = time.monotonic()
            if self._running:
                return
            self._running = True
        threading.Thread(target=self._run, name="legwork-sqlite-checkpoint", daemon=True).start()

    def _run(self) -> None:
        try:
            connection = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:  # writers have the backstop; the next commit tries again
            log.warning("no checkpoints: %s", exc)
            with self._lock:
                self._running = False
            return
        try:
            while True:
                time.sleep(CHECKPOINT_EVERY_S)
                try:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error as exc:  # the file gone, say: writers have the backstop
                    log.warning("checkpoint failed: %s", exc)
                with self._lock:
                    if time.monotonic() - self._last_commit > 2 * CHECKPOINT_EVERY_S:
                        self._running = False
                        return
        finally:
            connection.close()


@cache
def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for `url` (default: the configured database)."""
    return make_engine(url or get_settings().database_url)


SessionFactory = Callable[[], AbstractContextManager[Session]]
"""`factory()` opens a session whose exit closes it."""


def database_sessions(url: str) -> SessionFactory:
    """Sessions on the database at `url`."""
    return lambda: Session(get_engine(url), expire_on_commit=False)


Answer = TypeVar("Answer", bound=Response)


class UnitOfWork:
    """One request's transaction: its session opens on first use, `commit` makes all of it
    durable at once, and an error answer (`settle`) throws the route's work away."""

    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions
        self._opened: AbstractContextManager[Session] | None = None
        self._session: Session | None = None
        self._settled = False
        self._answer_joins = False

    @property
    def session(self) -> Session:
        if self._session is None:
            self._opened = self._sessions()
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
        self._session.info.clear()  # and what was deferred to the commit (token stamps)
        return True

    def answer_joins(self) -> None:
        """The answer itself is to be written in this unit once the route has made it (an
        Idempotency-Key keeps it): `finish_with` then leaves the commit to the answer's start."""
        self._answer_joins = True

    def finish_with(self, answer: Answer) -> Answer:
        """Finish for `answer`, the route's whole answer, here in the route's thread; then
        `answer`. The commit need not wait for the answer's start: nothing after the route can
        change what it answers. On SQLite the write gate is held to the commit: committed at
        the answer's start, it stayed held while the route's thread handed the answer to the
        event loop, the loop (busy with 32 connections) came round to it, and a finisher
        thread took it up: ~2 ms of a 1-set workout's ~4.5 ms at the gate under load
        (bench/bench_load.py). A commit that fails raises here, answered as any database
        error in a route is (a busy database: 503)."""
        if not self._answer_joins:
            self.finish(answer.status_code)
        return answer

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
        unit = UnitOfWork(scope["app"].state.sessions)
        scope[UNIT_OF_WORK] = unit
        replaced = False

        async def send_after_commit(message: Message) -> None:
            nonlocal replaced
            if message["type"] == "http.response.start" and unit.started:
                status = message["status"]
                failure = await FINISHERS.run(partial(_finish, unit, status, writes))
                if failure is not None:
                    replaced = True
                    await answer_busy(send)
                    return
            if not replaced:
                await send(message)

        try:
            await self.app(scope, receive, send_after_commit)
        finally:
            if unit.started:
                await FINISHERS.run(unit.close)


# Threads that only commit or close units of work, apart from the shared thread pool: on SQLite
# a unit that holds the write gate must always find a thread to commit and give it back, even
# when every pool thread is a writer waiting at the gate.
FINISHERS = ThreadGroup("legwork_finishers", 16)


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


async def answer_busy(send: Send) -> None:
    """Answer 503 `database-busy` with Retry-After from a middleware, and count it."""
    DATABASE_BUSY.inc()
    await send_problem(send, DatabaseBusyError())


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


async def get_unit_of_work(request: Request) -> UnitOfWork:
    """The request's unit of work, for a route that finishes it itself (`finish_with`)."""
    return unit_of_work(request.scope)


UnitOfWorkDep = Annotated[UnitOfWork, Depends(get_unit_of_work)]
