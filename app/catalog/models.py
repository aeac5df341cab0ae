"""Typed shape of a catalog exercise; the data file is validated into these at start-up."""

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.enums import Equipment, Level, Muscle

Slug = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=2, max_length=64)
]


class Pattern(StrEnum):
    hinge = "hinge"
    squat = "squat"
    lunge = "lunge"
    step_up = "step_up"
    bridge = "bridge"
    abduction = "abduction"
    adduction = "adduction"
    calf_raise = "calf_raise"
    plyometric = "plyometric"
    nordic = "nordic"
    leg_curl = "leg_curl"
    leg_extension = "leg_extension"
    core = "core"


class Measure(StrEnum):
    """What one repetition of the exercise is counted in."""

    reps = "reps"
    steps = "steps"
    seconds = "seconds"


class Exercise(BaseModel):
    """One catalog exercise, as the data file holds it and the API shows it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    slug: Slug = Field(description="Stable identifier.", examples=["glute-bridge"])
    name: str = Field(
        min_length=2, max_length=80, description="Human-readable name.", examples=["Glute bridge"]
    )
    primary_muscles: tuple[Muscle, ...] = Field(
        min_length=1, description="The muscles the exercise mainly trains.", examples=[["glutes"]]
    )
    secondary_muscles: tuple[Muscle, ...] = Field(
        default=(), description="Muscles that assist.", examples=[["hamstrings"]]
    )
    equipment: tuple[Equipment, ...] = Field(
        min_length=1, description="Everything needed, all of it.", examples=[["bodyweight"]]
    )
    pattern: Pattern = Field(description="Movement pattern.", examples=["bridge"])
    unilateral: bool = Field(description="Worked one side at a time.", examples=[False])
    level: Level = Field(description="The lowest level the exercise suits.", examples=["beginner"])
    difficulty: int = Field(ge=1, le=5, description="1 (easiest) to 5.", examples=[1])
    measure: Measure = Field(
        default=Measure.reps,
        description="Reps, steps (each way) or seconds (holds).",
        examples=["reps"],
    )
    heavy_eccentric: bool = Field(
        default=False,
        description="Heavy eccentric loading (Nordics, heel drops): kept out of tapers.",
    )
    regression: Slug | None = Field(
        default=None, description="Slug of an easier exercise.", examples=[None]
    )
    progression: Slug | None = Field(
        default=None,
        description="Slug of a harder exercise.",
        examples=["single-leg-glute-bridge"],
    )
    cues: tuple[str, ...] = Field(
        min_length=1,
        description="Form cues.",
        examples=[["Drive through the heels", "Squeeze the glutes at the top"]],
    )
    aliases: tuple[str, ...] = Field(
        default=(),
        description="Names other apps (Strong, Hevy, ...) use for this exercise.",
        examples=[["Glute Bridge"]],
    )
