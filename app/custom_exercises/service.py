"""Custom exercises: the account's own additions beside the catalog."""

import uuid

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.athletes.models import Athlete
from app.catalog.service import get_catalog
from app.changes.service import Changed, Kind, Op, record
from app.custom_exercises.models import CustomExercise
from app.custom_exercises.schemas import CustomExerciseCreate
from app.errors import Conflict, InvalidInput, NotFound
from app.pagination import PageParams, keyset_page
from app.workouts.models import Workout, WorkoutExercise


def create(session: Session, account_id: uuid.UUID, body: CustomExerciseCreate) -> CustomExercise:
    assert body.slug is not None
    if get_catalog().get(body.slug) is not None:
        raise InvalidInput("slug", f"{body.slug!r} is a catalog exercise: log it by that slug")
    exercise = CustomExercise(account_id=account_id, **body.model_dump(mode="json"))
    try:
        with session.begin_nested():  # a taken slug rolls back this insert only
            session.add(exercise)
    except IntegrityError:
        raise Conflict(f"This account already has a custom exercise {body.slug!r}") from None
    _changed(session, account_id, exercise.slug, Op.upsert)
    return exercise


def _changed(session: Session, account_id: uuid.UUID, slug: str, op: Op) -> None:
    record(session, account_id, Changed(Kind.custom_exercise, slug, None, op))


def get(session: Session, account_id: uuid.UUID, slug: str) -> CustomExercise:
    exercise = session.exec(
        select(CustomExercise).where(
            CustomExercise.account_id == account_id, CustomExercise.slug == slug
        )
    ).first()
    if exercise is None:
        raise NotFound(f"No custom exercise {slug!r}")
    return exercise


def list_page(
    session: Session, account_id: uuid.UUID, page: PageParams
) -> tuple[list[CustomExercise], str | None]:
    query = select(CustomExercise).where(CustomExercise.account_id == account_id)
    return keyset_page(session, query, [col(CustomExercise.slug)], page)


def delete(session: Session, account_id: uuid.UUID, slug: str) -> None:
    """Delete one no workout names; logged history keeps its meaning."""
    exercise = get(session, account_id, slug)
    in_use = session.exec(
        select(WorkoutExercise.workout_id)
        .join(Workout, col(Workout.id) == col(WorkoutExercise.workout_id))
        .join(Athlete, col(Athlete.id) == col(Workout.athlete_id))
        .where(Athlete.account_id == account_id, WorkoutExercise.exercise == slug)
        .limit(1)
    ).first()
    if in_use is not None:
        raise Conflict(f"Workouts name {slug!r}; delete or edit them first")
    session.delete(exercise)
    session.flush()
    _changed(session, account_id, slug, Op.delete)


def all_of(session: Session, account_id: uuid.UUID) -> list[CustomExercise]:
    """Every custom exercise of the account (an import matches names against them)."""
    return list(session.exec(select(CustomExercise).where(CustomExercise.account_id == account_id)))


def create_imported(
    session: Session,
    account_id: uuid.UUID,
    *,
    slug: str,
    name: str,
    primary_muscles: list[str],
    equipment: list[str],
) -> CustomExercise:
    """A custom exercise for a name an imported file uses; unlike `create`, it may have no
    primary muscle (an upper-body or unclassified exercise counts in no muscle group). The
    caller picks a slug free in the account and the catalog."""
    exercise = CustomExercise(
        account_id=account_id,
        slug=slug,
        name=name,
        primary_muscles=primary_muscles,
        secondary_muscles=[],
        equipment=equipment,
    )
    session.add(exercise)
    _changed(session, account_id, slug, Op.upsert)
    return exercise
