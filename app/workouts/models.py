import uuid
from datetime import date, datetime
from typing import cast

from sqlalchemy import BigInteger, Column, Index, Integer, Table, Text, text
from sqlmodel import Field, SQLModel

from app.db import LocalDate, UTCDateTime, utcnow

# SQLite only auto-increments a column declared exactly INTEGER.
BigId = BigInteger().with_variant(Integer(), "sqlite")


WORKOUT_VERSION = Column("version", Integer, nullable=False)


class Workout(SQLModel, table=True):
    """One logged strength session."""

    __tablename__ = "workouts"
    # Versioned like athletes: no lost update between two concurrent writes.
    __mapper_args__ = {"version_id_col": WORKOUT_VERSION, "version_id_generator": False}
    __table_args__ = (
        Index(None, "athlete_id", "performed_at", "id"),
        # Workouts and session load per day or period read from the index alone (progress).
        Index(None, "athlete_id", "local_date", "session_rpe", "duration_min"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    athlete_id: uuid.UUID = Field(foreign_key="athletes.id", ondelete="CASCADE")
    performed_at: datetime = Field(sa_type=UTCDateTime)
    local_date: date = Field(
        sa_type=LocalDate, description="performed_at's date in the athlete's time zone."
    )
    duration_min: int | None = None
    session_rpe: float | None = None
    notes: str | None = Field(default=None, max_length=2000)
    planned_session: uuid.UUID | None = None
    exercises_json: str = Field(
        sa_type=Text,
        description="The exercises and sets as the API shows them (JSON), written with them: "
        "a page of workouts is read from one row each. workout_exercises and workout_sets stay "
        "the record that metrics query; a migration rebuilds this when the shape changes.",
    )
    version: int = Field(default=1, sa_column=WORKOUT_VERSION)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class WorkoutExercise(SQLModel, table=True):
    """An exercise inside a workout, in the order performed."""

    __tablename__ = "workout_exercises"

    workout_id: uuid.UUID = Field(foreign_key="workouts.id", ondelete="CASCADE", primary_key=True)
    position: int = Field(primary_key=True)
    exercise: str = Field(max_length=64, description="Catalog or custom exercise slug.")
    notes: str | None = Field(default=None, max_length=2000)


class WorkoutSet(SQLModel, table=True):
    """One set. athlete_id, local_date and exercise are copied from the workout so progress
    metrics aggregate an athlete's sets by date from one index, without joins."""

    __tablename__ = "workout_sets"
    __table_args__ = (
        Index(None, "athlete_id", "local_date"),
        Index(None, "athlete_id", "exercise", "local_date"),
        Index(None, "workout_id", "exercise_position", "position"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=BigId)
    workout_id: uuid.UUID = Field(foreign_key="workouts.id", ondelete="CASCADE")
    exercise_position: int = Field(description="Position of its WorkoutExercise.")
    athlete_id: uuid.UUID = Field(foreign_key="athletes.id", ondelete="CASCADE")
    local_date: date = Field(sa_type=LocalDate)
    exercise: str = Field(max_length=64)
    position: int
    reps: int | None = None
    load_kg: float = 0.0
    rpe: float | None = None
    rir: int | None = None
    duration_s: int | None = None
    side: str = Field(default="both", max_length=8)
    warmup: bool = False


SIDED = "left_reps > 0 OR right_reps > 0"  # a partial index's condition: spelt out, no parameters


class SetRollup(SQLModel, table=True):
    """An athlete's working sets of one exercise at one load on one local date, summed.

    Written with the sets, in the same transaction (app.workouts.rollups), so progress over
    years groups a few thousand of these by period instead of tens of thousands of sets. The
    e1RM columns follow docs/training.md "Metrics" (reps to failure = reps + RIR, Epley up to
    12). On SQLite the rows are stored in key order (WITHOUT ROWID): an athlete's range is one
    contiguous read."""

    __tablename__ = "set_rollups"
    __table_args__ = (
        # Records per (exercise, load) and their first days, read from this index alone.
        Index(
            "ix_set_rollups_records",
            "athlete_id",
            "exercise",
            "load_kg",
            "local_date",
            "max_reps",
            "max_rtf",
            "e1rm_kg",
        ),
        # The sets done one side at a time, for the balance's asymmetry: most rows are neither.
        Index(
            "ix_set_rollups_sided",
            "athlete_id",
            "local_date",
            "exercise",
            "load_kg",
            "left_reps",
            "right_reps",
            sqlite_where=text(SIDED),
            postgresql_where=text(SIDED),
        ),
        {"sqlite_with_rowid": False},
    )

    athlete_id: uuid.UUID = Field(foreign_key="athletes.id", ondelete="CASCADE", primary_key=True)
    local_date: date = Field(sa_type=LocalDate, primary_key=True)
    exercise: str = Field(max_length=64, primary_key=True)
    load_kg: float = Field(primary_key=True)
    week_start: date = Field(sa_type=LocalDate, description="The Monday of local_date's week.")
    month_start: date = Field(sa_type=LocalDate, description="The first day of local_date's month.")
    sets: int
    reps: int = Field(description="Σ reps (a timed set adds 0).")
    volume_kg: float = Field(description="reps × load_kg.")
    left_reps: int = Field(description="Σ reps of the sets done on the left side.")
    right_reps: int = Field(description="Σ reps of the sets done on the right side.")
    max_reps: int | None = Field(default=None, description="The most reps in one set.")
    max_rtf: float | None = Field(
        default=None, description="The highest reps to failure among e1RM-eligible sets."
    )
    e1rm_kg: float | None = Field(default=None, description="Epley at load_kg and max_rtf.")


class PeriodRollup(SQLModel, table=True):
    """An athlete's working sets of one exercise over one local week or month, summed from the
    set rollups of its dates.

    Kept with the set rollups, in the same transaction (app.workouts.rollups), so progress over
    years by week or month reads one row per (period, exercise) instead of grouping every
    (date, exercise, load) of the range. On SQLite, stored in key order (WITHOUT ROWID)."""

    __tablename__ = "period_rollups"
    __table_args__ = ({"sqlite_with_rowid": False},)

    athlete_id: uuid.UUID = Field(foreign_key="athletes.id", ondelete="CASCADE", primary_key=True)
    period: str = Field(max_length=5, primary_key=True, description="week or month")
    period_start: date = Field(
        sa_type=LocalDate, primary_key=True, description="The Monday, or the 1st of the month."
    )
    exercise: str = Field(max_length=64, primary_key=True)
    sets: int
    reps: int
    volume_kg: float
    e1rm_kg: float | None = Field(default=None, description="The best e1RM of the period.")


class LoadRecord(SQLModel, table=True):
    """An athlete's bests of one exercise at one load over all their history: the raw material
    of the records (app.progress.service.LoadBest), among working sets with ≥ 1 rep.

    Kept with the set rollups (app.workouts.rollups): a new workout raises them in place, an
    edit or a delete sums them again. Progress over the whole history (a career's records)
    reads these rows instead of grouping every (date, exercise, load) of the athlete."""

    __tablename__ = "load_records"
    __table_args__ = ({"sqlite_with_rowid": False},)

    athlete_id: uuid.UUID = Field(foreign_key="athletes.id", ondelete="CASCADE", primary_key=True)
    exercise: str = Field(max_length=64, primary_key=True)
    load_kg: float = Field(primary_key=True)
    first_day: date = Field(sa_type=LocalDate, description="The first day at this load.")
    first_day_reps: int = Field(description="The most reps in one set that day.")
    reps: int = Field(description="The most reps in one set at this load.")
    reps_day: date = Field(sa_type=LocalDate, description="The first day of those reps.")
    e1rm_kg: float | None = Field(default=None, description="The best e1RM at this load.")
    rtf: float | None = Field(default=None, description="Its reps to failure.")
    e1rm_day: date | None = Field(
        default=None, sa_type=LocalDate, description="The first day of that e1RM."
    )


# The tables themselves, for Core statements (bulk inserts, aggregates).
WORKOUTS = cast(Table, Workout.__table__)  # type: ignore[attr-defined]
EXERCISES = cast(Table, WorkoutExercise.__table__)  # type: ignore[attr-defined]
SETS = cast(Table, WorkoutSet.__table__)  # type: ignore[attr-defined]
ROLLUPS = cast(Table, SetRollup.__table__)  # type: ignore[attr-defined]
PERIOD_ROLLUPS = cast(Table, PeriodRollup.__table__)  # type: ignore[attr-defined]
LOAD_RECORDS = cast(Table, LoadRecord.__table__)  # type: ignore[attr-defined]
