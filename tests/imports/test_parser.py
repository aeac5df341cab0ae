"""The CSV parser on a fixture file of every layout and marker in docs/imports.md: pure, no
database."""

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.errors import InvalidInput
from app.imports.export import STRONG_COLUMNS
from app.imports.names import catalog_slug, new_exercise
from app.imports.parser import ParsedWorkout, Warnings, read

FIXTURES = Path(__file__).with_name("fixtures")


def parse(
    name_or_text: str, *, source: str = "auto", unit: str | None = None, tz: str = "UTC"
) -> tuple[str, list[ParsedWorkout], list[str]]:
    text = (
        (FIXTURES / name_or_text).read_text(encoding="utf-8")
        if name_or_text.endswith(".csv")
        else name_or_text
    )
    warnings = Warnings()
    header, workouts = read(
        io.StringIO(text, newline=""), source=source, unit=unit, timezone=tz, warnings=warnings
    )
    parsed = list(workouts)
    return header.layout.name, parsed, warnings.all()


def sets_of(workout: ParsedWorkout, i: int) -> list[tuple[object, ...]]:
    return [
        (s.reps, s.load_kg, s.rpe, s.rir, s.duration_s, s.warmup) for s in workout.exercises[i].sets
    ]


def test_strong_comma_kg_markers_and_pseudo_rows() -> None:
    layout, workouts, warnings = parse("strong_comma_kg.csv", tz="Europe/Paris")
    assert layout == "strong"
    assert len(workouts) == 2
    leg = workouts[0]
    assert leg.performed_at == datetime(2025, 3, 4, 17, 5, 12, tzinfo=UTC)  # 18:05 CET
    assert leg.duration_min == 63
    assert leg.notes == "Felt good"
    assert leg.name == "Leg day"
    assert [e.name for e in leg.exercises] == [
        "Squat (Barbell)",
        "Romanian Deadlift (Barbell)",
        "Bench Press (Barbell)",
        "Plank",
    ]
    assert sets_of(leg, 0) == [
        (8, 40.0, None, None, None, True),  # W
        (5, 80.0, 8.0, None, None, False),
        (5, 80.0, 8.5, None, None, False),
        (4, 80.0, 10.0, 0, None, False),  # F: RIR 0
    ]
    assert leg.exercises[0].notes == ["Rest timer: 120 s"]  # a Rest Timer row is not a set
    assert sets_of(leg, 1) == [
        (10, 70.0, None, None, None, False),
        (12, 50.0, None, None, None, False),
    ]
    assert leg.exercises[1].notes == ["Slow eccentric", "Set 2: drop set"]  # Note row; D
    assert sets_of(leg, 2) == [(8, 60.0, None, None, None, False)]  # the empty set 2 skipped
    assert sets_of(leg, 3) == [(None, 0.0, None, None, 60, False)]  # timed
    assert workouts[1].duration_min == 31
    assert "empty rows skipped (sets never completed): 1 (lines 11)" in warnings
    assert any("distance-only" in w for w in warnings)


def test_strong_pounds_convert_exactly_to_kilograms() -> None:
    _, workouts, _ = parse("strong_comma_lb.csv", unit="lb")
    loads = [s.load_kg for e in workouts[0].exercises for s in e.sets]
    # 95 lb × 0.45359237 = 43.0913…; 225 lb = 102.0583…; 227.5 lb = 103.1922…; 135 lb = 61.2349…
    assert loads == [43.09, 102.06, 103.19, 61.23]
    assert workouts[0].duration_min == 60


def test_without_unit_strong_weights_are_kilograms() -> None:
    _, workouts, _ = parse("strong_comma_lb.csv")
    assert workouts[0].exercises[0].sets[1].load_kg == 225.0


def test_french_headers_durations_and_decimal_commas() -> None:
    layout, workouts, _ = parse("strong_french.csv")
    assert layout == "strong"
    assert [w.duration_min for w in workouts] == [35, 61]
    assert sets_of(workouts[0], 0) == [
        (10, 12.5, 7.0, None, None, False),
        (10, 12.5, 7.5, None, None, False),
    ]
    assert workouts[0].notes == "Avant le footing"
    assert workouts[0].exercises[1].sets[0].warmup


