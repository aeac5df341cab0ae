"""An athlete's stored plan and its sessions (one plan an athlete)."""

import datetime as dt
import uuid

from sqlalchemy import Column, Index, Integer, Text
from sqlmodel import Field, SQLModel

from app.db import LocalDate, UTCDateTime, utcnow

PLAN_VERSION = Column("version", Integer, nullable=False)


class StoredPlan(SQLModel, table=True):
    """The plan as generated for the athlete, with its session ids, and the request it came from."""

    __tablename__ = "plans"
    __mapper_args__ = {"version_id_col": PLAN_VERSION, "version_id_generator": False}

    athlete_id: uuid.UUID = Field(foreign_key="athletes.id", ondelete="CASCADE", primary_key=True)
    request_json: str = Field(sa_type=Text, description="The generation request used (JSON).")
    plan_json: str = Field(sa_type=Text, description="The answer of GET .../plan (JSON).")
    version: int = Field(default=1, sa_column=PLAN_VERSION)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PlanSession(SQLModel, table=True):
    """One session of a stored plan: what `planned_session` names and adherence counts."""

    __tablename__ = "plan_sessions"
    __table_args__ = (Index(None, "athlete_id", "date"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    athlete_id: uuid.UUID = Field(foreign_key="athletes.id", ondelete="CASCADE")
    week: int
    position: int
    date: dt.date = Field(sa_type=LocalDate)
