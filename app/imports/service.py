"""Fingerprints of imported workouts: what makes an import exactly-once (docs/imports.md)."""

import hashlib
import uuid
from collections.abc import Collection, Sequence
from operator import attrgetter

import pydantic_core
from sqlalchemy import insert, select
from sqlmodel import Session

from app.db import utcnow
from app.imports.models import IMPORTED
from app.workouts.schemas import WorkoutIn

# What a set contributes to the fingerprint, in this order (each set a JSON array of them).
_SET_VALUES = attrgetter("reps", "load_kg", "rpe", "rir", "duration_s", "side", "warmup")


def fingerprint(source: str, body: WorkoutIn, name: str, origin: uuid.UUID | None = None) -> str:
    """SHA-256 of the source, the start time (UTC), the workout's title and its sets, each with
    the exercise it was read as: the same workout read again, from the same file, a longer
    export or Legwork's own CSV of it, has the same fingerprint. A workout of Legwork's JSON
    export is known by its `origin` id instead: two workouts logged alike stay two."""
    if origin is not None:
        return hashlib.sha256(f"{source}:{origin}".encode()).hexdigest()
    sets = [[e.exercise, list(map(_SET_VALUES, e.sets))] for e in body.exercises]
    text = pydantic_core.to_json([source, body.performed_at.isoformat(), name, sets])
    return hashlib.sha256(text).hexdigest()


def known(session: Session, athlete_id: uuid.UUID, fingerprints: Collection[str]) -> set[str]:
    """Those of `fingerprints` an earlier import of the athlete stored."""
    if not fingerprints:
        return set()
    rows = session.execute(
        select(IMPORTED.c.fingerprint).where(
            IMPORTED.c.athlete_id == athlete_id, IMPORTED.c.fingerprint.in_(list(fingerprints))
        )
    )
    return set(rows.scalars())


def remember(
    session: Session,
    athlete_id: uuid.UUID,
    source: str,
    made: Sequence[tuple[str, uuid.UUID, str]],
) -> None:
    """Store the fingerprint, workout id and title of each workout an import made."""
    if made:
        now = utcnow()
        session.connection().execute(
            insert(IMPORTED),
            [
                {
                    "athlete_id": athlete_id,
                    "fingerprint": fingerprint,
                    "workout_id": workout_id,
                    "source": source,
                    "name": name[:200],
                    "created_at": now,
                }
                for fingerprint, workout_id, name in made
            ],
        )


def names(session: Session, athlete_id: uuid.UUID) -> dict[uuid.UUID, str]:
    """The source titles of the athlete's imported workouts, by workout id (for the exports)."""
    rows = session.execute(
        select(IMPORTED.c.workout_id, IMPORTED.c.name).where(IMPORTED.c.athlete_id == athlete_id)
    )
    return dict(rows.all())
