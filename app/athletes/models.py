import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, Integer
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow

ATHLETE_VERSION = Column("version", Integer, nullable=False)


class Athlete(SQLModel, table=True):
    """A runner whose leg work is planned and logged; owned by one account."""

    __tablename__ = "athletes"
    __table_args__ = (Index(None, "account_id", "created_at", "id"),)
    # UPDATE and DELETE say WHERE version = the one read: a change made meanwhile by another
    # request is a conflict, never silently overwritten (app.exception_handlers).
    __mapper_args__ = {"version_id_col": ATHLETE_VERSION, "version_id_generator": False}

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    account_id: uuid.UUID = Field(foreign_key="accounts.id", ondelete="CASCADE")
    name: str = Field(max_length=100)
    timezone: str = Field(max_length=64)
    level: str = Field(max_length=16)
    event: str | None = Field(default=None, max_length=32)
    race_date: date | None = None
    equipment: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    body_mass_kg: float | None = None
    # The running week plans are built around (the generation request's fields); null: unset.
    sessions_per_week: int | None = None
    session_minutes: int | None = None
    long_run_day: str | None = Field(default=None, max_length=16)
    hard_run_days: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # The smallest load change of the athlete's own equipment, kg by equipment; null: defaults.
    load_steps_kg: dict[str, float] | None = Field(
        default=None, sa_column=Column(JSON, nullable=True)
    )
    version: int = Field(default=1, sa_column=ATHLETE_VERSION)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
