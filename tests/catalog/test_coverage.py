"""What the generator relies on: the catalog covers every level, setting and major group."""

import itertools

import pytest

from app.catalog.models import Exercise, Measure, Pattern
from app.catalog.service import get_catalog
from app.enums import MAJOR_MUSCLES, SETTING_EQUIPMENT, Equipment, Level, Muscle, Setting

REQUIRED_SLUGS = [
    # The catalog the API documents (docs/api.md)
    "glute-bridge",
    "single-leg-glute-bridge",
    "hip-thrust",
    "romanian-deadlift",
    "single-leg-deadlift",
    "nordic-curl",
    "kettlebell-swing",
    "lateral-band-walk",
    "side-lying-hip-abduction",
    "squat",
    "goblet-squat",
    "split-squat",
    "bulgarian-split-squat",
    "step-up",
    "calf-raise",
    "bent-knee-calf-raise",
    # docs/training.md "Exercises and difficulty"
    "sliding-leg-curl",
    "back-squat",
    "pogo-hops",
    "skipping",
    "bounding",
    "single-leg-hops",
    "drop-jumps",
]

# docs/training.md "Exercises and difficulty": regression → progression.
LADDERS = [
    ["glute-bridge", "single-leg-glute-bridge", "hip-thrust"],
    ["romanian-deadlift", "single-leg-deadlift"],
    ["sliding-leg-curl", "nordic-curl"],
    ["split-squat", "bulgarian-split-squat"],
    ["goblet-squat", "back-squat"],
    ["pogo-hops", "skipping", "bounding", "single-leg-hops", "drop-jumps"],
]

# docs/training.md "Exercises and difficulty" (1 to 5); a range where it gives one.
DIFFICULTY = {
    "glute-bridge": (1, 1),
    "single-leg-glute-bridge": (2, 2),
    "hip-thrust": (3, 3),
    "romanian-deadlift": (2, 3),
    "single-leg-deadlift": (3, 3),
    "sliding-leg-curl": (2, 2),
    "nordic-curl": (4, 4),
    "kettlebell-swing": (3, 3),
    "lateral-band-walk": (1, 1),
    "side-lying-hip-abduction": (1, 1),
    "step-up": (2, 2),
    "split-squat": (2, 2),
    "bulgarian-split-squat": (3, 3),
    "goblet-squat": (2, 2),
    "back-squat": (3, 3),
    "calf-raise": (1, 2),
    "bent-knee-calf-raise": (2, 2),
    "pogo-hops": (2, 2),
    "drop-jumps": (5, 5),
}

BODYWEIGHT_ONLY = "bodyweight-only"
EQUIPMENT_SETS = {
    Setting.home.value: SETTING_EQUIPMENT[Setting.home],
    Setting.gym.value: SETTING_EQUIPMENT[Setting.gym],
    BODYWEIGHT_ONLY: frozenset({Equipment.bodyweight}),
}


def available(level: Level, equipment: frozenset[Equipment]) -> list[Exercise]:
    return [
        e
        for e in get_catalog().exercises
        if e.level.rank <= level.rank and equipment.issuperset(e.equipment)
    ]


def test_size_and_required_slugs() -> None:
    catalog = get_catalog()
    assert len(catalog.exercises) >= 45
    missing = [slug for slug in REQUIRED_SLUGS if catalog.get(slug) is None]
    assert not missing


@pytest.mark.parametrize("where", list(EQUIPMENT_SETS))
@pytest.mark.parametrize("level", list(Level))
@pytest.mark.parametrize("muscle", MAJOR_MUSCLES)
def test_every_major_group_at_every_level_and_setting(
    muscle: Muscle, level: Level, where: str
) -> None:
    primary = [e for e in available(level, EQUIPMENT_SETS[where]) if muscle in e.primary_muscles]
    assert len(primary) >= 2, [e.slug for e in primary]
    assert any(e.unilateral for e in primary), [e.slug for e in primary]


@pytest.mark.parametrize("where", list(EQUIPMENT_SETS))
@pytest.mark.parametrize("level", list(Level))
def test_hip_abductors_everywhere(level: Level, where: str) -> None:
    abductors = [
        e
        for e in available(level, EQUIPMENT_SETS[where])
        if Muscle.hip_abductors in e.primary_muscles
    ]
    assert len(abductors) >= 2, [e.slug for e in abductors]


def test_side_lying_hip_abduction_needs_nothing() -> None:
    exercise = get_catalog().require("side-lying-hip-abduction")
    assert exercise.equipment == (Equipment.bodyweight,)
    assert exercise.level is Level.beginner


