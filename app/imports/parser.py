"""Strong and Hevy CSV exports → workouts, one at a time, from a text stream (bounded memory).

Pure: no web framework, no database. The layouts and markers are data (`layouts.py`); the
decisions about real-world files are in docs/imports.md. A malformed file raises `InvalidInput`
naming the line and the column."""

import csv
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, make_dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from app.catalog.service import normalize_name
from app.errors import FieldError, InvalidInput
from app.imports.layouts import (
    DISTANCE_UNITS,
    DURATION_UNITS,
    ESSENTIAL,
    HEADERS,
    LAYOUTS,
    LB_IN_KG,
    MARKERS,
    WEIGHT_UNITS,
    Column,
    Field,
    Kind,
    Layout,
)

MAX_WORKOUT_MINUTES = 1440
NOTES_LIMIT = 2000
_HEADER_KEYS = {normalize_name(text): column for text, column in HEADERS.items()}
_DURATION_PART = re.compile(r"\s*(\d+(?:[.,]\d+)?)\s*([^\d\s.,]+)")
_CENT = Decimal("0.01")
_LB = Decimal(LB_IN_KG)
# Hot-path names for enum members: reading `Kind.note` off the class costs ~0.15 µs on Python
# 3.11, and a row reads a dozen of them.
_WORKING, _WARMUP, _FAILURE, _DROP = Kind.working, Kind.warmup, Kind.failure, Kind.drop
_NOTE, _REST_TIMER = Kind.note, Kind.rest_timer
_NO_DISTANCE = ("", "0")  # what most rows write: no distance to read
_REPS, _SECONDS, _RPE, _DISTANCE = Field.reps, Field.seconds, Field.rpe, Field.distance


def file_error(line: int, column: str | None, message: str) -> InvalidInput:
    """A 422 naming the line (1 = the header) and the column of a malformed file."""
    where = f"line {line}" + (f", column {column}" if column else "")
    return InvalidInput.of([FieldError(field=where, message=message)])


