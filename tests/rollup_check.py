"""Set rollups checked against the sets they sum, read straight from a database."""

from typing import Any

from sqlalchemy import not_, select

from app.db import make_engine
from app.workouts import rollups
from app.workouts.models import ROLLUPS, SETS


def stored_and_summed(url: str) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every stored rollup row, and every row the sets sum to now, both in key order: equal
    when no write left its rollups behind (or raced another's)."""
    key = [SETS.c.athlete_id, SETS.c.local_date, SETS.c.exercise, SETS.c.load_kg]
    summed = select(*rollups.SUMMED).where(not_(SETS.c.warmup)).group_by(*key).order_by(*key)
    stored = select(ROLLUPS).order_by(
        ROLLUPS.c.athlete_id, ROLLUPS.c.local_date, ROLLUPS.c.exercise, ROLLUPS.c.load_kg
    )
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return (
                [tuple(r) for r in connection.execute(stored)],
                [tuple(r) for r in connection.execute(summed)],
            )
    finally:
        engine.dispose()
