import uuid
from datetime import datetime
from typing import cast

from sqlalchemy import BigInteger, Column, Table
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime


class Change(SQLModel, table=True):
    """One change to an account's data, written in the transaction that made it: the changes
    feed (GET /v1/changes). `seq` counts the account's changes (accounts.change_seq), taken
    under the account row's lock, so an account's changes commit in `seq` order."""

    __tablename__ = "changes"

    account_id: uuid.UUID = Field(foreign_key="accounts.id", ondelete="CASCADE", primary_key=True)
    seq: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    at: datetime = Field(sa_type=UTCDateTime)
    kind: str = Field(max_length=16)
    entity_id: str = Field(max_length=64, description="The id (custom exercises: the slug).")
    athlete_id: uuid.UUID | None = Field(
        default=None, description="The athlete it belongs to (none for custom exercises)."
    )
    op: str = Field(max_length=8)
    etag: str | None = Field(default=None, max_length=64)
    event: str | None = Field(
        default=None,
        max_length=32,
        description="A webhook event this change is, beyond its kind's own (goal.reached).",
    )


CHANGES = cast(Table, Change.__table__)  # type: ignore[attr-defined]
