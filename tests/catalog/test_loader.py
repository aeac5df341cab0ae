"""The data file loader: the real file loads; broken files fail naming the entry and the field."""

import json
from pathlib import Path
from typing import Any

import pytest

from app.catalog.models import Exercise
from app.catalog.service import (
    DEFAULT_CATALOG_PATH,
    Catalog,
    CatalogError,
    get_catalog,
    load_catalog,
)
from app.enums import Equipment, Level, Muscle, Setting
from app.errors import NotFound

Entry = dict[str, Any]


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | str):
        return json.dumps(value)  # JSON strings and integers are valid TOML
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(value)


def write_catalog(directory: Path, entries: list[Entry]) -> Path:
    """`entries` as a catalog data file named like the real one."""
    lines: list[str] = []
    for entry in entries:
        lines.append("[[exercise]]")
        lines.extend(f"{key} = {toml_value(value)}" for key, value in entry.items())
        lines.append("")
    path = directory / "exercises.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def real_entries() -> list[Entry]:
    """The shipped catalog as plain data, to break one field at a time."""
    return [
        exercise.model_dump(mode="json", exclude_none=True) for exercise in get_catalog().exercises
    ]


def index_of(entries: list[Entry], slug: str) -> int:
    return next(i for i, entry in enumerate(entries) if entry["slug"] == slug)


def load_error(tmp_path: Path, entries: list[Entry]) -> str:
    with pytest.raises(CatalogError) as caught:
        load_catalog(write_catalog(tmp_path, entries))
    return str(caught.value)


def test_the_shipped_file_loads_and_is_cached() -> None:
    catalog = load_catalog()
    assert len(catalog.exercises) >= 45
    assert get_catalog() is get_catalog()
    assert [e.slug for e in catalog.exercises] == [e.slug for e in get_catalog().exercises]


def test_a_dumped_catalog_loads_back_unchanged(tmp_path: Path) -> None:
    catalog = load_catalog(write_catalog(tmp_path, real_entries()))
    assert catalog.exercises == get_catalog().exercises


def test_unknown_muscle_names_entry_and_field(tmp_path: Path) -> None:
    entries = real_entries()
    i = index_of(entries, "glute-bridge")
    entries[i]["primary_muscles"] = ["glutes", "biceps"]
    message = load_error(tmp_path, entries)
    assert f"exercises.toml: exercise #{i + 1} (glute-bridge): primary_muscles[1]:" in message
    assert "'biceps'" in message


def test_dangling_progression(tmp_path: Path) -> None:
    entries = real_entries()
    i = index_of(entries, "nordic-curl")
    entries[i]["progression"] = "foo"
    message = load_error(tmp_path, entries)
    assert message == (
        f"exercises.toml: exercise #{i + 1} (nordic-curl): progression 'foo' is not a catalog slug"
    )


def test_duplicate_slug(tmp_path: Path) -> None:
    entries = real_entries()
    copy = dict(entries[index_of(entries, "squat")], name="Another squat", aliases=[])
    copy.pop("progression")
    entries.append(copy)
    message = load_error(tmp_path, entries)
    first = index_of(entries, "squat") + 1
    assert (
        f"exercise #{len(entries)} (squat): slug 'squat' is already used by exercise #{first}"
        in message
    )


def test_duplicate_alias_ignores_case(tmp_path: Path) -> None:
    entries = real_entries()
    i = index_of(entries, "goblet-squat")
    entries[i]["aliases"] = [*entries[i]["aliases"], "hip thrust (BARBELL)"]
    message = load_error(tmp_path, entries)
    owner = index_of(entries, "hip-thrust")
    assert f"exercise #{i + 1} (goblet-squat): aliases[" in message
    assert f"is already the name or an alias of exercise #{owner + 1} (hip-thrust)" in message


