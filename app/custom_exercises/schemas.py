import re
import uuid
from datetime import datetime
from typing import Annotated, Self

from pydantic import Field, model_validator

from app.enums import Equipment, Muscle
from app.schemas import RequestModel, ResponseModel

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

Muscles = Annotated[list[Muscle], Field(max_length=len(Muscle))]


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:64].strip("-")


class CustomExerciseCreate(RequestModel):
    name: str = Field(min_length=1, max_length=100, examples=["Sled push"])
    slug: str | None = Field(
        default=None,
        min_length=2,
        max_length=64,
        pattern=SLUG_PATTERN,
        description="Defaults to one made from the name; must not be a catalog slug.",
        examples=["sled-push"],
    )
    primary_muscles: Muscles = Field(min_length=1, examples=[["quads", "glutes"]])
    secondary_muscles: Muscles = Field(default_factory=list, examples=[["calves"]])
    equipment: list[Equipment] = Field(
        default_factory=lambda: [Equipment.bodyweight], max_length=len(Equipment)
    )
    unilateral: bool = Field(default=False, strict=True, description="One side at a time.")

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
    id: uuid.UUID
    slug: str = Field(examples=["sled-push"])
    name: str
    primary_muscles: list[Muscle]
    secondary_muscles: list[Muscle]
    equipment: list[Equipment]
    unilateral: bool
    created_at: datetime
