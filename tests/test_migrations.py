"""The schema exists only through alembic: empty → head → base → head, and no drift."""

import json
import uuid
from datetime import date

import pytest
from alembic import command
from alembic.util.exc import CommandError
from sqlalchemy import create_engine, delete, inspect, select, text
from sqlmodel import Session

from app.cli import alembic_config
from app.db import make_engine
from app.workouts import rollups
from app.workouts.models import LOAD_RECORDS, PERIOD_ROLLUPS, ROLLUPS
from tests.conftest import BACKENDS
from tests.databases import TemporaryDatabase

TABLES = {
    "accounts",
    "api_tokens",
    "athletes",
    "workouts",
    "workout_exercises",
    "workout_sets",
    "set_rollups",
    "period_rollups",
    "load_records",
    "custom_exercises",
    "idempotency_keys",
    "plans",
    "plan_sessions",
    "share_links",
    "goals",
    "imported_workouts",
    "changes",
    "webhooks",
    "webhook_deliveries",
}


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


@pytest.mark.parametrize("empty_database", BACKENDS, indirect=True)
def test_upgrade_downgrade_upgrade_without_drift(empty_database: TemporaryDatabase) -> None:
    config = alembic_config(empty_database.url)
    assert _tables(empty_database.url) == set()

    command.upgrade(config, "head")
    assert _tables(empty_database.url) == TABLES
    command.check(config)  # raises when the models and the migrations disagree

    command.downgrade(config, "base")
    assert _tables(empty_database.url) == set()

    command.upgrade(config, "head")
    assert _tables(empty_database.url) == TABLES
    command.check(config)


@pytest.mark.parametrize("empty_database", BACKENDS, indirect=True)
def test_check_notices_an_unmigrated_database(empty_database: TemporaryDatabase) -> None:
    with pytest.raises(CommandError):
        command.check(alembic_config(empty_database.url))


def test_constraints_and_indexes_are_named() -> None:
    from sqlmodel import SQLModel

    import app.models  # noqa: F401

    for table in SQLModel.metadata.tables.values():
        for constraint in table.constraints:
            assert constraint.name, (table.name, constraint)
        for index in table.indexes:
            assert index.name, (table.name, index)
    sets = SQLModel.metadata.tables["workout_sets"]
    assert any(
        [c.name for c in index.columns][:2] == ["athlete_id", "local_date"]
        for index in sets.indexes
    ), "progress metrics read an athlete's sets by date"


BEFORE_EXERCISES_JSON = "b6c1d6c13e65"


def _insert_a_logged_workout(url: str) -> None:
    """An account, an athlete and a workout of two exercises and three sets, in plain SQL (the
    models describe head, not the revision the database is at)."""
    sqlite = url.startswith("sqlite")

    def uid() -> str | uuid.UUID:
        value = uuid.uuid4()
        return value.hex if sqlite else value

    account, athlete, workout = uid(), uid(), uid()
    stamp = "2026-01-05 10:00:00.000000"
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(
            text("INSERT INTO accounts (id, name, created_at) VALUES (:i, 'Club', :t)"),
            {"i": account, "t": stamp},
        )
        c.execute(
            text(
                "INSERT INTO athletes (id, account_id, name, timezone, level, equipment, "
                "version, created_at, updated_at) "
                "VALUES (:i, :a, 'Ada', 'UTC', 'beginner', '[]', 1, :t, :t)"
            ),
            {"i": athlete, "a": account, "t": stamp},
        )
        c.execute(
            text(
                "INSERT INTO workouts (id, athlete_id, performed_at, local_date, version, "
                "created_at, updated_at) VALUES (:i, :a, :t, '2026-01-05', 1, :t, :t)"
            ),
            {"i": workout, "a": athlete, "t": stamp},
        )
        for position, (slug, notes) in enumerate(
            [("hip-thrust", "felt good"), ("calf-raise", None)]
        ):
            c.execute(
                text(
                    "INSERT INTO workout_exercises (workout_id, position, exercise, notes) "
                    "VALUES (:w, :p, :e, :n)"
                ),
                {"w": workout, "p": position, "e": slug, "n": notes},
            )
        for position, exercise, reps, load, warmup in [
            (0, 0, 8, 40.0, True),
            (1, 0, 8, 80.0, False),
            (0, 1, 15, 0.0, False),
        ]:
            c.execute(
                text(
                    "INSERT INTO workout_sets (workout_id, exercise_position, athlete_id, "
                    "local_date, exercise, position, reps, load_kg, rpe, rir, duration_s, side, "
                    "warmup) VALUES (:w, :x, :a, '2026-01-05', :e, :p, :r, :l, 7.5, 2, NULL, "
                    "'both', :u)"
                ),
                {
                    "w": workout,
                    "x": exercise,
                    "a": athlete,
                    "e": ["hip-thrust", "calf-raise"][exercise],
                    "p": position,
                    "r": reps,
                    "l": load,
                    "u": warmup,
                },
            )
    engine.dispose()