def test_alias_may_not_be_another_exercises_name(tmp_path: Path) -> None:
    entries = real_entries()
    i = index_of(entries, "goblet-squat")
    entries[i]["aliases"] = ["Bodyweight Squat"]
    message = load_error(tmp_path, entries)
    owner = index_of(entries, "squat")
    assert message == (
        f"exercises.toml: exercise #{i + 1} (goblet-squat): aliases[0] 'Bodyweight Squat' "
        f"is already the name or an alias of exercise #{owner + 1} (squat)"
    )


def test_duplicate_name(tmp_path: Path) -> None:
    entries = real_entries()
    i = index_of(entries, "plank")
    entries[i]["name"] = "WALL SIT"
    message = load_error(tmp_path, entries)
    owner = index_of(entries, "wall-sit")
    assert (
        f"exercise #{i + 1} (plank): name 'WALL SIT' is already the name or an alias "
        f"of exercise #{owner + 1} (wall-sit)" in message
    )


def test_inconsistent_ladder(tmp_path: Path) -> None:
    entries = real_entries()
    i = index_of(entries, "split-squat")
    entries[i]["progression"] = "hip-thrust"  # whose regression is single-leg-glute-bridge
    message = load_error(tmp_path, entries)
    assert (
        f"exercise #{i + 1} (split-squat): progression 'hip-thrust' has regression "
        "'single-leg-glute-bridge', expected 'split-squat'" in message
    )
    # ... and Bulgarian split squat now points back at an exercise that does not point at it
    j = index_of(entries, "bulgarian-split-squat")
    assert f"exercise #{j + 1} (bulgarian-split-squat): regression 'split-squat'" in message


def test_self_reference(tmp_path: Path) -> None:
    entries = real_entries()
    i = index_of(entries, "plank")
    entries[i]["progression"] = "plank"
    message = load_error(tmp_path, entries)
    assert f"exercise #{i + 1} (plank): progression 'plank' is the exercise itself" in message


def small_entry(slug: str, **fields: Any) -> Entry:
    return {
        "slug": slug,
        "name": slug.replace("-", " ").capitalize(),
        "primary_muscles": ["glutes"],
        "equipment": ["bodyweight"],
        "pattern": "bridge",
        "unilateral": False,
        "level": "beginner",
        "difficulty": 1,
        "cues": ["Squeeze", "Breathe"],
        **fields,
    }


def test_ladder_cycle(tmp_path: Path) -> None:
    entries = [
        small_entry("bridge-a", progression="bridge-b", regression="bridge-b"),
        small_entry("bridge-b", progression="bridge-a", regression="bridge-a"),
    ]
    assert "progression ladder loops back" in load_error(tmp_path, entries)


def test_reserved_slug(tmp_path: Path) -> None:
    message = load_error(tmp_path, [small_entry("custom")])
    assert "exercise #1 (custom): slug 'custom' is reserved" in message


def test_unknown_field_and_missing_field(tmp_path: Path) -> None:
    broken = small_entry("bridge-a", musle="glutes")
    del broken["cues"]
    message = load_error(tmp_path, [broken])
    assert "exercise #1 (bridge-a): musle: Extra inputs are not permitted" in message
    assert "exercise #1 (bridge-a): cues: Field required" in message


def test_every_problem_is_reported(tmp_path: Path) -> None:
    entries = [small_entry("bridge-a", level="expert"), small_entry("bridge-b", difficulty=9)]
    with pytest.raises(CatalogError) as caught:
        load_catalog(write_catalog(tmp_path, entries))
    assert len(caught.value.problems) == 2
    assert caught.value.problems[0].startswith("exercises.toml: exercise #1 (bridge-a): level:")
    assert caught.value.problems[1].startswith(
        "exercises.toml: exercise #2 (bridge-b): difficulty:"
    )


def test_not_toml_and_empty_and_missing(tmp_path: Path) -> None:
    path = tmp_path / "exercises.toml"
    path.write_text("[[exercise]\nslug = ", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"^exercises\.toml: not valid TOML"):
        load_catalog(path)
    path.write_text("", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"no \[\[exercise\]\] entries"):
        load_catalog(path)
    path.write_text('title = "x"\n[[exercise]]\nslug = "a"\n', encoding="utf-8")
    with pytest.raises(CatalogError, match="unknown top-level keys"):
        load_catalog(path)
    with pytest.raises(CatalogError, match="cannot be read"):
        load_catalog(tmp_path / "missing.toml")


