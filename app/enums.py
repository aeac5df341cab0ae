"""The vocabulary of the API contract (openapi/openapi.json), shared by every domain."""

from collections.abc import Mapping
from enum import StrEnum


class Muscle(StrEnum):
    glutes = "glutes"
    hamstrings = "hamstrings"
    quads = "quads"
    calves = "calves"
    hip_abductors = "hip_abductors"
    adductors = "adductors"
    core = "core"


MAJOR_MUSCLES: tuple[Muscle, ...] = (Muscle.glutes, Muscle.hamstrings, Muscle.quads, Muscle.calves)
POSTERIOR_MUSCLES: tuple[Muscle, ...] = (Muscle.glutes, Muscle.hamstrings)


def posterior_share(sets_by_muscle: Mapping[Muscle, float] | Mapping[str, float]) -> float | None:
    """(glute + hamstring sets) / (sets of the four major groups), primary muscles only;
    None when there are none. The generator keeps it in 0.50–0.70; progress reports it."""
    major = sum(sets_by_muscle.get(m, 0) for m in MAJOR_MUSCLES)
    if not major:
        return None
    return sum(sets_by_muscle.get(m, 0) for m in POSTERIOR_MUSCLES) / major


class Equipment(StrEnum):
    bodyweight = "bodyweight"
    band = "band"
    dumbbell = "dumbbell"
    kettlebell = "kettlebell"
    barbell = "barbell"
    bench = "bench"
    step = "step"
    machine = "machine"
    cable = "cable"


class Setting(StrEnum):
    home = "home"
    gym = "gym"


SETTING_EQUIPMENT: dict[Setting, frozenset[Equipment]] = {
    Setting.home: frozenset(
        {Equipment.bodyweight, Equipment.band, Equipment.step, Equipment.bench, Equipment.dumbbell}
    ),
    Setting.gym: frozenset(Equipment),
}


class Level(StrEnum):
    beginner = "beginner"
    intermediate = "intermediate"
    advanced = "advanced"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]


_LEVEL_RANK = {Level.beginner: 0, Level.intermediate: 1, Level.advanced: 2}


class Event(StrEnum):
    sprint = "sprint"
    middle_distance = "middle_distance"
    five_k = "5k"
    ten_k = "10k"
    half_marathon = "half_marathon"
    marathon = "marathon"
    ultra = "ultra"


class Focus(StrEnum):
    endurance = "endurance"
    strength = "strength"
    power = "power"
    resilience = "resilience"


class Phase(StrEnum):
    base = "base"
    build = "build"
    peak = "peak"
    deload = "deload"
    taper = "taper"


class Weekday(StrEnum):
    monday = "monday"
    tuesday = "tuesday"
    wednesday = "wednesday"
    thursday = "thursday"
    friday = "friday"
    saturday = "saturday"
    sunday = "sunday"

    @property
    def number(self) -> int:
        """0 for Monday, as `date.weekday()` counts."""
        return _WEEKDAY_NUMBER[self]


_WEEKDAY_NUMBER = {day: number for number, day in enumerate(Weekday)}


class Side(StrEnum):
    both = "both"
    left = "left"
    right = "right"


class Scope(StrEnum):
    read = "read"
    write = "write"