@pytest.mark.parametrize("empty_database", BACKENDS, indirect=True)
def test_upgrading_keeps_every_logged_row(empty_database: TemporaryDatabase) -> None:
    """SQLite batch migrations rebuild tables; with foreign keys on, dropping the old table
    would cascade and delete every set. An upgrade must keep every row, and give existing
    workouts their exercises JSON."""
    config = alembic_config(empty_database.url)
    command.upgrade(config, BEFORE_EXERCISES_JSON)
    _insert_a_logged_workout(empty_database.url)
    command.upgrade(config, "head")
    engine = create_engine(empty_database.url)
    with engine.connect() as c:
        counts = {
            table: c.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("accounts", "athletes", "workouts", "workout_exercises", "workout_sets")
        }
        stored = c.execute(text("SELECT exercises_json FROM workouts")).scalar_one()
    engine.dispose()
    assert counts == {
        "accounts": 1,
        "athletes": 1,
        "workouts": 1,
        "workout_exercises": 2,
        "workout_sets": 3,
    }
    assert json.loads(stored) == [
        {
            "exercise": "hip-thrust",
            "notes": "felt good",
            "sets": [
                {
                    "reps": 8,
                    "load_kg": 40.0,
                    "rpe": 7.5,
                    "rir": 2,
                    "duration_s": None,
                    "side": "both",
                    "warmup": True,
                },
                {
                    "reps": 8,
                    "load_kg": 80.0,
                    "rpe": 7.5,
                    "rir": 2,
                    "duration_s": None,
                    "side": "both",
                    "warmup": False,
                },
            ],
        },
        {
            "exercise": "calf-raise",
            "notes": None,
            "sets": [
                {
                    "reps": 15,
                    "load_kg": 0.0,
                    "rpe": 7.5,
                    "rir": 2,
                    "duration_s": None,
                    "side": "both",
                    "warmup": False,
                },
            ],
        },
    ]


@pytest.mark.parametrize("empty_database", BACKENDS, indirect=True)
def test_upgrading_sums_existing_sets_into_rollups(empty_database: TemporaryDatabase) -> None:
    """The migrations that add set and period rollups and load records fill them from the sets
    already logged, exactly as a write would (app.workouts.rollups.refresh)."""
    config = alembic_config(empty_database.url)
    command.upgrade(config, BEFORE_EXERCISES_JSON)
    _insert_a_logged_workout(empty_database.url)
    command.upgrade(config, "head")
    engine = make_engine(empty_database.url)

    def stored() -> tuple[list[tuple[object, ...]], ...]:
        with engine.connect() as c:
            rows = c.execute(select(ROLLUPS).order_by(ROLLUPS.c.exercise)).all()
            periods = c.execute(
                select(PERIOD_ROLLUPS).order_by(PERIOD_ROLLUPS.c.period, PERIOD_ROLLUPS.c.exercise)
            ).all()
            records = c.execute(select(LOAD_RECORDS).order_by(LOAD_RECORDS.c.exercise)).all()
        return tuple([tuple(row)[1:] for row in table] for table in (rows, periods, records))

    backfilled, backfilled_periods, backfilled_records = stored()
    with Session(engine) as session:
        athlete_id = session.execute(select(ROLLUPS.c.athlete_id)).scalars().first()
        assert athlete_id is not None
        session.execute(delete(ROLLUPS))
        session.execute(delete(PERIOD_ROLLUPS))
        session.execute(delete(LOAD_RECORDS))
        rollups.refresh(session, athlete_id)
        session.commit()
    recomputed = stored()
    engine.dispose()
    # (local date, exercise, load, week, month, sets, reps, volume, left, right, max reps,
    # max rtf, e1RM): the warm-up is left out; 8 × 80 kg at RIR 2 → rtf 10 → 80 × 40/30.
    monday, first = date(2026, 1, 5), date(2026, 1, 1)
    e1rm = 80 * (1 + 10 / 30)
    assert backfilled == [
        (monday, "calf-raise", 0.0, monday, first, 1, 15, 0.0, 0, 0, 15, None, None),
        (monday, "hip-thrust", 80.0, monday, first, 1, 8, 640.0, 0, 0, 8, 10.0, e1rm),
    ]
    # (period, start, exercise, sets, reps, volume, e1RM)
    assert backfilled_periods == [
        ("month", first, "calf-raise", 1, 15, 0.0, None),
        ("month", first, "hip-thrust", 1, 8, 640.0, e1rm),
        ("week", monday, "calf-raise", 1, 15, 0.0, None),
        ("week", monday, "hip-thrust", 1, 8, 640.0, e1rm),
    ]
    # (exercise, load, first day, its reps, most reps, their day, e1RM, its rtf, its day)
    assert backfilled_records == [
        ("calf-raise", 0.0, monday, 15, 15, monday, None, None, None),
        ("hip-thrust", 80.0, monday, 8, 8, monday, e1rm, 10.0, monday),
    ]
    assert recomputed == (backfilled, backfilled_periods, backfilled_records)
