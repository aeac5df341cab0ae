"""Engine, session dependency, column types and the metadata naming convention."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from sqlalchemy import Connection, DateTime, Engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, SQLModel, create_engine
from starlette.types import Scope

from app.config import get_settings

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
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (savepoints work then).
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


def app_engine(app: FastAPI, *, writes: bool) -> Engine:
    """The engine of the app's database; for writes, SQLite then locks at BEGIN."""
    engine = get_engine(app.state.database_url)
    return engine.execution_options(**{WRITES: True}) if writes else engine


def get_session(request: Request) -> Iterator[Session]:
    """The request's session: the one its unit of work opened, else a new one."""
    shared = request.scope.get(UNIT_OF_WORK)
    if isinstance(shared, UnitOfWork):
        yield shared.session
        return
    engine = app_engine(request.app, writes=request.method not in READ_METHODS)
    with Session(engine, expire_on_commit=False) as session:
        yield session


@contextmanager
def overridden_session(app: FastAPI) -> Iterator[Session | None]:
    """The session a test's dependency override gives (a Session or a generator), else None."""
    override = app.dependency_overrides.get(get_session)
    produced = override() if override is not None else None
    if produced is None or isinstance(produced, Session):
        yield produced
        return
    try:
        yield next(produced)
    finally:
        produced.close()


@contextmanager
def app_session(app: FastAPI) -> Iterator[Session]:
    """A short writing session for code outside routes (middleware), honouring overrides."""
    with overridden_session(app) as override:
        if override is not None:
            yield override
            return
    with Session(app_engine(app, writes=True), expire_on_commit=False) as session:
        yield session


class UnitOfWork:
    """One transaction around a whole request: the route's commits become savepoints, and only
    `commit()` here makes its work (and whatever the caller adds) durable, all at once."""

    def __init__(self, app: FastAPI) -> None:
        self._connection: Connection | None = None
        self._override = overridden_session(app)
        override = self._override.__enter__()
        if override is not None:  # tests: the session their override gives
            self.session: Session = override
            return
        self._connection = app_engine(app, writes=True).connect()
        self._transaction = self._connection.begin()
        self.session = Session(
            bind=self._connection,
            join_transaction_mode="create_savepoint",
            expire_on_commit=False,
        )

    def attach(self, scope: Scope) -> None:
        """Let `get_session` hand this unit's session to the route."""
        scope[UNIT_OF_WORK] = self

    def commit(self) -> None:
        self.session.flush()
        if self._connection is None:
            self.session.commit()
        else:
            self._transaction.commit()

    def close(self) -> None:
        """Roll back whatever was not committed and give the connection back."""
        if self._connection is None:
            self.session.rollback()
            self._override.__exit__(None, None, None)
            return
        self.session.close()
        if self._transaction.is_active:
            self._transaction.rollback()
        self._connection.close()


SessionDep = Annotated[Session, Depends(get_session)]
