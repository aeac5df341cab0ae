"""Workout logs: written in one transaction, read back with their sets in three queries."""

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pydantic_core
from sqlalchemy import bindparam, insert, select
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
    WorkoutIn,
    WorkoutPatch,
    WorkoutPublic,
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


def _write_exercises(
    session: Session, workout: Workout, exercises: list[WorkoutExerciseIn]
) -> None:
    """Insert the exercises and the sets: one statement each, however many there are."""
    exercise_rows = [
        {"workout_id": workout.id, "position": i, "exercise": e.exercise, "notes": e.notes}
        for i, e in enumerate(exercises)
    ]
    set_rows = [
        {
            "workout_id": workout.id,
            "athlete_id": workout.athlete_id,
            "local_date": workout.local_date,
            "exercise": e.exercise,
            "exercise_position": i,
            "position": j,
            **{name: getattr(s, name) for name in SET_FIELDS},
        }
        for i, e in enumerate(exercises)
        for j, s in enumerate(e.sets)
    ]
    # Core executemany on the request's connection: the ORM's bulk path costs more than the
    # statements themselves at this size.
    connection = session.connection()
    connection.execute(insert(EXERCISES), exercise_rows)
    connection.execute(insert(SETS), set_rows)


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
Document = dict[str, Any]


def _exercise_documents(exercises: list[WorkoutExerciseIn]) -> list[Document]:
    """The exercises and sets as WorkoutPublic shows them."""
    return [
        {
            "exercise": e.exercise,
            "notes": e.notes,
            "sets": [{name: getattr(s, name) for name in SET_FIELDS} for s in e.sets],
        }
        for e in exercises
    ]


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


def _exercises_json(exercises: list[WorkoutExerciseIn]) -> str:
    return pydantic_core.to_json(_exercise_documents(exercises)).decode()


def create(session: Session, athlete: Athlete, body: WorkoutIn) -> Workout:
    _check_exercises(session, athlete, body.exercises)
    if body.planned_session is not None:
        check_planned_session(session, athlete.id, body.planned_session)
    workout = Workout(
        athlete_id=athlete.id,
        local_date=local_date_of(body.performed_at, athlete.timezone),
        exercises_json=_exercises_json(body.exercises),
        **body.model_dump(exclude={"exercises"}),
    )
    session.connection().execute(insert(WORKOUTS), [workout.model_dump()])
    _write_exercises(session, workout, body.exercises)
    rollups.refresh(session, athlete.id, {workout.local_date})
    _changed(session, athlete, workout.id, workout.version)
    return workout


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
        _write_exercises(session, workout, body.exercises)
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
