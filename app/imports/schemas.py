"""Shapes of an import's answer and of Legwork's own export (`legwork-export/1`)."""

import uuid
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field

from app.custom_exercises.schemas import CustomExerciseCreate
from app.enums import Muscle
from app.goals.schemas import GoalIn
from app.planning.schemas import GenerationRequest
from app.plans.schemas import StoredPlanPublic
from app.progress.schemas import Format as ExportFormat
from app.schemas import IsoDate, RequestModel, ResponseModel
from app.workouts.schemas import WorkoutIn

EXPORT_FORMAT = "legwork-export/1"
__all__ = ["EXPORT_FORMAT", "ExportFormat", "ImportResult", "ImportSource", "LegworkExport"]


class ImportSource(StrEnum):
    strong = "strong"
    hevy = "hevy"
    auto = "auto"
    legwork = "legwork"


class WeightUnit(StrEnum):
    kg = "kg"
    lb = "lb"


class ImportResult(ResponseModel):
    workouts_created: int = Field(description="Workouts the file added.", examples=[412])
    workouts_skipped: int = Field(
        description="Workouts of the file already imported before (same fingerprint), or twice "
        "in it: nothing new was made for them.",
        examples=[3],
    )
    sets_created: int = Field(description="Sets of the workouts added.", examples=[9876])
    custom_exercises_created: list[str] = Field(
        description="Slugs of the custom exercises made for names the catalog lacks.",
        examples=[["bench-press-barbell"]],
    )
    warnings: list[str] = Field(
        description="What was read in a way worth knowing: skipped empty rows, exercises with "
        "no leg muscle, notes kept for what a set cannot hold.",
        examples=[["empty rows skipped (sets never completed): 2 (lines 11, 40)"]],
    )


class ExportedCustomExercise(CustomExerciseCreate):
    """A custom exercise as exported: its muscles may be none (imported, unclassified)."""

    primary_muscles: list[Muscle] = Field(default_factory=list, max_length=len(Muscle))


class ExportedWorkout(WorkoutIn):
    """A workout as exported (WorkoutPublic); the ids and dates Legwork derives are ignored."""

    name: str | None = Field(
        default=None, max_length=200, description="The title the source app gave it."
    )
    id: uuid.UUID | None = Field(
        default=None, description="Its id where it was exported: what makes it exactly-once."
    )
    athlete_id: Any = None
    local_date: Any = None
    created_at: Any = None
    updated_at: Any = None


class ExportedGoal(GoalIn):
    """A goal as exported: what POST .../goals takes, and when it was set and its baseline."""

    start_date: IsoDate
    baseline: float | None = None


class ExportedPlan(RequestModel):
    """The stored plan as exported: the generation request and the plan with its session ids."""

    request: GenerationRequest
    plan: StoredPlanPublic


class LegworkExport(RequestModel):
    """What `GET .../export?format=json` writes and `?source=legwork` takes back."""

    format: Literal["legwork-export/1"]
    exported_at: Any = None
    athlete: dict[str, Any] | None = None
    custom_exercises: list[ExportedCustomExercise] = Field(default_factory=list)
    plan: ExportedPlan | None = None
    goals: list[ExportedGoal] = Field(default_factory=list)
    workouts: list[ExportedWorkout] = Field(default_factory=list)