def test_strong_semicolon_with_unit_columns() -> None:
    layout, workouts, warnings = parse("strong_semicolon_units.csv")
    assert layout == "strong-units"
    (workout,) = workouts
    assert workout.duration_min is None
    assert sets_of(workout, 0) == [
        (5, 60.0, None, None, None, True),
        (3, 140.0, 9.0, None, None, False),
    ]
    assert sets_of(workout, 1) == [(12, 136.08, None, None, None, False)]  # 300 lbs
    # A carry with a distance and no reps nor time is no set: it is kept as a note.
    assert workout.exercises[2].name == "Treadmill Run"
    assert sets_of(workout, 2) == [(None, 0.0, None, None, 720, False)]
    assert workout.exercises[2].notes == ["Set 1: distance 1.5 mi"]
    assert "Farmer's Walk: distance 0.05 km" in (workout.notes or "")
    assert any("distance-only" in w for w in warnings)


def test_strong_semicolon_with_workout_duration() -> None:
    layout, workouts, _ = parse("strong_semicolon_duration.csv")
    assert layout == "strong-units"
    assert workouts[0].duration_min == 45
    assert len(workouts[0].exercises[0].sets) == 2


def test_strong_current_layout_quoted_semicolons() -> None:
    layout, workouts, _ = parse("strong_current.csv", tz="America/New_York")
    assert layout == "strong-current"
    assert [w.name for w in workouts] == ["Legs; heavy", "Legs; heavy"]
    first, second = workouts
    assert first.duration_min == 62  # 3720 s
    assert first.performed_at == datetime(2025, 6, 1, 12, 0, tzinfo=UTC)  # 08:00 EDT
    assert first.exercises[0].notes == ["Set 1: left leg first; felt it"]
    assert sets_of(first, 1) == [(4, 0.0, None, 0, None, False)]
    assert first.exercises[1].notes == ["Rest timer: 90 s"]
    assert sets_of(second, 0) == [(None, 0.0, None, None, 45, False)]
    assert second.notes == "Quick one"


@pytest.mark.parametrize(("fixture", "loads"), [
    ("hevy_kg.csv", [40.0, 100.0, 100.0, 80.0]),
    ("hevy_lb.csv", [40.14, 102.06, 102.06, 81.65]),
])  # fmt: skip
def test_hevy_kg_and_lb(fixture: str, loads: list[float]) -> None:
    layout, workouts, _ = parse(fixture, tz="Europe/London")
    assert layout == "hevy"
    (workout,) = workouts
    assert workout.performed_at == datetime(2025, 9, 15, 6, 48, tzinfo=UTC)  # 07:48 BST
    assert workout.duration_min == 64
    assert workout.notes == "Before work"
    squat = workout.exercises[0]
    assert [s.load_kg for s in squat.sets] == loads
    assert [(s.warmup, s.rir) for s in squat.sets] == [
        (True, None),
        (False, None),
        (False, 0),
        (False, None),
    ]
    assert squat.notes == ["Belt on top sets", "Set 4: drop set"]
    assert [e.name for e in workout.exercises[1:]] == [
        "Lying Leg Curl (Machine)",
        "Seated Calf Raise (Machine)",
        "Plank",
    ]
    assert sets_of(workout, 3) == [(None, 0.0, None, None, 60, False)]


def test_auto_tells_strong_from_hevy_and_a_named_source_must_match() -> None:
    assert parse("hevy_kg.csv")[0] == "hevy"
    assert parse("strong_current.csv")[0] == "strong-current"
    with pytest.raises(InvalidInput) as caught:
        parse("hevy_kg.csv", source="strong")
    assert caught.value.errors is not None
    assert caught.value.errors[0].field == "line 1"
    assert "source=hevy" in caught.value.errors[0].message


def test_dst_gap_and_overlap_in_the_athletes_zone() -> None:
    _, workouts, warnings = parse("dst_paris.csv", tz="Europe/Paris")
    spring, autumn, late, early = workouts
    # 02:30 on 30 March 2025 does not exist in Paris: read with the offset before the gap
    # (+01:00), i.e. 03:30 summer time.
    assert spring.performed_at == datetime(2025, 3, 30, 1, 30, tzinfo=UTC)
    assert any("does not exist in Europe/Paris" in w for w in warnings)
    # 02:30 on 26 October 2025 happens twice: the first one (+02:00, summer time).
    assert autumn.performed_at == datetime(2025, 10, 26, 0, 30, tzinfo=UTC)
    assert late.performed_at == datetime(2025, 10, 26, 22, 30, tzinfo=UTC)
    assert early.performed_at == datetime(2025, 10, 26, 23, 30, tzinfo=UTC)
    assert "empty rows skipped: 1 (lines 5)" in warnings


HEADER = ",".join(STRONG_COLUMNS)


