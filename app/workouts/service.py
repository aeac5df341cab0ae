"""Workout logs: written in one transaction, read back with their sets in three queries."""

import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from functools import lru_cache
from operator import attrgetter
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import pydantic_core
from pydantic import TypeAdapter
from sqlalchemy import JSON, Connection, Dialect, Table, bindparam, insert, select, tuple_
from sqlalchemy import delete as sql_delete
from sqlalchemy import update as sql_update
from sqlmodel import Session, col

from app import exercises as exercise_lookup
from app.athletes.models import Athlete
from app.changes.service import Changed, Kind, Op, record
from app.db import utcnow
from app.errors import FieldError, InvalidInput, NotFound
from app.etags import check_if_match, etag_of
from app.pagination import PageParams, keyset_page
from app.plans.service import check_planned_session
from app.workouts import rollups
from app.workouts.models import (
    EXERCISES,
    SETS,
    WORKOUTS,
    Workout,
    WorkoutExercise,
    WorkoutSet,
)
from app.workouts.schemas import (
    WorkoutExerciseIn,
    WorkoutExercisePublic,
    WorkoutIn,
    WorkoutPatch,
    WorkoutPublic,
    WorkoutSetIn,
    WorkoutSetPublic,
)


def local_date_of(moment: datetime, timezone: str) -> date:
    """The athlete's calendar day at `moment`."""
    return moment.astimezone(ZoneInfo(timezone)).date()


def _check_exercises(
    session: Session, athlete: Athlete, exercises: list[WorkoutExerciseIn]
) -> None:
    """Every exercise must be a catalog slug or a custom exercise of the account (else 422)."""
    known = exercise_lookup.find(session, athlete.account_id, {e.exercise for e in exercises})
    errors = [
        FieldError(
            field=f"exercises[{i}].exercise",
            message=f"{e.exercise!r} is neither a catalog exercise nor a custom exercise "
            "of this account",
        )
        for i, e in enumerate(exercises)
        if e.exercise not in known
    ]
    if errors:
        raise InvalidInput.of(errors)


def _exercise_rows(
    written: Sequence[tuple[dict[str, Any], list[WorkoutExerciseIn]]],
) -> list[tuple[Table, dict[str, list[Any]]]]:
    """The rows of the exercises and the sets of the workouts (their rows' id, athlete_id and
    local_date), a column at a time, for `_insert`."""
    exercises: dict[str, list[Any]] = {
        "workout_id": [],
        "position": [],
        "exercise": [],
        "notes": [],
    }
    sets: dict[str, list[Any]] = {
        "workout_id": [],
        "athlete_id": [],
        "local_date": [],
        "exercise": [],
        "exercise_position": [],
        "position": [],
    }
    listed_sets: list[WorkoutSetIn] = []
    # Built a column at a time, an exercise's sets at once: what is the same for all of them
    # repeated, the sets' own values read in one pass at the end.
    for workout, listed in written:
        workout_id, athlete_id, local_date = (
            workout["id"],
            workout["athlete_id"],
            workout["local_date"],
        )
        for i, e in enumerate(listed):
            exercises["workout_id"].append(workout_id)
            exercises["position"].append(i)
            exercises["exercise"].append(e.exercise)
            exercises["notes"].append(e.notes)
            n = len(e.sets)
            sets["workout_id"] += [workout_id] * n
            sets["athlete_id"] += [athlete_id] * n
            sets["local_date"] += [local_date] * n
            sets["exercise"] += [e.exercise] * n
            sets["exercise_position"] += [i] * n
            sets["position"] += range(n)
            listed_sets += e.sets
    own = zip(*map(attrgetter(*SET_FIELDS), listed_sets), strict=True)
    sets.update(zip(SET_FIELDS, map(list, own), strict=True) if listed_sets else [])
    return [(EXERCISES, exercises), (SETS, sets)]