class Warnings:
    """What the import tells the user: messages in order, repeated kinds summed up."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self._lines: dict[str, list[int]] = {}

    def add(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)

    def at(self, kind: str, line: int) -> None:
        """One more line of a repeated kind (`empty rows skipped`)."""
        self._lines.setdefault(kind, []).append(line)

    def all(self) -> list[str]:
        summed = []
        for kind, lines in self._lines.items():
            shown = ", ".join(str(n) for n in lines[:20])
            more = f" and {len(lines) - 20} more" if len(lines) > 20 else ""
            summed.append(f"{kind}: {len(lines)} (lines {shown}{more})")
        return self.messages + summed


@dataclass(slots=True)
class ParsedSet:
    line: int
    reps: int | None
    load_kg: float
    rpe: float | None
    rir: int | None
    duration_s: int | None
    warmup: bool

    def values(self) -> dict[str, object]:
        """The set as the workout API takes it."""
        return {
            "reps": self.reps,
            "load_kg": self.load_kg,
            "rpe": self.rpe,
            "rir": self.rir,
            "duration_s": self.duration_s,
            "warmup": self.warmup,
        }


@dataclass
class ParsedExercise:
    name: str
    line: int
    sets: list[ParsedSet] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def notes_text(self) -> str | None:
        return "\n".join(self.notes)[:NOTES_LIMIT] if self.notes else None


@dataclass
class ParsedWorkout:
    line: int
    performed_at: datetime  # UTC
    name: str
    duration_min: int | None
    notes: str | None
    exercises: list[ParsedExercise]

    @property
    def set_count(self) -> int:
        return sum(len(e.sets) for e in self.exercises)


# A row is its cells, stripped, with one empty cell appended: a field the layout lacks is read
# at index -1, which is that empty cell. The indexes are plain ints on a slotted object, looked
# up 60,000 times a file.
Row = list[str]
_Index = make_dataclass("_Index", [(f.value, int) for f in Field], slots=True, frozen=True)


@dataclass(frozen=True)
class Header:
    layout: Layout
    delimiter: str
    index: dict[Field, int]
    columns: dict[Field, Column]
    names: dict[Field, str]  # as the file writes them, for errors
    width: int


def detect(first_line: str, source: str) -> Header:
    """The layout of a file from its header line; `source` is strong, hevy or auto."""
    best: tuple[int, str, list[str]] | None = None
    for delimiter in (",", ";"):
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        known = sum(normalize_name(cell.strip()) in _HEADER_KEYS for cell in cells)
        if best is None or known > best[0]:
            best = (known, delimiter, cells)
    assert best is not None
    _, delimiter, cells = best
    index: dict[Field, int] = {}
    columns: dict[Field, Column] = {}
    names: dict[Field, str] = {}
    unknown: list[str] = []
    for i, cell in enumerate(cells):
        column = _HEADER_KEYS.get(normalize_name(cell.strip()))
        if column is None or column.field in index:
            unknown.append(cell.strip())
            continue
        index[column.field], columns[column.field], names[column.field] = i, column, cell.strip()
    missing = ESSENTIAL - set(index)
    if missing:
        raise file_error(
            1,
            None,
            "not a Strong or Hevy export header: no column for "
            + ", ".join(sorted(missing))
            + (f" (unknown columns: {', '.join(unknown)})" if unknown else ""),
        )
    candidates = [layout for layout in LAYOUTS if layout.fields <= set(index)]
    wanted = [c for c in candidates if source in ("auto", c.source)]
    if not wanted:
        found = candidates[0].source if candidates else None
        expected = "a Strong or Hevy" if source == "auto" else f"a {source}"
        raise file_error(
            1,
            None,
            f"not {expected} export header"
            + (f" (it is {found}'s layout: use ?source={found})" if found else "")
            + f"; columns: {', '.join(c.strip() for c in cells)}",
        )
    return Header(wanted[0], delimiter, index, columns, names, len(cells))


class _Reader:
    """Reads one file's rows: conversions, each naming its line and column when it fails."""

    def __init__(self, header: Header, unit: str | None, timezone: str, warnings: Warnings):
        self.header = header
        self.zone = ZoneInfo(timezone)
        self.timezone = timezone
        self.warnings = warnings
        self.unit = unit
        self._last_time: tuple[str, datetime] | None = None
        self._loads: dict[tuple[str, str], tuple[float, str | None]] = {}
        self._numbers: dict[str, float] = {}
        self._wholes: dict[str, int | None] = {}
        self.ix: Any = _Index(**{f.value: header.index.get(f, -1) for f in Field})
        self.marker_at = header.index[header.layout.markers_in]
        weight = header.columns.get(Field.weight)
        self.weight_unit = weight.unit if weight else None
        if self.weight_unit and unit and unit != self.weight_unit:
            warnings.add(
                f"the header gives weights in {self.weight_unit}; ?unit={unit} was ignored"
            )

    def column(self, name: Field) -> str:
        return self.header.names.get(name, name.value)

    def number(self, text: str, line: int, name: Field) -> float | None:
        if not text:
            return None
        known = self._numbers.get(text)  # the same few values come back on every row
        if known is None:
            try:
                known = float(text.replace(",", "."))
            except ValueError:
                known = math.nan
            if not math.isfinite(known):
                raise file_error(line, self.column(name), f"{text!r} is not a number")
            self._numbers[text] = known
        return known

    def whole(self, text: str, line: int, name: Field) -> int | None:
        try:
            return self._wholes[text]  # reps and seconds: a few values, on every row
        except KeyError:
            pass
        value = self.number(text, line, name)
        if value is not None and not value.is_integer():
            raise file_error(line, self.column(name), f"{text!r} is not a whole number")
        whole = self._wholes[text] = None if value is None else int(value)
        return whole

    def moment(self, text: str, line: int, name: Field) -> datetime:
        """A naive local timestamp of the file, in the athlete's time zone, as UTC."""
        if self._last_time is not None and self._last_time[0] == text:
            return self._last_time[1]
        local = None
        for form in self.header.layout.date_formats:
            try:
                local = datetime.strptime(text, form)
                break
            except ValueError:
                continue
        if local is None:
            raise file_error(line, self.column(name), f"{text!r} is not a date and time")
        if local.year < 1900:
            raise file_error(line, self.column(name), f"{text!r} is before 1900")
        # zoneinfo reads a time in a DST gap with the offset before the gap (02:30 on the
        # spring-forward night is 03:30 summer time) and one in the overlap as its first
        # occurrence (fold=0). docs/imports.md
        moment = local.replace(tzinfo=self.zone).astimezone(UTC)
        if moment.astimezone(self.zone).replace(tzinfo=None) != local:
            self.warnings.add(
                f"line {line}: {text} does not exist in {self.timezone} (clocks went forward);"
                f" read as {moment.astimezone(self.zone):%H:%M} local time"
            )
        self._last_time = (text, moment)
        return moment

    def seconds_of(self, text: str, line: int, name: Field) -> int | None:
        """A duration: seconds (`1830`) or written (`31m`, `1h 3m`, `1h 1min`)."""
        if not text:
            return None
        if text.replace(".", "").isdigit():
            return round(float(text))
        total, at = 0.0, 0
        for part in _DURATION_PART.finditer(text):
            unit = DURATION_UNITS.get(part.group(2).lower())
            if part.start() != at or unit is None:
                break
            total += float(part.group(1).replace(",", ".")) * unit
            at = part.end()
        if at == 0 or text[at:].strip():
            raise file_error(line, self.column(name), f"{text!r} is not a duration like 1h 3m")
        return round(total)

    def load(self, text: str, line: int, row: Row) -> tuple[float, str | None]:
        """Load in kg (lb × 0.45359237, to 0.01 kg) and a note for what a load cannot hold."""
        if not text:
            return 0.0, None
        unit = self.weight_unit
        if unit is None:
            written = row[self.ix.weight_unit].lower()
            unit = WEIGHT_UNITS.get(written) if written else (self.unit or "kg")
            if unit is None:
                raise file_error(
                    line, self.column(Field.weight_unit), f"{written!r} is not kg or lbs"
                )
        known = self._loads.get((text, unit))
        if known is None:
            known = self._loads[text, unit] = self._convert(text, unit, line)
        return known

    def _convert(self, text: str, unit: str, line: int) -> tuple[float, str | None]:
        try:
            value = Decimal(text.replace(",", "."))
            kg = (value * _LB if unit == "lb" else value).quantize(_CENT, ROUND_HALF_UP)
            if kg.is_nan():
                raise InvalidOperation
        except InvalidOperation:  # not a number, infinite, or too large for 0.01 steps
            raise file_error(line, self.column(Field.weight), f"{text!r} is not a number") from None
        if kg < 0:
            return 0.0, f"assisted, {text} {unit}"
        return float(kg), None

    def distance(self, row: Row, line: int) -> str | None:
        ix = self.ix
        text = row[ix.distance]
        value = self.number(text, line, _DISTANCE)
        if not value:
            return None
        column = self.header.columns.get(Field.distance)
        unit = (column.unit if column else None) or DISTANCE_UNITS.get(
            row[ix.distance_unit].lower(), row[ix.distance_unit]
        )
        return f"distance {text} {unit}".strip()


