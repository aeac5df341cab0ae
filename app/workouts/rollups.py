"""Set rollups (workouts.models.SetRollup): recomputed from the sets of the local dates a write
touched, in the write's own transaction, so they always agree with the sets.

A write calls `refresh` after its sets are in place; it deletes the dates' rollups and sums
them again from `workout_sets` in one INSERT … SELECT. On PostgreSQL the athlete's row is locked
first (FOR NO KEY UPDATE, which foreign-key checks don't wait for), so two writes of one
athlete refresh one after the other and the second sees the first's sets; on SQLite writes are
already one at a time."""

import uuid
from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Delete,
    Float,
    Insert,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    insert,
    not_,
    select,
)
from sqlmodel import Session

from app.athletes.models import Athlete
from app.progress.formulas import MAX_E1RM_RTF
from app.sql import month_start, week_start
from app.workouts.models import ROLLUPS, SETS

ATHLETES = Athlete.__table__  # type: ignore[attr-defined]


def reps_to_failure() -> ColumnElement[float]:
    """Reps to failure (docs/training.md "Metrics"): reps + RIR; RIR from `rir`, else
    10 − rpe, else 0."""
    rir = func.coalesce(cast(SETS.c.rir, Float), 10.0 - SETS.c.rpe, 0.0)
    return SETS.c.reps + rir


def _summed_sets() -> list[ColumnElement[Any]]:
    """The rollup's columns, in ROLLUPS' order, summed from SETS grouped by its key."""
    rtf = reps_to_failure()
    reps = func.coalesce(SETS.c.reps, 0)
    # Only working sets with reps ≥ 1, load > 0 and rtf ≤ 12 estimate a 1RM.
    eligible = and_(SETS.c.reps >= 1, SETS.c.load_kg > 0, rtf <= MAX_E1RM_RTF)
    max_rtf = func.max(case((eligible, rtf)))
    load = SETS.c.load_kg
    columns: dict[str, ColumnElement[Any]] = {
        "athlete_id": SETS.c.athlete_id,
        "local_date": SETS.c.local_date,
        "exercise": SETS.c.exercise,
        "load_kg": load,
        "week_start": week_start(SETS.c.local_date),
        "month_start": month_start(SETS.c.local_date),
        "sets": func.count(),
        "reps": func.sum(reps),
        "volume_kg": func.sum(reps) * load,
        "left_reps": func.sum(case((SETS.c.side == "left", reps), else_=0)),
        "right_reps": func.sum(case((SETS.c.side == "right", reps), else_=0)),
        "max_reps": func.max(SETS.c.reps),
        "max_rtf": max_rtf,
        # Epley, as progress.formulas.e1rm_epley computes it (the same float operations).
        "e1rm_kg": case((max_rtf == 1, load), else_=load * (1 + max_rtf / 30.0)),
    }
    assert list(columns) == [c.name for c in ROLLUPS.columns], "keep _summed_sets in step"
    return list(columns.values())


SUMMED = _summed_sets()


def _statements(some_dates: bool) -> tuple[Delete, Insert]:
    """The DELETE of an athlete's rollups and the INSERT … SELECT that sums them again, for
    the dates in the `dates` parameter or (some_dates=False) all of them. Built once."""
    athlete: BindParameter[uuid.UUID] = bindparam("athlete_id")
    stale = delete(ROLLUPS).where(ROLLUPS.c.athlete_id == athlete)
    summed = select(*SUMMED).where(SETS.c.athlete_id == athlete, not_(SETS.c.warmup))
    if some_dates:
        stale = stale.where(ROLLUPS.c.local_date.in_(bindparam("dates", expanding=True)))
        summed = summed.where(SETS.c.local_date.in_(bindparam("dates", expanding=True)))
    summed = summed.group_by(SETS.c.athlete_id, SETS.c.local_date, SETS.c.exercise, SETS.c.load_kg)
    return stale, insert(ROLLUPS).from_select([c.name for c in ROLLUPS.columns], summed)


SOME_DATES = _statements(some_dates=True)
ALL_DATES = _statements(some_dates=False)
LOCK_ATHLETE = (
    select(ATHLETES.c.id)
    .where(ATHLETES.c.id == bindparam("athlete_id"))
    .with_for_update(key_share=True)
)


def refresh(session: Session, athlete_id: uuid.UUID, dates: Collection[date] | None = None) -> None:
    """Recompute the athlete's rollups of `dates` (all of them when None) from the sets."""
    if dates is not None and not dates:
        return
    connection = session.connection()
    params: dict[str, Any] = {"athlete_id": athlete_id}
    if connection.dialect.name == "postgresql":
        connection.execute(LOCK_ATHLETE, params)
    stale, summed = ALL_DATES if dates is None else SOME_DATES
    if dates is not None:
        params["dates"] = list(dates)
    connection.execute(stale, params)
    connection.execute(summed, params)