class _Insert(NamedTuple):
    """An INSERT compiled for one dialect and set of columns, with each column's bind
    processor (None when the driver takes the value as it is)."""

    sql: str
    positional: bool
    keys: list[str]  # the parameters' order
    processors: list[Callable[[Any], Any] | None]
    json: list[bool]  # which columns hold JSON (None is SQL NULL there, not JSON null)


@lru_cache(maxsize=64)
def _compiled_insert(table: Table, columns: tuple[str, ...], dialect: Dialect) -> _Insert:
    """Compiled once per (table, columns, dialect): a request writes three such statements, and
    compiling them each time cost about as much as running them."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
    keys = list(compiled.positiontup or []) if compiled.positional else list(columns)
    types = [table.c[key].type for key in keys]
    return _Insert(
        sql=str(compiled),
        positional=compiled.positional,
        keys=keys,
        processors=[t.dialect_impl(dialect).bind_processor(dialect) for t in types],
        json=[isinstance(t, JSON) for t in types],
    )


Rows = tuple[Table, dict[str, list[Any]]]
"""A table's rows, a column at a time (equal lists)."""


def _insert(connection: Connection, *batches: Rows, locking: uuid.UUID | None = None) -> bool:
    """The rows of each table, parents first, on the request's connection. On PostgreSQL one
    statement for all of them (`_unnest_insert`): one round trip, however many rows and tables;
    with `locking`, an athlete's id, the same statement takes that athlete's rollup lock
    (rollups.LOCK_ATHLETE), and True says it did. Elsewhere a Core executemany a table (SQLite
    runs them in process): the ORM's bulk path, or a dict a row, costs more than the statements
    themselves at this size."""
    batches = tuple((table, columns) for table, columns in batches if _row_count(columns))
    if not batches:
        return False
    dialect = connection.dialect
    if dialect.name == "postgresql":
        params: dict[str, Any] = {
            f"{n}_{key}": values
            for n, (table, columns) in enumerate(batches)
            for key, values in _processed(_compiled_insert(table, tuple(columns), dialect), columns)
        }
        if locking is not None:
            params[rollups.LOCKED_ATHLETE] = locking
        shape = tuple((table, tuple(columns)) for table, columns in batches)
        connection.exec_driver_sql(_unnest_insert(shape, dialect, locking is not None), params)
        return locking is not None
    for table, columns in batches:
        statement = _compiled_insert(table, tuple(columns), dialect)
        rows = zip(*(values for _, values in _processed(statement, columns)), strict=True)
        if statement.positional:
            connection.exec_driver_sql(statement.sql, list(rows))
        else:
            connection.exec_driver_sql(
                statement.sql, [dict(zip(statement.keys, row, strict=True)) for row in rows]
            )
    return False


def _row_count(columns: dict[str, list[Any]]) -> int:
    return len(next(iter(columns.values()), []))


def _processed(
    statement: _Insert, columns: dict[str, list[Any]]
) -> Iterator[tuple[str, list[Any]]]:
    """(key, values) of each column in the statement's parameter order, each passed through its
    bind processor at once: SQLAlchemy's per-row parameter handling costs twice SQLite's own
    work for the 50,000 sets of an import (bench/bench_import.py)."""
    for key, process, is_json in zip(
        statement.keys, statement.processors, statement.json, strict=True
    ):
        values = columns[key]
        if process is not None and is_json:
            values = [None if value is None else process(value) for value in values]
        elif process is not None:
            # Ids and dates repeat for every set of a workout: each one processed once, known
            # by its identity (the values are alive in `columns`; hashing a UUID is Python's).
            seen: dict[int, Any] = {id(None): None}
            values = [
                seen[ident]
                if (ident := id(value)) in seen
                else seen.setdefault(ident, process(value))
                for value in values
            ]
        yield key, values