@dataclass
class _Draft:
    """The workout being read."""

    key: tuple[str, ...]
    line: int
    start_text: str
    performed_at: datetime
    name: str
    duration_min: int | None
    notes: list[str]
    exercises: list[ParsedExercise]
    exercise_key: tuple[str, str] | None = None


def read(
    stream: TextIO,
    *,
    source: str,
    unit: str | None,
    timezone: str,
    warnings: Warnings,
) -> tuple[Header, Iterator[ParsedWorkout]]:
    """The header of an export (read now: a wrong one raises at once) and its workouts, in
    file order, each as soon as its rows are read."""
    try:
        first = stream.readline().lstrip("\ufeff")
    except UnicodeDecodeError:
        raise file_error(1, None, "not UTF-8 text") from None
    if not first.strip():
        raise file_error(1, None, "the file is empty: expected a Strong or Hevy export header")
    header = detect(first, source)
    return header, _workouts(stream, header, _Reader(header, unit, timezone, warnings))


def _workouts(stream: TextIO, header: Header, reader: _Reader) -> Iterator[ParsedWorkout]:
    warnings = reader.warnings
    rows = csv.reader(stream, delimiter=header.delimiter)
    draft: _Draft | None = None
    last_line = 1
    ix = reader.ix
    try:
        for values in rows:
            line, last_line = last_line + 1, rows.line_num + 1
            joined = "".join(values)
            if not joined.strip():
                warnings.at("empty rows skipped", line)
                continue
            if "\x00" in joined:
                raise file_error(line, None, "a NUL character: not a text export")
            if len(values) != header.width:
                raise file_error(
                    line, None, f"{len(values)} fields where the header has {header.width}"
                )
            row = list(map(str.strip, values))
            row.append("")
            key = (row[ix.workout_number], row[ix.start], row[ix.workout_name])
            if draft is None or draft.key != key:
                if draft is not None:
                    done = _finish(draft, warnings)
                    if done is not None:
                        yield done
                draft = _start(reader, row, line, key)
            _add_row(reader, draft, row, line)
    except csv.Error as exc:
        raise file_error(last_line + 1, None, f"not valid CSV: {exc}") from None
    except UnicodeDecodeError:
        raise file_error(last_line + 1, None, "not UTF-8 text") from None
    if draft is not None:
        done = _finish(draft, warnings)
        if done is not None:
            yield done


