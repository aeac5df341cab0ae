"""An athlete's export, streamed: JSON (`legwork-export/1`) or CSV in Strong's comma layout.

It reads several rooms (athlete, custom exercises, plan, goals, workouts, import titles) and
writes nothing. Workouts go out a batch at a time, each from the exercises JSON stored with it,
so memory does not grow with the history. docs/imports.md"""

import csv
import io
import json
from collections.abc import Iterator, Sequence
from typing import Any
from zoneinfo import ZoneInfo

import pydantic_core
from sqlmodel import Session

from app.athletes.models import Athlete
from app.athletes.schemas import AthletePublic
from app.catalog.service import get_catalog
from app.custom_exercises import service as custom_exercises
from app.db import utcnow
from app.goals import service as goals
from app.imports import service as fingerprints
from app.imports.layouts import HEADERS, Field
from app.imports.schemas import EXPORT_FORMAT
from app.plans.models import StoredPlan
from app.workouts import service as workouts

CSV_TYPE = "text/csv; charset=utf-8"
DEFAULT_TITLE = "Legwork workout"
CUSTOM_FIELDS = ("slug", "name", "primary_muscles", "secondary_muscles", "equipment", "unilateral")
GOAL_FIELDS = (
    "kind", "exercise", "target", "load_kg", "target_date", "note", "start_date", "baseline"
)  # fmt: skip
# Strong's comma layout, in its order (docs/imports.md): the header texts of layouts.HEADERS.
STRONG_COLUMNS = (
    "Date",
    "Workout Name",
    "Duration",
    "Exercise Name",
    "Set Order",
    "Weight",
    "Reps",
    "Distance",
    "Seconds",
    "Notes",
    "Workout Notes",
    "RPE",
)
ID_AT = workouts.HEAD.index("id")
assert all(name in HEADERS for name in STRONG_COLUMNS)
assert HEADERS["Duration"].field is Field.duration


def json_chunks(session: Session, athlete: Athlete) -> Iterator[bytes]:
    """The JSON export, a piece at a time; workouts last, in batches."""
    to_json = pydantic_core.to_json
    head = {
        "format": EXPORT_FORMAT,
        "exported_at": utcnow(),
        "athlete": AthletePublic.model_validate(athlete).model_dump(mode="json"),
        "custom_exercises": [
            {name: getattr(e, name) for name in CUSTOM_FIELDS}
            for e in custom_exercises.all_of(session, athlete.account_id)
        ],
        "goals": [
            {name: getattr(g, name) for name in GOAL_FIELDS}
            for g in goals.all_of(session, athlete.id)
        ],
    }
    plan = session.get(StoredPlan, athlete.id)
    plan_json = (
        b'{"request":' + plan.request_json.encode() + b',"plan":' + plan.plan_json.encode() + b"}"
        if plan is not None
        else b"null"
    )
    yield to_json(head)[:-1] + b',"plan":' + plan_json + b',"workouts":['
    titles = fingerprints.names(session, athlete.id)
    first = True
    for rows in workouts.all_rows(session, athlete.id):
        pieces = []
        for row in rows:
            answer = workouts.answer_json(row)
            title = titles.get(row[ID_AT])
            named = b'{"name":' + to_json(title) + b"," + answer[1:] if title else answer
            pieces.append(named)
        yield (b"" if first else b",") + b",".join(pieces)
        first = False
    yield b"]}"


def _duration(minutes: int | None) -> str:
    if minutes is None:
        return ""
    hours, rest = divmod(minutes, 60)
    return " ".join([f"{hours}h"] * bool(hours) + [f"{rest}m"] * bool(rest or not hours))


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def strong_rows(
    workout: dict[str, Any], title: str, zone: ZoneInfo, exercise_names: dict[str, str]
) -> Iterator[Sequence[object]]:
    """One workout (a WorkoutPublic document) as Strong's rows."""
    started = workout["performed_at"]
    date = started.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
    duration = _duration(workout["duration_min"])
    workout_notes = workout["notes"] or ""
    for exercise in workout["exercises"]:
        name = exercise_names.get(exercise["exercise"], exercise["exercise"])
        common = (date, title, duration, name)
        if exercise["notes"]:
            yield (*common, "Note", 0, 0, 0, 0, exercise["notes"], workout_notes, "")
        number = 0
        for s in exercise["sets"]:
            if s["warmup"]:
                order = "W"
            else:
                number += 1
                order = "F" if s["rir"] == 0 else str(number)
            yield (
                *common,
                order,
                _number(s["load_kg"]),
                s["reps"] or 0,
                0,
                s["duration_s"] or 0,
                "",
                workout_notes,
                _number(s["rpe"]),
            )


def csv_chunks(session: Session, athlete: Athlete) -> Iterator[bytes]:
    """The CSV export in Strong's comma layout (kg), a batch of workouts at a time."""
    zone = ZoneInfo(athlete.timezone)
    exercise_names = {e.slug: e.name for e in get_catalog()}
    exercise_names |= {e.slug: e.name for e in custom_exercises.all_of(session, athlete.account_id)}
    titles = fingerprints.names(session, athlete.id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(STRONG_COLUMNS)
    for rows in workouts.all_rows(session, athlete.id):
        for row in rows:
            workout = json.loads(workouts.answer_json(row))
            workout["performed_at"] = row[workouts.HEAD.index("performed_at")]
            title = titles.get(row[ID_AT]) or DEFAULT_TITLE
            writer.writerows(strong_rows(workout, title, zone, exercise_names))
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()