def test_every_equipment_and_muscle_is_used() -> None:
    exercises = get_catalog().exercises
    assert {eq for e in exercises for eq in e.equipment} == set(Equipment)
    assert {m for e in exercises for m in e.primary_muscles} == set(Muscle)
    for muscle in (Muscle.adductors, Muscle.core):
        assert len([e for e in exercises if muscle in e.primary_muscles]) >= 2


def test_machine_and_cable_variety() -> None:
    catalog = get_catalog()
    for slug in ("leg-press", "lying-leg-curl", "seated-calf-raise"):
        assert Equipment.machine in catalog.require(slug).equipment
    for slug in ("cable-kickback", "cable-pull-through"):
        assert Equipment.cable in catalog.require(slug).equipment


@pytest.mark.parametrize("ladder", LADDERS, ids=lambda ladder: ladder[0])
def test_domain_ladders(ladder: list[str]) -> None:
    catalog = get_catalog()
    for easier, harder in itertools.pairwise(ladder):
        assert catalog.require(easier).progression == harder
        assert catalog.require(harder).regression == easier
    difficulties = [catalog.require(slug).difficulty for slug in ladder]
    assert difficulties == sorted(difficulties)


def test_every_ladder_gets_no_easier() -> None:
    catalog = get_catalog()
    for exercise in catalog.exercises:
        if exercise.progression is not None:
            harder = catalog.require(exercise.progression)
            assert harder.difficulty >= exercise.difficulty, exercise.slug
            assert harder.regression == exercise.slug


def test_plyometric_ladder_runs_from_2_to_5() -> None:
    catalog = get_catalog()
    ladder = LADDERS[-1]
    assert catalog.require(ladder[0]).difficulty == 2
    assert catalog.require(ladder[-1]).difficulty == 5
    assert all(catalog.require(slug).pattern is Pattern.plyometric for slug in ladder)


@pytest.mark.parametrize(("slug", "bounds"), DIFFICULTY.items())
def test_domain_difficulties(slug: str, bounds: tuple[int, int]) -> None:
    low, high = bounds
    assert low <= get_catalog().require(slug).difficulty <= high


def test_equipment_lists_everything_needed() -> None:
    catalog = get_catalog()
    assert set(catalog.require("hip-thrust").equipment) == {Equipment.barbell, Equipment.bench}
    assert catalog.require("calf-raise").pattern is Pattern.calf_raise
    assert not catalog.require("calf-raise").unilateral
    for exercise in catalog.exercises:
        if Equipment.bodyweight in exercise.equipment:
            assert exercise.equipment == (Equipment.bodyweight,), exercise.slug
        assert len(set(exercise.equipment)) == len(exercise.equipment), exercise.slug


def test_measures() -> None:
    catalog = get_catalog()
    for slug in ("lateral-band-walk", "monster-walk"):
        assert catalog.require(slug).measure is Measure.steps
    for slug in (
        "wall-sit",
        "copenhagen-plank",
        "side-plank",
        "plank",
        "single-leg-glute-bridge-hold",
    ):
        assert catalog.require(slug).measure is Measure.seconds
    assert catalog.require("glute-bridge").measure is Measure.reps


def test_heavy_eccentrics_are_marked_and_heel_drops_left_out() -> None:
    catalog = get_catalog()
    assert catalog.require("nordic-curl").heavy_eccentric
    assert not catalog.require("sliding-leg-curl").heavy_eccentric
    # Alfredson heel drops are rehab only (docs/training.md): not in the catalog.
    assert not [e.slug for e in catalog.exercises if "heel-drop" in e.slug]


def test_cues_names_and_slugs() -> None:
    exercises = get_catalog().exercises
    for exercise in exercises:
        assert 2 <= len(exercise.cues) <= 4, exercise.slug
        assert all(cue.strip() == cue and cue for cue in exercise.cues), exercise.slug
        assert exercise.name[0].isupper(), exercise.slug
    assert len({e.name.casefold() for e in exercises}) == len(exercises)
    assert "custom" not in {e.slug for e in exercises}  # /v1/exercises/custom is another route


def test_aliases_map_to_one_exercise_each() -> None:
    catalog = get_catalog()
    seen: dict[str, str] = {}
    for exercise in catalog.exercises:
        for alias in {a.casefold() for a in (exercise.name, *exercise.aliases)}:
            assert seen.setdefault(alias, exercise.slug) == exercise.slug, alias
    for exercise in catalog.exercises:
        for alias in exercise.aliases:
            assert catalog.by_alias(alias) is exercise
