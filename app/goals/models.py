"""An athlete's goals: a target for a measure of their logs, by a date."""

import datetime as dt
import uuid

from sqlalchemy import Column, Index, Integer, false
from sqlmodel import Field, SQLModel

from app.db import LocalDate, UTCDateTime, utcnow

GOAL_VERSION = Column("version", Integer, nullable=False)


class Goal(SQLModel, table=True):
    __tablename__ = "goals"
    __table_args__ = (Index(None, "athlete_id", "created_at", "id"),)
    __mapper_args__ = {"version_id_col": GOAL_VERSION, "version_id_generator": False}

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    athlete_id: uuid.UUID = Field(foreign_key="athletes.id", ondelete="CASCADE")
    kind: str = Field(max_length=16)
    exercise: str | None = Field(default=None, max_length=64)
    target: float
    load_kg: float | None = None
    target_date: dt.date = Field(sa_type=LocalDate)
    note: str | None = Field(default=None, max_length=500)
    # The measure on the day the goal was set (the athlete's local date), from the logs.
    start_date: dt.date = Field(sa_type=LocalDate)
    baseline: float | None = None
    reached_announced: bool = Field(
        default=False,
        sa_column_kwargs={"server_default": false()},
        description="goal.reached was sent (app.webhooks): once a goal.",
    )
    version: int = Field(default=1, sa_column=GOAL_VERSION)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