@pytest.mark.parametrize(("row", "field", "says"), [
    ("2025-01-01 10:00:00,A,1h,Squat,1,heavy,5,0,0,,,", "line 3, column Weight", "not a number"),
    ("2025-01-01 10:00:00,A,1h,Squat,1,80,five,0,0,,,", "line 3, column Reps", "not a number"),
    ("2025-01-01 10:00:00,A,1h,Squat,1,80,5.5,0,0,,,", "line 3, column Reps", "whole number"),
    ("2025-01-01 10:00:00,A,1h,Squat,1,80,5,0,0,,,hard", "line 3, column RPE", "not a number"),
    ("2025-01-01 10:00:00,A,1h,Squat,1,80,5,0,x,,,", "line 3, column Seconds", "not a number"),
    ("2025-01-01 10:00:00,A,1h,Squat,1,80,5,far,0,,,", "line 3, column Distance", "not a number"),
    ("2025-01-01 10:00:00,A,1h,Squat,X,80,5,0,0,,,", "line 3, column Set Order", "not a set"),
    ("2025-01-01 10:00:00,B,an hour,Squat,1,80,5,0,0,,,", "line 3, column Duration", "duration"),
    ("01/02/2025 10:00,A,1h,Squat,1,80,5,0,0,,,", "line 3, column Date", "not a date"),
    (",A,1h,Squat,1,80,5,0,0,,,", "line 3, column Date", "no date"),
    ("2025-01-01 10:00:00,A,1h,,1,80,5,0,0,,,", "line 3, column Exercise Name", "no exercise"),
    ("2025-01-01 10:00:00,A,1h,Squat,1,80,5", "line 3", "7 fields where the header has 12"),
    ("2025-01-01 10:00:00,A,1h,Squat,1,1e999,5,0,0,,,", "line 3, column Weight", "not a number"),
    ("2025-01-01 10:00:00,A,1h,Squat,1,NaN,5,0,0,,,", "line 3, column Weight", "not a number"),
    ("2025-01-01 10:00:00,A,1h,Squat,1,80,5,0,0,,,nan", "line 3, column RPE", "not a number"),
    ("2025-01-01 10:00:00,A,1h,Squat,1,80,inf,0,0,,,", "line 3, column Reps", "not a number"),
    ("0001-01-01 00:30:00,B,1h,Squat,1,80,5,0,0,,,", "line 3, column Date", "before 1900"),
    ("2025-01-01 10:00:00,A,1h,Squat\x00,1,80,5,0,0,,,", "line 3", "NUL"),
])  # fmt: skip
def test_a_malformed_value_names_its_line_and_column(row: str, field: str, says: str) -> None:
    good = "2025-01-01 10:00:00,A,1h,Squat,1,80,5,0,0,,,"
    with pytest.raises(InvalidInput) as caught:
        parse(f"{HEADER}\n{good}\n{row}\n")
    assert caught.value.errors is not None
    error = caught.value.errors[0]
    assert (error.field, says in error.message) == (field, True), error


@pytest.mark.parametrize("header", [
    "",
    "Date,Exercise,Weight,Reps",
    "a;b;c",
    "title,start_time,exercise_title,weight_kg",
])  # fmt: skip
def test_a_wrong_header_is_line_1(header: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse(f"{header}\n2025-01-01,1,2,3\n")
    assert caught.value.errors is not None
    assert caught.value.errors[0].field == "line 1"


def test_names_match_aliases_without_case_punctuation_or_suffix() -> None:
    assert catalog_slug("Romanian Deadlift (Barbell)") == "romanian-deadlift"
    assert catalog_slug("romanian   deadlift (dumbbell)") == "dumbbell-romanian-deadlift"
    assert catalog_slug("HIP-THRUST (barbell)") == "hip-thrust"
    assert catalog_slug("Bulgarian Split Squat (Dumbbell)") == "bulgarian-split-squat"
    assert catalog_slug("Bench Press (Barbell)") is None


@pytest.mark.parametrize(("name", "muscles"), [
    ("Sissy Squat", ("quads", "glutes")),
    ("Donkey Calf Raise (Machine)", ("calves",)),
    ("Glute Ham Raise", ("glutes",)),
    ("Reverse Hyper Hamstring Thing", ("hamstrings",)),
    ("Curtsy Lunges", ("quads", "glutes")),
    ("Bench Press (Barbell)", ()),
    ("Lat Pulldown (Cable)", ()),
])  # fmt: skip
def test_unknown_names_guess_muscles_from_obvious_words(
    name: str, muscles: tuple[str, ...]
) -> None:
    made = new_exercise(name, set())
    assert tuple(m.value for m in made.primary_muscles) == muscles


def test_a_new_exercise_never_takes_a_catalog_or_taken_slug() -> None:
    assert new_exercise("Squat!", set()).slug == "squat-2"
    assert new_exercise("Sled Push", {"sled-push"}).slug == "sled-push-2"
