"""Share links: read-only URLs for calendar apps and <img> tags, which cannot send a token."""

import uuid
from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class ShareLink(SQLModel, table=True):
    __tablename__ = "share_links"
    __table_args__ = (Index(None, "athlete_id", "created_at", "id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    athlete_id: uuid.UUID = Field(foreign_key="athletes.id", ondelete="CASCADE")
    # SHA-256 of the secret: the secret itself is shown once and never stored.
    secret_hash: str = Field(max_length=64, unique=True)
    resource: str = Field(max_length=32)
    query_json: str = Field(sa_type=Text, default="{}")
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
