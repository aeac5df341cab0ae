"""Throw-away databases for tests and benchmarks: a SQLite file, or a PostgreSQL database
created on a server and dropped afterwards."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app.db import SessionFactory


class TemporaryDatabase:
    """A fresh, empty database on `backend` ("sqlite" or "postgresql")."""

    def __init__(
        self, backend: str, directory: Path, server_url: str | None, prefix: str = "legwork_test"
    ) -> None:
        self.backend = backend
        self._admin: Engine | None = None
        if backend == "sqlite":
            self.url = f"sqlite:///{directory / f'{prefix}-{uuid.uuid4().hex[:8]}.db'}"
            return
        assert server_url, "no PostgreSQL server URL given"
        server = make_url(server_url).set(drivername="postgresql+psycopg")
        self.name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        self._admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with self._admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        self.url = server.set(database=self.name).render_as_string(hide_password=False)

    def drop(self) -> None:
        if self._admin is None:
            return
        with self._admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self._admin.dispose()


def shared_sessions(session: Session) -> SessionFactory:
    """A session factory for `app.state.sessions` that hands every request the test's own
    session (bound to a connection whose transaction the test rolls back). Its commits release
    savepoints; what the test wrote before a request is kept whatever the request does."""

    @contextmanager
    def shared() -> Iterator[Session]:
        session.commit()
        yield session

    return shared


@contextmanager
def count_queries(engine: Engine) -> Iterator[list[str]]:
    """The statements `engine` runs meanwhile, as they are sent."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
