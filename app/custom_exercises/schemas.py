import re
import uuid
from datetime import datetime
from typing import Annotated, Self

from pydantic import Field, model_validator

from app.enums import Equipment, Muscle
from app.schemas import RequestModel, ResponseModel

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

# What each field means, shared by the request and response models.
ExerciseName = Annotated[
    str, Field(description="The exercise's name as apps show it.", examples=["Sled push"])
]
PrimaryMuscles = Annotated[
    list[Muscle],
    Field(
        description="The muscles it mainly trains, at least one; each of its working sets "
        "counts 1 set for each of them in progress.",
        examples=[["quads", "glutes"]],
    ),
]
SecondaryMuscles = Annotated[
    list[Muscle],
    Field(
        description="Muscles that assist (default none, none of them primary); each working "
        "set counts 0.5 set for each of them.",
        examples=[["calves"]],
    ),
]
ExerciseEquipment = Annotated[
    list[Equipment],
    Field(description="Everything it needs (default `bodyweight`).", examples=[["machine"]]),
]
Unilateral = Annotated[
    bool,
    Field(
        description="Done one side at a time (default false); its left and right sets are "
        "compared in progress `balance`.",
        examples=[False],
    ),
]


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:64].strip("-")


class CustomExerciseCreate(RequestModel):
    name: ExerciseName = Field(min_length=1, max_length=100)
    slug: str | None = Field(
        default=None,
        min_length=2,
        max_length=64,
        pattern=SLUG_PATTERN,
        description="Defaults to one made from the name; must not be a catalog slug.",
        examples=["sled-push"],
    )
    primary_muscles: PrimaryMuscles = Field(min_length=1, max_length=len(Muscle))
    secondary_muscles: SecondaryMuscles = Field(default_factory=list, max_length=len(Muscle))
    equipment: ExerciseEquipment = Field(
        default_factory=lambda: [Equipment.bodyweight], max_length=len(Equipment)
    )
    unilateral: Unilateral = Field(default=False, strict=True)

    @model_validator(mode="after")
    def _fill_slug(self) -> Self:
        if self.slug is None:
            self.slug = slugify(self.name)
            if len(self.slug) < 2:
                raise ValueError("give a `slug`: none can be made from this name")
        overlap = set(self.primary_muscles) & set(self.secondary_muscles)
        if overlap:
            raise ValueError(f"{', '.join(sorted(overlap))} cannot be both primary and secondary")
        return self


class CustomExercisePublic(ResponseModel):
    id: uuid.UUID = Field(
        description="The custom exercise's id.", examples=["7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"]
    )
    slug: str = Field(
        description="How workouts and exercise paths name it (`exercise`): unique in the "
        "account and never a catalog slug.",
        examples=["sled-push"],
    )
    name: ExerciseName
    primary_muscles: PrimaryMuscles
    secondary_muscles: SecondaryMuscles
    equipment: ExerciseEquipment
    unilateral: Unilateral
    created_at: datetime = Field(
        description="When it was created, in UTC.", examples=["2026-11-20T17:30:00Z"]
    )