@lru_cache(maxsize=16)
def _unnest_insert(
    shape: tuple[tuple[Table, tuple[str, ...]], ...], dialect: Dialect, locking: bool
) -> str:
    """PostgreSQL: INSERT … SELECT * FROM unnest(one array a column) for each table, the
    tables before the last in data-modifying CTEs. All of them run in one statement, whose
    foreign keys are checked at its end, so a parent and its children go together; the
    parameter of table n's column c is `n_c`. `locking`: the athlete's rollup lock taken in a
    CTE too, which the last insert joins so that it runs (a plain SELECT in a WITH runs only
    when read); it holds zero or one row, and the join adds none."""
    quote = dialect.identifier_preparer.quote
    inserts = []
    for n, (table, columns) in enumerate(shape):
        arrays = ", ".join(
            f"%({n}_{column})s::{table.c[column].type.compile(dialect=dialect)}[]"
            for column in columns
        )
        names = ", ".join(quote(column) for column in columns)
        rows = f"unnest({arrays}) AS unnested"
        inserts.append(f"INSERT INTO {quote(table.name)} ({names}) SELECT unnested.* FROM {rows}")
    *parents, last = inserts
    ctes = [f"inserted_{n} AS ({sql})" for n, sql in enumerate(parents)]
    if locking:
        ctes.insert(0, f"locked AS ({rollups.LOCK_ATHLETE.compile(dialect=dialect)})")
        last += " LEFT JOIN locked ON true"
    return f"WITH {', '.join(ctes)} {last}" if ctes else last


def _clear_exercises(session: Session, workout_id: uuid.UUID) -> None:
    session.execute(sql_delete(WorkoutSet).where(col(WorkoutSet.workout_id) == workout_id))
    session.execute(
        sql_delete(WorkoutExercise).where(col(WorkoutExercise.workout_id) == workout_id)
    )


# An answer is WorkoutPublic's JSON: the workout's columns serialised by pydantic-core, and
# between them the exercises JSON stored with the workout, spliced in as written (it was
# serialised from the same shape). No ORM objects, no validation again.
WORKOUT_FIELDS = tuple(WorkoutPublic.model_fields)
SET_FIELDS = tuple(WorkoutSetPublic.model_fields)
_EXERCISES_AT = WORKOUT_FIELDS.index("exercises")
HEAD, TAIL = WORKOUT_FIELDS[:_EXERCISES_AT], WORKOUT_FIELDS[_EXERCISES_AT + 1 :]
assert HEAD, "answer_json splices `exercises` between other fields"
assert TAIL, "answer_json splices `exercises` between other fields"
ANSWER_COLUMNS = [WORKOUTS.c[name] for name in HEAD + TAIL] + [WORKOUTS.c.exercises_json]


def answer_json(values: Sequence[Any]) -> bytes:
    """One workout's answer from the values of ANSWER_COLUMNS."""
    head = pydantic_core.to_json(dict(zip(HEAD, values, strict=False)))
    tail = pydantic_core.to_json(dict(zip(TAIL, values[len(HEAD) :], strict=False)))
    exercises: str = values[-1]
    return head[:-1] + b',"exercises":' + exercises.encode() + b"," + tail[1:]


def workout_json(workout: Workout) -> bytes:
    """A Workout's answer."""
    return answer_json([getattr(workout, c.key) for c in ANSWER_COLUMNS])


def page_json(rows: Sequence[Sequence[Any]], next_cursor: str | None) -> bytes:
    """A page of answers, from rows of ANSWER_COLUMNS."""
    items = b",".join(answer_json(row) for row in rows)
    return b'{"items":[' + items + b'],"next_cursor":' + pydantic_core.to_json(next_cursor) + b"}"


# The stored exercises JSON is WorkoutExercisePublic's; the request models serialise to the same
# fields in the same order, by pydantic-core alone.
assert tuple(WorkoutExerciseIn.model_fields) == tuple(WorkoutExercisePublic.model_fields)
assert tuple(WorkoutSetIn.model_fields) == SET_FIELDS
_EXERCISES_IN = TypeAdapter(list[WorkoutExerciseIn])


