import uuid
from datetime import datetime
from typing import cast

from sqlalchemy import JSON, BigInteger, Column, Index, LargeBinary, Table, Text
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class Webhook(SQLModel, table=True):
    """A subscription: the account's changes feed (app.changes), filtered by event type,
    delivered in order to `url`. `cursor_seq` is the last change handled; the worker leases the
    webhook (`lease_until`) while it delivers, so two workers never deliver for one webhook."""

    __tablename__ = "webhooks"
    __table_args__ = (Index(None, "account_id", "created_at", "id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    account_id: uuid.UUID = Field(foreign_key="accounts.id", ondelete="CASCADE")
    url: str = Field(max_length=2048)
    events: list[str] = Field(sa_column=Column(JSON, nullable=False))
    description: str | None = Field(default=None, max_length=200)
    secret_sealed: bytes = Field(
        sa_column=Column(LargeBinary, nullable=False),
        description="The signing secret, encrypted with the server key (app.keys).",
    )
    active: bool = True
    cursor_seq: int = Field(default=0, sa_type=BigInteger)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class WebhookDelivery(SQLModel, table=True):
    """One event sent (or being sent) to one webhook, with its attempts."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index(None, "webhook_id", "created_at", "id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    webhook_id: uuid.UUID = Field(foreign_key="webhooks.id", ondelete="CASCADE")
    event_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str = Field(max_length=32)
    change_seq: int | None = Field(default=None, sa_type=BigInteger)
    payload: str = Field(sa_type=Text, description="The JSON body sent, byte for byte.")
    status: str = Field(default="pending", max_length=12)  # pending, delivered, failed
    attempts: int = 0
    last_status_code: int | None = None
    last_error: str | None = Field(default=None, max_length=300)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


WEBHOOKS = cast(Table, Webhook.__table__)  # type: ignore[attr-defined]
DELIVERIES = cast(Table, WebhookDelivery.__table__)  # type: ignore[attr-defined]