# A field of the workout API → the column of the file it was read from.
_API_COLUMNS: dict[str, Field] = {
    "performed_at": Field.start,
    "duration_min": Field.duration,
    "notes": Field.workout_notes,
    "reps": Field.reps,
    "load_kg": Field.weight,
    "rpe": Field.rpe,
    "rir": Field.set_order,
    "duration_s": Field.seconds,
    "warmup": Field.set_order,
}


def locate(header: Header, workout: ParsedWorkout, loc: tuple[int | str, ...]) -> tuple[int, str]:
    """The line and column of the file where a workout API field at `loc` came from."""
    line, name = workout.line, None
    parts = list(loc)
    if len(parts) >= 2 and parts[0] == "exercises" and isinstance(parts[1], int):
        exercise = workout.exercises[parts[1]]
        line, name = exercise.line, "notes"
        if len(parts) >= 4 and parts[2] == "sets" and isinstance(parts[3], int):
            line = exercise.sets[parts[3]].line
            name = str(parts[4]) if len(parts) >= 5 else "reps"
        elif len(parts) >= 3 and parts[2] == "sets":
            name = "exercise"
    elif parts:
        name = str(parts[0])
    column = _API_COLUMNS.get(name or "", Field.exercise_name if name else Field.start)
    return line, header.names.get(column, column.value)


def _start(reader: _Reader, row: Row, line: int, key: tuple[str, ...]) -> _Draft:
    ix = reader.ix
    start_text = row[ix.start]
    if not start_text:
        raise file_error(line, reader.column(Field.start), "no date")
    performed_at = reader.moment(start_text, line, Field.start)
    seconds: int | None = None
    if Field.end in reader.header.index:
        end_text = row[ix.end]
        if end_text:
            ended = reader.moment(end_text, line, Field.end)
            seconds = max(0, round((ended - performed_at).total_seconds()))
    elif Field.duration in reader.header.index:
        seconds = reader.seconds_of(row[ix.duration], line, Field.duration)
    minutes = None if seconds is None else round(seconds / 60)
    if minutes is not None and minutes > MAX_WORKOUT_MINUTES:
        reader.warnings.add(
            f"line {line}: a workout of {minutes} min (a timer left running?): its duration "
            "was left out"
        )
        minutes = None
    notes = row[ix.workout_notes]
    return _Draft(
        key=key,
        line=line,
        start_text=start_text,
        performed_at=performed_at,
        name=row[ix.workout_name],
        duration_min=minutes,
        notes=[notes] if notes else [],
        exercises=[],
    )