def test_default_path_is_next_to_the_service() -> None:
    assert DEFAULT_CATALOG_PATH.name == "exercises.toml"
    assert DEFAULT_CATALOG_PATH.is_file()


# ---------------------------------------------------------------- the Catalog API other code uses


def test_get_and_require() -> None:
    catalog = get_catalog()
    exercise = catalog.get("nordic-curl")
    assert isinstance(exercise, Exercise)
    assert catalog.require("nordic-curl") is exercise
    assert catalog.get("no-such-exercise") is None
    with pytest.raises(NotFound):
        catalog.require("no-such-exercise")


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Romanian Deadlift (Barbell)", "romanian-deadlift"),
        ("romanian deadlift (dumbbell)", "dumbbell-romanian-deadlift"),
        ("Hip Thrust (Barbell)", "hip-thrust"),
        ("Bulgarian Split Squat", "bulgarian-split-squat"),
        ("Standing Calf Raise (Dumbbell)", "calf-raise"),
        ("Squat (Barbell)", "back-squat"),
        ("Goblet Squat (Kettlebell)", "goblet-squat"),
        ("Lunge (Dumbbell)", "dumbbell-lunge"),
        ("Glute Bridge", "glute-bridge"),
        ("Nordic Hamstrings Curls", "nordic-curl"),
        ("  nordic   HAMSTRING curl ", "nordic-curl"),  # the exercise's own name
        ("Lateral band walk", "lateral-band-walk"),
    ],
)
def test_by_alias(name: str, slug: str) -> None:
    exercise = get_catalog().by_alias(name)
    assert exercise is not None, name
    assert exercise.slug == slug


def test_by_alias_unknown() -> None:
    assert get_catalog().by_alias("Bicep Curl (Dumbbell)") is None


def test_search_semantics() -> None:
    catalog = get_catalog()
    everything = catalog.search()
    assert everything == list(catalog.exercises)

    hamstrings = catalog.search(muscle=Muscle.hamstrings)
    assert all(Muscle.hamstrings in (*e.primary_muscles, *e.secondary_muscles) for e in hamstrings)
    assert catalog.get("glute-bridge") in hamstrings  # secondary muscle counts

    with_band = catalog.search(equipment=[Equipment.band])
    assert {eq for e in with_band for eq in e.equipment} == {Equipment.bodyweight, Equipment.band}
    assert catalog.get("squat") in with_band  # bodyweight is always available

    home_and_band = catalog.search(setting=Setting.home, equipment=[Equipment.band])
    assert home_and_band == with_band
    gym_barbell = catalog.search(setting=Setting.gym, equipment=[Equipment.barbell])
    assert catalog.get("hip-thrust") not in gym_barbell  # also needs a bench

    beginner = catalog.search(level=Level.beginner)
    assert all(e.level is Level.beginner for e in beginner)
    assert len(catalog.search(level=Level.advanced)) == len(catalog.exercises)

    assert [e.slug for e in catalog.search(q="RDL")] == [
        "dumbbell-romanian-deadlift",
        "romanian-deadlift",
        "single-leg-deadlift",
    ]
    assert catalog.search(q="   ") == everything

    after = catalog.exercises[-3].slug
    assert catalog.search(after=after) == list(catalog.exercises[-2:])


def test_search_accepts_plain_strings() -> None:
    catalog = get_catalog()
    assert catalog.search(muscle="calves", level="beginner", setting="home") == catalog.search(  # type: ignore[arg-type]
        muscle=Muscle.calves, level=Level.beginner, setting=Setting.home
    )


def test_catalog_built_in_code_is_cross_checked() -> None:
    bridge = get_catalog().require("glute-bridge")
    with pytest.raises(CatalogError, match=r"^catalog: exercise #2 \(glute-bridge\): slug"):
        Catalog([bridge.model_copy(update={"progression": None}), bridge])
