"""Set and period rollups and load records checked against the sets they sum, read straight from
a database."""

from typing import Any

from sqlalchemy import Select, literal_column, not_, select

from app.db import make_engine
from app.workouts import rollups
from app.workouts.models import LOAD_RECORDS, PERIOD_ROLLUPS, ROLLUPS, SETS


def _periods_summed() -> Select[Any]:
    """Every period rollup row the set rollups sum to now, in key order."""
    summed = [
        select(
            ROLLUPS.c.athlete_id,
            literal_column(f"'{period.value}'").label("period"),
            key.label("period_start"),
            ROLLUPS.c.exercise,
            *rollups.SPAN_SUMS,
        ).group_by(ROLLUPS.c.athlete_id, key, ROLLUPS.c.exercise)
        for period, key in rollups.PERIOD_KEYS.items()
    ]
    both = summed[0].union_all(summed[1]).subquery()
    return select(both).order_by(
        both.c.athlete_id, both.c.period, both.c.period_start, both.c.exercise
    )


def stored_and_summed(url: str) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every stored rollup row (set rollups, period rollups, then load records), and every row
    the sets sum to now, both in key order: equal when no write left its rollups behind (or
    raced another's)."""
    key = [SETS.c.athlete_id, SETS.c.local_date, SETS.c.exercise, SETS.c.load_kg]
    summed = select(*rollups.SUMMED).where(not_(SETS.c.warmup)).group_by(*key).order_by(*key)
    stored = select(ROLLUPS).order_by(
        ROLLUPS.c.athlete_id, ROLLUPS.c.local_date, ROLLUPS.c.exercise, ROLLUPS.c.load_kg
    )
    stored_periods = select(PERIOD_ROLLUPS).order_by(*PERIOD_ROLLUPS.primary_key.columns)
    stored_records = select(LOAD_RECORDS).order_by(*LOAD_RECORDS.primary_key.columns)
    records = rollups.bests([], every_athlete=True).subquery()
    summed_records = select(records).order_by(*records.c[:3])
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return (
                [tuple(r) for r in connection.execute(stored)]
                + [tuple(r) for r in connection.execute(stored_periods)]
                + [tuple(r) for r in connection.execute(stored_records)],
                [tuple(r) for r in connection.execute(summed)]
                + [tuple(r) for r in connection.execute(_periods_summed())]
                + [tuple(r) for r in connection.execute(summed_records)],
            )
    finally:
        engine.dispose()
