"""PostgreSQL: a logged workout takes its athlete's rollup lock in the statement that inserts it
(app.workouts.service._insert), so that the rollup statements after it read every workout
committed before the lock was granted; another writer of the athlete waits for the commit."""

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from app.athletes import service as athletes
from app.athletes.models import Athlete
from app.athletes.schemas import AthleteCreate
from app.auth.service import create_account
from app.db import make_engine
from app.workouts import service
from app.workouts.schemas import WorkoutIn
from tests.conftest import POSTGRESQL
from tests.databases import TemporaryDatabase
from tests.factories import athlete_body, workout_body


def _try_lock(engine: Engine, athlete: Athlete) -> bool:
    """Whether another transaction can take the athlete's rollup lock at once."""
    with engine.connect() as other:
        try:
            other.execute(
                text("SELECT id FROM athletes WHERE id = :id FOR NO KEY UPDATE NOWAIT"),
                {"id": athlete.id},
            )
            return True
        except OperationalError as exc:
            if "could not obtain lock" not in str(exc):
                raise
            return False
        finally:
            other.rollback()


@pytest.mark.parametrize("database", [POSTGRESQL], indirect=True)
def test_a_logged_workout_holds_its_athletes_lock_from_its_insert_to_the_commit(
    database: TemporaryDatabase,
) -> None:
    engine = make_engine(database.url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            account, _ = create_account(session, "Locks")
            athlete = athletes.create(session, account.id, AthleteCreate(**athlete_body()))
            session.commit()
        assert _try_lock(engine, athlete)
        with Session(engine, expire_on_commit=False) as session:
            service.create_many(session, athlete, [WorkoutIn.model_validate(workout_body())])
            assert not _try_lock(engine, athlete), "held by the writer until it commits"
            session.commit()
        assert _try_lock(engine, athlete)
    finally:
        engine.dispose()
