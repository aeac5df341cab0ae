import uuid
from datetime import datetime
from typing import cast

from sqlalchemy import BigInteger, Table
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class Account(SQLModel, table=True):
    """A person using an app, a coach or an integration; owns athletes and tokens."""

    __tablename__ = "accounts"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    change_seq: int = Field(
        default=0,
        sa_type=BigInteger,
        sa_column_kwargs={"server_default": "0"},
        description="The seq of the account's last change (app.changes); locked to count one.",
    )
    changes_pruned_to: int = Field(
        default=0,
        sa_type=BigInteger,
        sa_column_kwargs={"server_default": "0"},
        description="Changes up to this seq are gone from the feed (retention).",
    )


ACCOUNTS = cast(Table, Account.__table__)  # type: ignore[attr-defined]


class ApiToken(SQLModel, table=True):
    """A bearer token; only the SHA-256 of its secret is stored."""

    __tablename__ = "api_tokens"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    account_id: uuid.UUID = Field(foreign_key="accounts.id", ondelete="CASCADE", index=True)
    name: str | None = Field(default=None, max_length=100)
    token_hash: str = Field(max_length=64, unique=True)
    scopes: str = Field(max_length=64, description="Space-separated scopes.")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
