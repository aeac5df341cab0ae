"""Any exercise a workout may name: a catalog exercise, or a custom exercise of the account.

Workouts check names against it, progress reads muscles from it: one lookup for both."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from app.catalog.service import get_catalog
from app.custom_exercises.models import CustomExercise


@dataclass(frozen=True)
class ExerciseInfo:
    name: str
    primary: tuple[str, ...]
    secondary: tuple[str, ...]
    unilateral: bool


UNKNOWN = ExerciseInfo(name="", primary=(), secondary=(), unilateral=False)


def find(session: Session, account_id: uuid.UUID, slugs: Iterable[str]) -> dict[str, ExerciseInfo]:
    """The known ones of `slugs`: catalog exercises from memory, the account's custom ones in
    one query. A slug missing from the answer is neither."""
    catalog = get_catalog()
    found: dict[str, ExerciseInfo] = {}
    custom: set[str] = set()
    for slug in slugs:
        exercise = catalog.get(slug)
        if exercise is None:
            custom.add(slug)
            continue
        found[slug] = ExerciseInfo(
            name=exercise.name,
            primary=tuple(exercise.primary_muscles),
            secondary=tuple(exercise.secondary_muscles),
            unilateral=exercise.unilateral,
        )
    if custom:
        rows = session.scalars(
            select(CustomExercise).where(
                col(CustomExercise.account_id) == account_id, col(CustomExercise.slug).in_(custom)
            )
        ).all()
        for row in rows:
            found[row.slug] = ExerciseInfo(
                name=row.name,
                primary=tuple(row.primary_muscles),
                secondary=tuple(row.secondary_muscles),
                unilateral=row.unilateral,
            )
    return found
