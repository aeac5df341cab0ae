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

# What each field means, shared by the request and response models.
SetReps = Annotated[
    int | None,
    Field(
        description="Repetitions done (0–1000); null for a timed set, which gives `duration_s`.",
        examples=[12],
    ),
]
SetLoad = Annotated[
    float,
    Field(
        description="External load in kilograms (0–1000), default 0 = bodyweight only.",
        examples=[40.0],
    ),
]
SetRpe = Annotated[
    float | None,
    Field(
        description="Rating of perceived exertion of the set, 0–10 in steps of 0.5; null when "
        "not rated.",
        examples=[7.5],
    ),
]
SetRir = Annotated[
    int | None,
    Field(
        description="Reps in reserve: how many more reps the set could have had (0–10); null "
        "when not rated. Feeds the e1RM estimate.",
        examples=[2],
    ),
]
SetDuration = Annotated[
    int | None,
    Field(
        description="Length of a timed set (a hold) in seconds (0–86 400); null for a set of "
        "reps. A set gives `reps`, `duration_s` or both.",
        examples=[30],
    ),
]
SetSide = Annotated[
    Side,
    Field(
        description="The leg that did the set: `both` (default), or `left` / `right` for "
        "one-sided work (compared in progress `balance`).",
        examples=["left"],
    ),
]
Warmup = Annotated[
    bool,
    Field(
        description="A warm-up set (default false): left out of sets, volume, e1RM and records.",
        examples=[False],
    ),
]
Notes = Annotated[
    str | None,
    Field(
        description="Free text, up to 2000 characters; null when none.", examples=["felt strong"]
    ),
]
ExerciseSlug = Annotated[
    str,
    Field(
        description="A catalog slug or a custom exercise of the account.",
        examples=["glute-bridge"],
    ),
]
WorkoutMinutes = Annotated[
    int | None,
    Field(
        description="How long the workout took, in minutes (0–1440); null when not recorded.",
        examples=[45],
    ),
]
SessionRpe = Annotated[
    float | None,
    Field(
        description="Session RPE: how hard the whole workout felt, 0–10 in steps of 0.5, rated "
        "after it (Foster 2001); null when not rated. With `duration_min` it gives the session "
        "load (session_rpe × duration_min).",
        examples=[7],
    ),
]
PlannedSession = Annotated[
    uuid.UUID | None,
    Field(
        description="Id of the stored-plan session this workout carries out; null for an "
        "unplanned workout. Counts toward plan adherence.",
        examples=["5c9a1e7d-2f3b-4d6a-8e0c-7b4f1a2d3e5f"],
    ),
]

# Limits on what a client may send.
RPE_SCALE = Field(strict=True, ge=0, le=10, multiple_of=0.5)  # set and session RPE alike
Reps = Annotated[SetReps, Field(strict=True, ge=0, le=1000)]
LoadKg = Annotated[SetLoad, Field(strict=True, ge=0, le=1000)]
Rpe = Annotated[SetRpe, RPE_SCALE]
Rir = Annotated[SetRir, Field(strict=True, ge=0, le=10)]
DurationS = Annotated[SetDuration, Field(strict=True, ge=0, le=86_400)]
DurationMin = Annotated[WorkoutMinutes, Field(strict=True, ge=0, le=1440)]
SessionRpeIn = Annotated[SessionRpe, RPE_SCALE]
NotesIn = Annotated[Notes, Field(max_length=2000)]
Slug = Annotated[ExerciseSlug, Field(min_length=1, max_length=64)]


class WorkoutSetIn(RequestModel):
    reps: Reps = None
    load_kg: LoadKg = 0.0
    rpe: Rpe = None
    rir: Rir = None
    duration_s: DurationS = None
    side: SetSide = Side.both
    warmup: Annotated[Warmup, Field(strict=True)] = False

    @model_validator(mode="after")
    def _counted(self) -> Self:
        if self.reps is None and self.duration_s is None:
            raise ValueError("a set needs reps or duration_s")
        return self


class WorkoutExerciseIn(RequestModel):
    exercise: Slug
    notes: NotesIn = None
    sets: list[WorkoutSetIn] = Field(
        min_length=1,
        max_length=MAX_SETS,
        description="The sets done, in order (1–1000).",
    )


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
        description="When the workout started: RFC 3339 with an offset, at most 24 h in the "
        "future. Stored and returned in UTC.",
        examples=["2026-11-20T18:30:00+01:00"],
    ),
    AfterValidator(_plausible_time),
]
Exercises = Annotated[
    list[WorkoutExerciseIn],
    Field(
        min_length=1,
        max_length=MAX_EXERCISES,
        description="The exercises done, in order: 1–100, with at most 1000 sets in all.",
    ),
    AfterValidator(_within_set_budget),
]


class WorkoutIn(RequestModel):
    """A whole workout, as POST creates it and PUT replaces it."""

    performed_at: PerformedAt
    duration_min: DurationMin = None
    session_rpe: SessionRpeIn = None
    notes: NotesIn = None
    planned_session: PlannedSession = None
    exercises: Exercises


class WorkoutPatch(RequestModel):
    """Fields to change; omitted ones stay; `exercises`, when given, replaces all of them."""

    performed_at: PerformedAt = None  # type: ignore[assignment]
    duration_min: DurationMin = None
    session_rpe: SessionRpeIn = None
    notes: NotesIn = None
    planned_session: PlannedSession = None
    exercises: Exercises = None  # type: ignore[assignment]


class WorkoutSetPublic(ResponseModel):
    reps: SetReps
    load_kg: SetLoad
    rpe: SetRpe
    rir: SetRir
    duration_s: SetDuration
    side: SetSide
    warmup: Warmup


class WorkoutExercisePublic(ResponseModel):
    exercise: ExerciseSlug
    notes: Notes
    sets: list[WorkoutSetPublic] = Field(description="The sets done, in order.")


class WorkoutPublic(ResponseModel):
    id: uuid.UUID = Field(
        description="The workout's id.", examples=["9d2f4b6a-1c3e-4a5b-8d7f-0e1a2b3c4d5e"]
    )
    athlete_id: uuid.UUID = Field(
        description="The athlete who did it.", examples=["0b7e2c1a-5d4f-4e8b-9c3a-6f1d2e7a8b90"]
    )
    performed_at: datetime = Field(
        description="When the workout started, in UTC.", examples=["2026-11-20T17:30:00Z"]
    )
    local_date: date = Field(
        description="The day it counts for, in the athlete's time zone (by `performed_at`).",
        examples=["2026-11-20"],
    )
    duration_min: WorkoutMinutes
    session_rpe: SessionRpe
    notes: Notes
    planned_session: PlannedSession
    exercises: list[WorkoutExercisePublic] = Field(description="The exercises done, in order.")
    created_at: datetime = Field(
        description="When the workout was logged, in UTC.", examples=["2026-11-20T19:02:41Z"]
    )
    updated_at: datetime = Field(
        description="When the workout was logged or last changed, in UTC.",
        examples=["2026-11-20T19:02:41Z"],
    )
