import uuid
from datetime import datetime
from typing import cast

from sqlalchemy import Table
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class ImportedWorkout(SQLModel, table=True):
    """A workout an import created, by its fingerprint: the same workout in a later file (the
    same file again, or a longer export) is recognised and skipped. Deleting the workout
    deletes its fingerprint, so a new import brings it back."""

    __tablename__ = "imported_workouts"

    athlete_id: uuid.UUID = Field(foreign_key="athletes.id", ondelete="CASCADE", primary_key=True)
    fingerprint: str = Field(
        max_length=64,
        primary_key=True,
        description="SHA-256 (hex) of the source, start time, name and sets (docs/imports.md).",
    )
    workout_id: uuid.UUID = Field(foreign_key="workouts.id", ondelete="CASCADE", index=True)
    source: str = Field(max_length=16)
    name: str = Field(
        max_length=200,
        description="The workout's title in the source app (Legwork workouts have none); the "
        "exports write it back.",
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


IMPORTED = cast(Table, ImportedWorkout.__table__)  # type: ignore[attr-defined]
