"""The training science as tables: focus doses, weekly volumes, roles, the Nordic steps,
the taper's numbers (docs/training.md)."""

from dataclasses import dataclass
from enum import StrEnum

from app.catalog.models import Pattern
from app.enums import (
    Equipment,
    Event,
    Focus,
    Level,
    Muscle,
)

# ---------------------------------------------------------------------------------------------
# The science, as tables (docs/training.md)

DEFAULT_FOCUS: dict[Event, Focus] = {
    Event.sprint: Focus.power,
    Event.middle_distance: Focus.strength,
    Event.five_k: Focus.strength,
    Event.ten_k: Focus.strength,
    Event.half_marathon: Focus.endurance,
    Event.marathon: Focus.endurance,
    Event.ultra: Focus.endurance,
}

# Weekly working sets per major group ⚠ (runners need far less than hypertrophy volumes).
LEVEL_WEEKLY_SETS: dict[Level, tuple[int, int]] = {
    Level.beginner: (4, 8),
    Level.intermediate: (6, 10),
    Level.advanced: (8, 14),
}

POSTERIOR_SHARE_RANGE = (0.5, 0.7)
WARMUP_MIN = 5
WARMUP_SHORTEST = 3
SHORTEST_REST_S = 30
PLYOMETRIC_SETS = 3  # 3 × 10–15 contacts: 30–45 a session (30–80 ⚠), more for one-leg hops
PLYOMETRIC_EVENTS = frozenset({Event.five_k, Event.ten_k, Event.half_marathon, Event.marathon})
PLYOMETRIC_WEEKS_PER_STEP = 2  # one ladder step at a time, never two in a week
ABDUCTOR_SETS = 3  # the seed's lateral band walk: 3 sets of 10–15 steps each way
DEFAULT_WEEKS = 8
DELOAD_EVERY = 4
DELOAD_SHARE = 0.6  # a deload week holds at most 60% of the previous week's sets (Bell 2023)
OVERLOAD_STEP = 1.2  # at most 20% more sets week over week inside a phase
RACE_WEEK_SHARE = 0.5  # race week: at most half the peak week's sets
LAST_SESSION_DAYS = 4  # the race-week session ends at least 4 days before the race
MAINTENANCE_ONLY_DAYS = 21  # a plan starting ≤ 3 weeks before the race only maintains
MAX_REP_STEPS = 2  # reps rise twice inside a block, then the load does
TAPER_DAYS = 10  # no new exercise and no heavy eccentric work in the last 10 days
NORDIC_MIN_WEEKS = 4  # base + build weeks needed before a Nordic progression is started
NORDIC_MIN_MINUTES = 30  # shorter sessions have no room for the progression's growing sets


@dataclass(frozen=True, slots=True)
class FocusDose:
    """One row of the focus table (docs/training.md "Focus and prescription"), for one level."""

    sets: tuple[int, int]
    reps: tuple[int, int]
    rir: tuple[int, int]
    rest_s: tuple[int, int]


def focus_dose(focus: Focus, level: Level) -> FocusDose:
    """The working-set prescription of a focus (docs/training.md "Focus and prescription")."""
    if focus is Focus.endurance:
        return FocusDose(sets=(2, 3), reps=(12, 20), rir=(2, 3), rest_s=(30, 60))
    if focus is Focus.strength:
        if level is Level.beginner:
            return FocusDose(sets=(2, 3), reps=(8, 12), rir=(2, 3), rest_s=(120, 180))
        return FocusDose(sets=(3, 4), reps=(5, 8), rir=(2, 3), rest_s=(120, 180))
    if focus is Focus.power:
        return FocusDose(sets=(3, 5), reps=(3, 6), rir=(3, 4), rest_s=(120, 180))
    return FocusDose(sets=(2, 3), reps=(5, 8), rir=(2, 3), rest_s=(60, 90))


@dataclass(frozen=True, slots=True)
class NordicStep:
    """One step of the Mjølsnes 2004 Nordic progression."""

    step: int
    per_week: int
    sets: int
    reps: tuple[int, int]


# Week 1: 1×/week 2×5; week 2: 2×/week 2×6; week 3: 3×6–8; week 4: 3×8–10; then 12, 10, 8.
NORDIC_STEPS: tuple[NordicStep, ...] = (
    NordicStep(1, 1, 2, (5, 5)),
    NordicStep(2, 2, 2, (6, 6)),
    NordicStep(3, 3, 3, (6, 8)),
    NordicStep(4, 3, 3, (8, 10)),
    NordicStep(5, 3, 3, (8, 12)),
)


