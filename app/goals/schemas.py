"""Goals: what an athlete aims for, and how far along they are."""

import datetime as dt
import uuid
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from app.schemas import IsoDate, RequestModel, ResponseModel


class GoalKind(StrEnum):
    e1rm = "e1rm"  # estimated one-rep max of an exercise, kg
    reps_at_load = "reps_at_load"  # most reps of an exercise at load_kg or more
    hold_seconds = "hold_seconds"  # longest hold of an exercise, s
    weekly_sessions = "weekly_sessions"  # workouts in a week


NEEDS_EXERCISE = frozenset({GoalKind.e1rm, GoalKind.reps_at_load, GoalKind.hold_seconds})

Kind = Annotated[GoalKind, Field(description="What is measured.", examples=["e1rm"])]
Exercise = Annotated[
    str | None,
    Field(
        max_length=64,
        description="Exercise slug; required except for weekly_sessions.",
        examples=["romanian-deadlift"],
    ),
]
Target = Annotated[
    float,
    Field(
        strict=True,
        gt=0,
        le=10_000,
        description="The value to reach: kg, reps, seconds or workouts a week.",
        examples=[100],
    ),
]
LoadKg = Annotated[
    float | None,
    Field(
        strict=True,
        gt=0,
        le=1000,
        description="For reps_at_load: the load the reps count at (or heavier).",
        examples=[None],
    ),
]
TargetDate = Annotated[IsoDate, Field(description="When to reach it.", examples=["2027-04-11"])]
Note = Annotated[
    str | None, Field(max_length=500, description="Why it matters.", examples=["For the hills"])
]


class GoalIn(RequestModel):
    kind: Kind
    exercise: Exercise = None
    target: Target
    load_kg: LoadKg = None
    target_date: TargetDate
    note: Note = None


class GoalPatch(RequestModel):
    """Fields to change; the kind and the exercise stay."""

    target: Target = None  # type: ignore[assignment]
    target_date: TargetDate = None  # type: ignore[assignment]
    note: Note = None


class Milestone(ResponseModel):
    date: dt.date = Field(description="Every 4 weeks from the start, then the target date.")
    target: float = Field(description="Where the measure should be by then (a straight line).")


class GoalPublic(ResponseModel):
    id: uuid.UUID = Field(description="The goal's id.")
    kind: Kind
    exercise: Exercise
    target: float = Field(description="The value to reach.")
    load_kg: float | None = Field(description="For reps_at_load: the load; null otherwise.")
    target_date: dt.date = Field(description="When to reach it.")
    note: str | None = Field(description="Why it matters.")
    start_date: dt.date = Field(description="The day it was set (the athlete's local date).")
    baseline: float | None = Field(
        description="The measure when the goal was set (best of the 4 weeks before; for "
        "weekly_sessions the 7 days before); null when nothing was logged."
    )
    current: float | None = Field(description="The measure now, the same way; null when none.")
    ratio: float | None = Field(
        description="How far from baseline to target, 0–1; null without a baseline."
    )
    on_track: bool = Field(
        description="Reached, or the trend of the last 8 weeks reaches the target by its date."
    )
    projected_date: dt.date | None = Field(
        description="When the least-squares trend of the last 8 weekly values reaches the "
        "target; null when it is flat, falling, or more than two years away."
    )
    reached_on: dt.date | None = Field(
        description="The first day the measure reached the target since the goal was set."
    )
    milestones: list[Milestone] = Field(description="Incremental targets every 4 weeks.")
    created_at: dt.datetime = Field(description="When it was created, in UTC.")
    updated_at: dt.datetime = Field(description="When it was last changed, in UTC.")
