import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Self

from pydantic import AfterValidator, Field, model_validator

from app.enums import Side
from app.schemas import IsoDateTime, RequestModel, ResponseModel

MAX_EXERCISES = 100
MAX_SETS = 1000
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
FUTURE_ALLOWANCE = timedelta(hours=24)

Reps = Annotated[int, Field(strict=True, ge=0, le=1000, examples=[12])]
LoadKg = Annotated[
    float, Field(strict=True, ge=0, le=1000, description="Kilograms.", examples=[40.0])
]
Rpe = Annotated[
    float,
    Field(
        strict=True,
        ge=0,
        le=10,
        multiple_of=0.5,
        description="RPE 0–10 in steps of 0.5.",
        examples=[7.5],
    ),
]
Rir = Annotated[int, Field(strict=True, ge=0, le=10, description="Reps in reserve.", examples=[2])]
Notes = Annotated[str, Field(max_length=2000, examples=["felt strong"])]
Slug = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        description="A catalog slug or a custom exercise of the account.",
        examples=["glute-bridge"],
    ),
]


class WorkoutSetIn(RequestModel):
    reps: Reps | None = None
    load_kg: LoadKg = 0.0
    rpe: Rpe | None = None
    rir: Rir | None = None
    duration_s: (
        Annotated[int, Field(strict=True, ge=0, le=86_400, description="Seconds, for holds.")]
        | None
    ) = None
    side: Side = Side.both
    warmup: bool = Field(default=False, strict=True, description="A warm-up set: not counted.")

    @model_validator(mode="after")
    def _counted(self) -> Self:
        if self.reps is None and self.duration_s is None:
            raise ValueError("a set needs reps or duration_s")
        return self


class WorkoutExerciseIn(RequestModel):
    exercise: Slug
    notes: Notes | None = None
    sets: list[WorkoutSetIn] = Field(min_length=1, max_length=MAX_SETS)


def _plausible_time(value: datetime) -> datetime:
    if value < EARLIEST:
        raise ValueError("must be after 1900-01-01")
    if value > datetime.now(UTC) + FUTURE_ALLOWANCE:
        raise ValueError("must not be more than 24 h in the future")
    return value.astimezone(UTC)


def _within_set_budget(value: list[WorkoutExerciseIn]) -> list[WorkoutExerciseIn]:
    if sum(len(e.sets) for e in value) > MAX_SETS:
        raise ValueError(f"a workout holds at most {MAX_SETS} sets")
    return value


PerformedAt = Annotated[
    IsoDateTime,
    Field(
        description="When it started, RFC 3339 with offset; at most 24 h ahead.",
        examples=["2026-11-20T18:30:00+01:00"],
    ),
    AfterValidator(_plausible_time),
]
Exercises = Annotated[
    list[WorkoutExerciseIn],
    Field(min_length=1, max_length=MAX_EXERCISES, description="At most 100, with 1000 sets."),
    AfterValidator(_within_set_budget),
]
DurationMin = Annotated[int, Field(strict=True, ge=0, le=1440, examples=[45])]
PlannedSession = Annotated[
    uuid.UUID, Field(description="Id of the planned session this workout carries out.")
]


class WorkoutIn(RequestModel):
    """A whole workout, as POST creates it and PUT replaces it."""

    performed_at: PerformedAt
    duration_min: DurationMin | None = None
    session_rpe: Rpe | None = None
    notes: Notes | None = None
    planned_session: PlannedSession | None = None
    exercises: Exercises


class WorkoutPatch(RequestModel):
    """Fields to change; omitted ones stay; `exercises`, when given, replaces all of them."""

    performed_at: PerformedAt = None  # type: ignore[assignment]
    duration_min: DurationMin | None = None
    session_rpe: Rpe | None = None
    notes: Notes | None = None
    planned_session: PlannedSession | None = None
    exercises: Exercises = None  # type: ignore[assignment]


class WorkoutSetPublic(ResponseModel):
    reps: int | None
    load_kg: float
    rpe: float | None
    rir: int | None
    duration_s: int | None
    side: Side
    warmup: bool


class WorkoutExercisePublic(ResponseModel):
    exercise: str = Field(examples=["glute-bridge"])
    notes: str | None
    sets: list[WorkoutSetPublic]


class WorkoutPublic(ResponseModel):
    id: uuid.UUID
    athlete_id: uuid.UUID
    performed_at: datetime = Field(description="UTC.")
    local_date: date = Field(description="The day it counts for, in the athlete's time zone.")
    duration_min: int | None
    session_rpe: float | None
    notes: str | None
    planned_session: uuid.UUID | None
    exercises: list[WorkoutExercisePublic]
    created_at: datetime
    updated_at: datetime