class Role(StrEnum):
    """The job an exercise does in a session."""

    glutes = "glutes"
    hamstrings = "hamstrings"
    quads = "quads"
    calves = "calves"
    abductors = "abductors"
    accessory = "accessory"


# Enum members that code running for every item of every week compares with are named once
# here: in Python 3.11 each `Role.abductors` in such code is a lookup on the enum class costing
# ~20 times a tuple's constant.
MAJOR_ROLES = (Role.glutes, Role.hamstrings, Role.quads, Role.calves)
MINOR_ROLES = (Role.abductors, Role.accessory)  # their sets count for their own muscles
ROLE_MUSCLE = {
    Role.glutes: Muscle.glutes,
    Role.hamstrings: Muscle.hamstrings,
    Role.quads: Muscle.quads,
    Role.calves: Muscle.calves,
}
ROLE_PATTERNS: dict[Role, frozenset[Pattern]] = {
    Role.glutes: frozenset({Pattern.bridge, Pattern.hinge}),
    Role.hamstrings: frozenset({Pattern.hinge, Pattern.leg_curl, Pattern.bridge}),
    Role.quads: frozenset({Pattern.squat, Pattern.lunge, Pattern.step_up, Pattern.leg_extension}),
    Role.calves: frozenset({Pattern.calf_raise, Pattern.plyometric}),
}
# The multi-joint backbone (docs/training.md "Choosing the exercises"): where the equipment allows,
# the hamstring slot is a hinge and the quad slot a knee-dominant lift from these lists.
BACKBONE: dict[Role, frozenset[str]] = {
    Role.hamstrings: frozenset(
        {
            "romanian-deadlift",
            "dumbbell-romanian-deadlift",
            "single-leg-deadlift",
            "kettlebell-swing",
            "deadlift",
            "good-morning",
        }
    ),
    Role.quads: frozenset(
        {
            "squat",
            "goblet-squat",
            "back-squat",
            "front-squat",
            "leg-press",
            "split-squat",
            "bulgarian-split-squat",
            "reverse-lunge",
            "dumbbell-lunge",
            "walking-lunge",
            "step-up",
            "single-leg-box-squat",
            "pistol-squat",
        }
    ),
}
# The seed article's own lifts: the first choices where equipment and level allow.
FIRST_CHOICES: dict[Role, frozenset[str]] = {
    Role.hamstrings: frozenset(
        {
            "romanian-deadlift",
            "dumbbell-romanian-deadlift",
            "kettlebell-swing",
            "single-leg-deadlift",
        }
    ),
    Role.glutes: frozenset({"glute-bridge"}),
    Role.abductors: frozenset({"lateral-band-walk"}),
}
# Marathon and ultra plans load the soleus (Dorn 2012): the bent-knee raises come first.
SOLEUS_RAISES = frozenset({"bent-knee-calf-raise", "seated-calf-raise"})
SOLEUS_EVENTS = frozenset({Event.marathon, Event.ultra})
# Equipment that puts a load in the hands or on the body.
LOADS = frozenset(
    {
        Equipment.dumbbell,
        Equipment.kettlebell,
        Equipment.barbell,
        Equipment.machine,
        Equipment.cable,
    }
)
# Patterns whose bodyweight version takes a held dumbbell or kettlebell (goblet, on the hips,
# at the sides) when the athlete has one.
HOLDS_A_WEIGHT = frozenset(
    {
        Pattern.bridge,
        Pattern.squat,
        Pattern.lunge,
        Pattern.step_up,
        Pattern.calf_raise,
        Pattern.hinge,
    }
)
SINGLE_JOINT = frozenset(
    {
        Pattern.bridge,
        Pattern.leg_curl,
        Pattern.leg_extension,
        Pattern.calf_raise,
        Pattern.abduction,
        Pattern.adduction,
        Pattern.core,
        Pattern.nordic,
    }
)
EVENT_NAMES = {
    Event.sprint: "sprint",
    Event.middle_distance: "middle-distance race",
    Event.five_k: "5k",
    Event.ten_k: "10k",
    Event.half_marathon: "half marathon",
    Event.marathon: "marathon",
    Event.ultra: "ultra",
}
