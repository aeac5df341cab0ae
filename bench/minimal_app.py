"""The stack's own ceiling: a minimal FastAPI + SQLModel app that inserts one row per POST into
SQLite (or PostgreSQL), with the pragmas Legwork uses. bench_load measures Legwork against it.

    MINIMAL_DATABASE_URL=sqlite:///x.db uvicorn bench.minimal_app:app
"""

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI
from pydantic import BaseModel
from sqlalchemy import event, inspect
from sqlalchemy.exc import DBAPIError
from sqlmodel import Field, Session, SQLModel, create_engine

URL = os.environ.get("MINIMAL_DATABASE_URL", "sqlite:///minimal.db")


class Item(SQLModel, table=True):
    __tablename__ = "minimal_items"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str
    quantity: int
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


class ItemIn(BaseModel):
    name: str
    quantity: int


if URL.startswith("sqlite"):
    engine = create_engine(URL, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _: Any) -> None:
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=5000"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

else:
    engine = create_engine(URL, pool_size=10, max_overflow=10)
try:
    SQLModel.metadata.create_all(engine)
except DBAPIError:  # two workers created it at once: fine if the other one did
    if not inspect(engine).has_table(Item.__tablename__):
        raise


def get_session() -> Iterator[Session]:
    with Session(engine) as session:
        yield session


app = FastAPI()


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/items", status_code=201)
def create_item(body: ItemIn, session: Annotated[Session, Depends(get_session)]) -> Item:
    item = Item(name=body.name, quantity=body.quantity)
    session.add(item)
    session.commit()
    session.refresh(item)
    return item