def _add_row(reader: _Reader, draft: _Draft, row: Row, line: int) -> None:
    ix = reader.ix
    name = row[ix.exercise_name]
    if not name:
        raise file_error(line, reader.column(Field.exercise_name), "no exercise name")
    exercise_key = (name, row[ix.superset])
    if draft.exercise_key != exercise_key:
        draft.exercises.append(ParsedExercise(name=name, line=line))
        draft.exercise_key = exercise_key
        exercise_notes = row[ix.exercise_notes]
        if exercise_notes:
            draft.exercises[-1].notes.append(exercise_notes)
    exercise = draft.exercises[-1]
    marker = row[reader.marker_at]
    kind = _WORKING if marker.isdigit() else MARKERS.get(marker.lower())
    if kind is None:
        raise file_error(
            line,
            reader.column(reader.header.layout.markers_in),
            f"{marker!r} is not a set number nor one of {', '.join(m for m in MARKERS if m)}",
        )
    notes = row[ix.notes]
    if kind is _NOTE:
        if notes:
            exercise.notes.append(notes)
        return
    seconds = reader.whole(row[ix.seconds], line, _SECONDS)
    if kind is _REST_TIMER:
        if seconds:
            exercise.notes.append(f"Rest timer: {seconds} s")
        return
    reps = reader.whole(row[ix.reps], line, _REPS)
    distance = reader.distance(row, line) if row[ix.distance] not in _NO_DISTANCE else None
    load_kg, load_note = reader.load(row[ix.weight], line, row)
    rpe = reader.number(row[ix.rpe], line, _RPE)
    if not reps and not seconds and not distance:
        reader.warnings.at("empty rows skipped (sets never completed)", line)
        return
    position = len(exercise.sets) + 1
    drop = kind is _DROP
    extras = (
        [text for text in ("drop set" if drop else None, load_note, distance, notes) if text]
        if drop or load_note or distance or notes
        else []
    )
    if not reps and not seconds:  # distance only: nothing a set can hold but a note
        exercise.notes.append(f"{'; '.join(extras)} (no reps nor time: not a set)")
        reader.warnings.at("distance-only rows kept as exercise notes", line)
        return
    if extras:
        exercise.notes.append(f"Set {position}: {'; '.join(extras)}")
    exercise.sets.append(
        ParsedSet(
            line=line,
            reps=reps if reps or not seconds else None,
            load_kg=load_kg,
            # Legwork rates RPE in half points; Strong and Hevy do too, a stray value rounds.
            rpe=None if rpe is None else round(rpe * 2) / 2,
            rir=0 if kind is _FAILURE else None,
            duration_s=seconds or None,
            warmup=kind is _WARMUP,
        )
    )


def _finish(draft: _Draft, warnings: Warnings) -> ParsedWorkout | None:
    """The workout read, or None (with a warning) when it has no set at all."""
    exercises = []
    for exercise in draft.exercises:
        if exercise.sets:
            exercises.append(exercise)
        elif exercise.notes:
            draft.notes.append(f"{exercise.name}: " + "; ".join(exercise.notes))
    if not exercises:
        warnings.add(
            f"line {draft.line}: workout {draft.name!r} of {draft.start_text} has no completed "
            "set; skipped"
        )
        return None
    notes = "\n".join(draft.notes)
    if len(notes) > NOTES_LIMIT:
        warnings.add(f"line {draft.line}: workout notes cut to {NOTES_LIMIT} characters")
    return ParsedWorkout(
        line=draft.line,
        performed_at=draft.performed_at,
        name=draft.name,
        duration_min=draft.duration_min,
        notes=notes[:NOTES_LIMIT] or None,
        exercises=exercises,
    )