def _exercises_json(exercises: list[WorkoutExerciseIn]) -> str:
    """The exercises and sets as WorkoutPublic shows them."""
    return _EXERCISES_IN.dump_json(exercises).decode()


def _new_workout(athlete: Athlete, body: WorkoutIn, now: datetime) -> dict[str, Any]:
    """A new workout's row (built as a dict: an import makes thousands)."""
    return {
        "id": uuid.uuid4(),
        "athlete_id": athlete.id,
        "local_date": local_date_of(body.performed_at, athlete.timezone),
        "exercises_json": _exercises_json(body.exercises),
        "version": 1,
        "created_at": now,
        "updated_at": now,
        **{name: getattr(body, name) for name in NEW_FIELDS},
    }


NEW_FIELDS = tuple(name for name in WorkoutIn.model_fields if name != "exercises")


def create(session: Session, athlete: Athlete, body: WorkoutIn) -> Workout:
    return Workout(**create_many(session, athlete, [body])[0])


def create_many(
    session: Session, athlete: Athlete, bodies: Sequence[WorkoutIn]
) -> list[dict[str, Any]]:
    """Log several workouts (an import) with one statement per table and one rollup refresh;
    returns their rows."""
    if not bodies:
        return []
    _check_exercises(session, athlete, [e for body in bodies for e in body.exercises])
    for body in bodies:
        if body.planned_session is not None:
            check_planned_session(session, athlete.id, body.planned_session)
    now = utcnow()
    rows = [_new_workout(athlete, body, now) for body in bodies]
    locked = _insert(
        session.connection(),
        (WORKOUTS, {key: [row[key] for row in rows] for key in rows[0]}),
        *_exercise_rows([(row, body.exercises) for row, body in zip(rows, bodies, strict=True)]),
        locking=athlete.id,
    )
    dates = {row["local_date"] for row in rows}
    rollups.refresh(session, athlete.id, dates, added=True, athlete_locked=locked)
    record(
        session,
        athlete.account_id,
        *(
            Changed(Kind.workout, row["id"], athlete.id, Op.upsert, etag_of(row["version"]))
            for row in rows
        ),
    )
    return rows


def all_rows(
    session: Session, athlete_id: uuid.UUID, batch: int = 500
) -> Iterator[Sequence[Sequence[Any]]]:
    """Every workout of the athlete, oldest first, as rows of ANSWER_COLUMNS, `batch` at a
    time (an export streams them)."""
    performed_at, workout_id = WORKOUTS.c.performed_at, WORKOUTS.c.id
    query = (
        select(*ANSWER_COLUMNS)
        .where(WORKOUTS.c.athlete_id == athlete_id)
        .order_by(performed_at, workout_id)
        .limit(batch)
    )
    after: tuple[Any, Any] | None = None
    while True:
        page = query if after is None else query.where(tuple_(performed_at, workout_id) > after)
        rows = session.execute(page).all()
        if not rows:
            return
        yield rows
        last = dict(zip(HEAD, rows[-1], strict=False))
        after = (last["performed_at"], last["id"])


def _changed(
    session: Session, athlete: Athlete, workout_id: uuid.UUID, version: int | None
) -> None:
    """The changes feed's row: an upsert at `version`, or (None) a delete."""
    op, etag = (Op.delete, None) if version is None else (Op.upsert, etag_of(version))
    record(session, athlete.account_id, Changed(Kind.workout, workout_id, athlete.id, op, etag))


def get_owned(session: Session, athlete: Athlete, workout_id: uuid.UUID) -> Workout:
    workout = session.get(Workout, workout_id)
    if workout is None or workout.athlete_id != athlete.id:
        raise NotFound("No workout with this id for this athlete")
    return workout


