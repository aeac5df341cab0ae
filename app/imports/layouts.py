"""The export layouts Legwork reads, as data (docs/imports.md): a new layout or language is a
row in these tables, never a new branch in the parser.

A file's header names its columns; each known header text maps to a `Column`: the field it
holds and, where the header says so, its unit or format. A `Layout` is the set of fields a
real export carries; the parser picks the layout whose fields the header holds."""

from dataclasses import dataclass
from enum import StrEnum


class Field(StrEnum):
    """What a column holds, whatever the app and the language call it."""

    workout_number = "workout_number"
    start = "start"
    end = "end"
    workout_name = "workout_name"
    duration = "duration"
    exercise_name = "exercise_name"
    superset = "superset"
    set_order = "set_order"
    set_type = "set_type"
    weight = "weight"
    weight_unit = "weight_unit"
    reps = "reps"
    rpe = "rpe"
    distance = "distance"
    distance_unit = "distance_unit"
    seconds = "seconds"
    notes = "notes"
    exercise_notes = "exercise_notes"
    workout_notes = "workout_notes"


class Source(StrEnum):
    strong = "strong"
    hevy = "hevy"


@dataclass(frozen=True)
class Column:
    field: Field
    unit: str | None = None  # "kg"/"lb", "km"/"m"/"mi", "s" (seconds), "text" (1h 3m)


def _column(field: Field, unit: str | None = None) -> Column:
    return Column(field, unit)


# Header text (compared case-insensitively, surrounding spaces and quotes ignored) → column.
HEADERS: dict[str, Column] = {
    # Strong, English
    "Workout #": _column(Field.workout_number),
    "Date": _column(Field.start),
    "Workout Name": _column(Field.workout_name),
    "Duration": _column(Field.duration, "text"),
    "Duration (sec)": _column(Field.duration, "s"),
    "Workout Duration": _column(Field.duration, "text"),
    "Exercise Name": _column(Field.exercise_name),
    "Set Order": _column(Field.set_order),
    "Weight": _column(Field.weight),
    "Weight (kg)": _column(Field.weight, "kg"),
    "Weight (lbs)": _column(Field.weight, "lb"),
    "Weight Unit": _column(Field.weight_unit),
    "Reps": _column(Field.reps),
    "RPE": _column(Field.rpe),
    "Distance": _column(Field.distance),
    "Distance (meters)": _column(Field.distance, "m"),
    "Distance (km)": _column(Field.distance, "km"),
    "Distance (miles)": _column(Field.distance, "mi"),
    "Distance Unit": _column(Field.distance_unit),
    "Seconds": _column(Field.seconds),
    "Notes": _column(Field.notes),
    "Workout Notes": _column(Field.workout_notes),
    # Strong, French
    "Nom de l'entraînement": _column(Field.workout_name),
    "Durée": _column(Field.duration, "text"),
    "Nom de l'exercice": _column(Field.exercise_name),
    "Ordre de la série": _column(Field.set_order),
    "Poids": _column(Field.weight),
    "Réps": _column(Field.reps),
    "Secondes": _column(Field.seconds),
    "Remarques": _column(Field.notes),
    "Notes de l'entraînement": _column(Field.workout_notes),
    # Hevy
    "title": _column(Field.workout_name),
    "start_time": _column(Field.start),
    "end_time": _column(Field.end),
    "description": _column(Field.workout_notes),
    "exercise_title": _column(Field.exercise_name),
    "superset_id": _column(Field.superset),
    "exercise_notes": _column(Field.exercise_notes),
    "set_index": _column(Field.set_order),
    "set_type": _column(Field.set_type),
    "weight_kg": _column(Field.weight, "kg"),
    "weight_lbs": _column(Field.weight, "lb"),
    "distance_km": _column(Field.distance, "km"),
    "distance_miles": _column(Field.distance, "mi"),
    "duration_seconds": _column(Field.seconds),
}


@dataclass(frozen=True)
class Layout:
    """An export layout: the fields its header holds, and how its values are written."""

    name: str
    source: Source
    fields: frozenset[Field]
    date_formats: tuple[str, ...]
    # Strong's `Set Order` says the kind of set with a marker; Hevy has a `set_type` column.
    markers_in: Field


_STRONG_DATES = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")
_STRONG_BASE = {
    Field.start,
    Field.workout_name,
    Field.exercise_name,
    Field.set_order,
    Field.weight,
    Field.reps,
    Field.distance,
    Field.seconds,
    Field.notes,
    Field.workout_notes,
}

# Most specific first: the first layout whose fields the header holds wins.
LAYOUTS: tuple[Layout, ...] = (
    Layout(
        "hevy",
        Source.hevy,
        frozenset(
            {
                Field.workout_name,
                Field.start,
                Field.end,
                Field.exercise_name,
                Field.set_order,
                Field.set_type,
                Field.weight,
                Field.reps,
            }
        ),
        ("%d %b %Y, %H:%M", "%d %b %Y, %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"),
        Field.set_type,
    ),
    Layout(
        "strong-current",
        Source.strong,
        frozenset({*_STRONG_BASE, Field.workout_number, Field.duration, Field.rpe}),
        _STRONG_DATES,
        Field.set_order,
    ),
    Layout(
        "strong-units",
        Source.strong,
        frozenset({*_STRONG_BASE, Field.weight_unit, Field.distance_unit, Field.rpe}),
        _STRONG_DATES,
        Field.set_order,
    ),
    Layout(
        "strong",
        Source.strong,
        frozenset({*_STRONG_BASE, Field.duration}),
        _STRONG_DATES,
        Field.set_order,
    ),
)

# The fields every layout needs to make a workout at all (the wrong-header check).
ESSENTIAL = frozenset({Field.start, Field.workout_name, Field.exercise_name, Field.reps})


class Kind(StrEnum):
    """What a row is."""

    working = "working"
    warmup = "warmup"
    failure = "failure"
    drop = "drop"
    note = "note"
    rest_timer = "rest_timer"


# A marker (Strong `Set Order`, Hevy `set_type`; compared case-insensitively) → the row's kind.
# In Strong a number is a working set; `F` takes a number's place.
MARKERS: dict[str, Kind] = {
    "w": Kind.warmup,
    "f": Kind.failure,
    "d": Kind.drop,
    "note": Kind.note,
    "rest timer": Kind.rest_timer,
    "normal": Kind.working,
    "warmup": Kind.warmup,
    "failure": Kind.failure,
    "dropset": Kind.drop,
    "": Kind.working,
}

# Units of Strong's written durations (`31m`, `1h 3m`, French `1h 1min`), in seconds.
DURATION_UNITS: dict[str, int] = {"h": 3600, "m": 60, "min": 60, "s": 1, "sec": 1}

# A weight unit as written (Strong's `Weight Unit` column) → "kg" or "lb".
WEIGHT_UNITS: dict[str, str] = {"kg": "kg", "kgs": "kg", "lb": "lb", "lbs": "lb"}
LB_IN_KG = "0.45359237"  # exact, by definition (international pound, 1959)

# Distance units as written → how Legwork notes them.
DISTANCE_UNITS: dict[str, str] = {
    "km": "km",
    "m": "m",
    "mi": "mi",
    "mi.": "mi",
    "miles": "mi",
    "meters": "m",
}
