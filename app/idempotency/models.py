import uuid
from datetime import datetime

from sqlalchemy import JSON, Column, Index, LargeBinary
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class IdempotencyRecord(SQLModel, table=True):
    """The first answer to a creating POST sent with an Idempotency-Key, replayed on retries.

    `status_code` is null while the first request is still running."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (Index(None, "created_at"),)

    account_id: uuid.UUID = Field(foreign_key="accounts.id", ondelete="CASCADE", primary_key=True)
    key: str = Field(max_length=255, primary_key=True)
    fingerprint: str = Field(max_length=64, description="SHA-256 of method, path and body.")
    status_code: int | None = None
    headers: dict[str, str] | None = Field(default=None, sa_column=Column(JSON))
    body: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
