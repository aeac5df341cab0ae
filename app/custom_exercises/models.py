import uuid
from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class CustomExercise(SQLModel, table=True):
    """An exercise an account added beside the catalog; workouts may name it by slug."""

    __tablename__ = "custom_exercises"
    __table_args__ = (UniqueConstraint("account_id", "slug"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    account_id: uuid.UUID = Field(foreign_key="accounts.id", ondelete="CASCADE")
    slug: str = Field(max_length=64)
    name: str = Field(max_length=100)
    primary_muscles: list[str] = Field(sa_column=Column(JSON, nullable=False))
    secondary_muscles: list[str] = Field(sa_column=Column(JSON, nullable=False))
    equipment: list[str] = Field(sa_column=Column(JSON, nullable=False))
    unilateral: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