def list_page(
    session: Session,
    athlete: Athlete,
    page: PageParams,
    date_from: date | None,
    date_to: date | None,
) -> bytes:
    """Newest first, optionally within local dates [date_from, date_to]: the page's JSON."""
    if date_from and date_to and date_from > date_to:
        raise InvalidInput("from", "must not be after `to`")
    # The columns, not ORM objects: a page is 50 rows to turn into answers, nothing to track.
    query = select(*ANSWER_COLUMNS).where(WORKOUTS.c.athlete_id == athlete.id)
    if date_from:
        query = query.where(WORKOUTS.c.local_date >= date_from)
    if date_to:
        query = query.where(WORKOUTS.c.local_date <= date_to)
    rows, next_cursor = keyset_page(
        session, query, [WORKOUTS.c.performed_at, WORKOUTS.c.id], page, descending=True
    )
    return page_json(rows, next_cursor)


def update(
    session: Session,
    athlete: Athlete,
    workout: Workout,
    body: WorkoutIn | WorkoutPatch,
    if_match: str | None,
) -> Workout:
    """PUT (a whole WorkoutIn) or PATCH (the fields set): exercises, if given, are replaced."""
    check_if_match(if_match, workout.version)
    changes = body.model_dump(exclude_unset=not isinstance(body, WorkoutIn))
    if changes.get("planned_session") is not None:
        check_planned_session(session, athlete.id, changes["planned_session"])
    new_exercises = changes.pop("exercises", None)
    if new_exercises is not None:
        _check_exercises(session, athlete, body.exercises)
        workout.exercises_json = _exercises_json(body.exercises)
    for field, value in changes.items():
        setattr(workout, field, value)
    old_date, new_date = workout.local_date, local_date_of(workout.performed_at, athlete.timezone)
    date_moved = new_date != old_date
    workout.local_date = new_date
    workout.version += 1
    workout.updated_at = utcnow()
    session.add(workout)
    session.flush()
    if new_exercises is not None:
        _clear_exercises(session, workout.id)
        written = {"id": workout.id, "athlete_id": athlete.id, "local_date": new_date}
        _insert(session.connection(), *_exercise_rows([(written, body.exercises)]))
    elif date_moved:
        session.execute(
            sql_update(WorkoutSet)
            .where(col(WorkoutSet.workout_id) == workout.id)
            .values(local_date=new_date)
        )
    if new_exercises is not None or date_moved:
        rollups.refresh(session, athlete.id, {old_date, new_date})
    _changed(session, athlete, workout.id, workout.version)
    return workout


def delete(session: Session, athlete: Athlete, workout: Workout, if_match: str | None) -> None:
    check_if_match(if_match, workout.version)
    session.delete(workout)
    session.flush()
    rollups.refresh(session, workout.athlete_id, {workout.local_date})
    _changed(session, athlete, workout.id, None)


def relocate_dates(session: Session, athlete: Athlete) -> None:
    """After a time-zone change, recompute the local date of every workout and set that moved."""
    rows = session.execute(
        select(
            WORKOUTS.c.id, WORKOUTS.c.performed_at, WORKOUTS.c.local_date, WORKOUTS.c.version
        ).where(WORKOUTS.c.athlete_id == athlete.id)
    ).all()
    moved = [
        {"wid": workout_id, "new_date": new_date, "new_version": version + 1}
        for workout_id, performed_at, old_date, version in rows
        if (new_date := local_date_of(performed_at, athlete.timezone)) != old_date
    ]
    if not moved:
        return
    session.execute(
        sql_update(WORKOUTS)
        .where(WORKOUTS.c.id == bindparam("wid"))
        .values(local_date=bindparam("new_date"), version=bindparam("new_version")),
        moved,
    )
    session.execute(
        sql_update(SETS)
        .where(SETS.c.workout_id == bindparam("wid"))
        .values(local_date=bindparam("new_date")),
        moved,
    )
    rollups.refresh(session, athlete.id)
    record(
        session,
        athlete.account_id,
        *(
            Changed(Kind.workout, m["wid"], athlete.id, Op.upsert, etag_of(m["new_version"]))
            for m in moved
        ),
    )
