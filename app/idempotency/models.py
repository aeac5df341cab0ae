import uuid
from datetime import datetime

from sqlalchemy import JSON, Column, LargeBinary
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class IdempotencyRecord(SQLModel, table=True):
    """The first answer to a creating POST sent with an Idempotency-Key, replayed on retries.

    Written in the same transaction as the work it answers for."""

    __tablename__ = "idempotency_keys"

    account_id: uuid.UUID = Field(foreign_key="accounts.id", ondelete="CASCADE", primary_key=True)
    key: str = Field(max_length=255, primary_key=True)
    fingerprint: str = Field(max_length=64, description="SHA-256 of method, path and body.")
    status_code: int
    headers: dict[str, str] = Field(sa_column=Column(JSON, nullable=False))
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
