"""Set rollups (workouts.models.SetRollup): recomputed from the sets of the local dates a write
touched, in the write's own transaction, so they always agree with the sets.

A write calls `refresh` after its sets are in place; it sums the dates' rollups again from
`workout_sets` in one INSERT … SELECT, then does the same for the weeks and months holding
those dates (workouts.models.PeriodRollup), summed from the set rollups, and keeps the
athlete's bests per (exercise, load) (workouts.models.LoadRecord). A new workout upserts its
sums over the old rows and raises the bests; any other write deletes what it sums again. On
PostgreSQL the athlete's row is locked first (FOR NO KEY UPDATE, which foreign-key checks don't
wait for), so two writes of one athlete refresh one after the other and the second sees the
first's sets; on SQLite writes are already one at a time."""

import uuid
from collections.abc import Collection, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Delete,
    Float,
    Insert,
    ScalarSelect,
    Select,
    Table,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    insert,
    literal_column,
    not_,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from app.athletes.models import Athlete
from app.progress.formulas import MAX_E1RM_RTF, next_period, period_start
from app.progress.schemas import Period
from app.sql import month_start, week_start
from app.workouts.models import LOAD_RECORDS, PERIOD_ROLLUPS, ROLLUPS, SETS

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


DIALECTS = {"sqlite": sqlite, "postgresql": postgresql}


def _upserts(table: Table, summed: Select[Any]) -> dict[str, Insert]:
    """INSERT … SELECT `summed` into `table`, a row already there taking the summed values:
    for a write that only added sets, whose rollups' keys are the old ones and maybe more —
    one statement, not a DELETE and an INSERT. Per dialect (both spell it ON CONFLICT)."""
    key = [c.name for c in table.primary_key.columns]
    upserts = {}
    for name, dialect in DIALECTS.items():
        upsert = dialect.insert(table).from_select([c.name for c in table.columns], summed)
        upserts[name] = upsert.on_conflict_do_update(
            index_elements=key,
            set_={c.name: upsert.excluded[c.name] for c in table.columns if c.name not in key},
        )
    return upserts


def _statements(one_date: bool) -> tuple[Delete, Select[Any]]:
    """The DELETE of an athlete's rollups and the SELECT that sums them again, for the date in
    the `date` parameter or (one_date=False) all of them. Built and compiled once: plain
    parameters, no expanding lists to render again at each execution."""
    athlete: BindParameter[uuid.UUID] = bindparam("athlete_id")
    stale = delete(ROLLUPS).where(ROLLUPS.c.athlete_id == athlete)
    summed = select(*SUMMED).where(SETS.c.athlete_id == athlete, not_(SETS.c.warmup))
    if one_date:
        stale = stale.where(ROLLUPS.c.local_date == bindparam("date"))
        summed = summed.where(SETS.c.local_date == bindparam("date"))
    summed = summed.group_by(SETS.c.athlete_id, SETS.c.local_date, SETS.c.exercise, SETS.c.load_kg)
    return stale, summed


def _insert(table: Table, summed: Select[Any]) -> Insert:
    return insert(table).from_select([c.name for c in table.columns], summed)


_stale_date, _summed_date = _statements(one_date=True)
_stale_dates, _summed_dates = _statements(one_date=False)
ONE_DATE = _stale_date, _insert(ROLLUPS, _summed_date)
ALL_DATES = _stale_dates, _insert(ROLLUPS, _summed_dates)
ONE_DATE_ADDED = _upserts(ROLLUPS, _summed_date)
PERIOD_KEYS = {Period.week: ROLLUPS.c.week_start, Period.month: ROLLUPS.c.month_start}
# A write touching more local dates than this (an import) sums all the athlete's rollups again,
# one statement a table, rather than date by date.
MANY_DATES = 8


# Set rollups summed over a longer span (a period): sets, reps, volume and the best e1RM.
SPAN_SUMS: tuple[ColumnElement[Any], ...] = (
    func.sum(ROLLUPS.c.sets),
    func.sum(ROLLUPS.c.reps),
    func.sum(ROLLUPS.c.volume_kg),
    func.max(ROLLUPS.c.e1rm_kg),
)


def _summed_periods(period: Period) -> Select[Any]:
    """An athlete's `period` rollups summed from the set rollups."""
    key = PERIOD_KEYS[period]
    return (
        select(
            ROLLUPS.c.athlete_id,
            literal_column(f"'{period.value}'").label("period"),
            key.label("period_start"),
            ROLLUPS.c.exercise,
            *SPAN_SUMS,
        )
        .where(ROLLUPS.c.athlete_id == bindparam("athlete_id"))
        .group_by(ROLLUPS.c.athlete_id, key, ROLLUPS.c.exercise)
    )


def _period_statements(one_date: bool) -> tuple[Delete, Select[Any]]:
    """The DELETE of an athlete's week and month rollups and the INSERT … SELECT that sums them
    again from the set rollups: those of the week `week`..`week_last` and the month
    `month`..`month_last` (the periods holding one date), or (one_date=False) all of them.
    Built once."""
    stale = delete(PERIOD_ROLLUPS).where(PERIOD_ROLLUPS.c.athlete_id == bindparam("athlete_id"))
    week, month = _summed_periods(Period.week), _summed_periods(Period.month)
    if one_date:
        stale = stale.where(
            or_(
                and_(
                    PERIOD_ROLLUPS.c.period == Period.week.value,
                    PERIOD_ROLLUPS.c.period_start == bindparam("week"),
                ),
                and_(
                    PERIOD_ROLLUPS.c.period == Period.month.value,
                    PERIOD_ROLLUPS.c.period_start == bindparam("month"),
                ),
            )
        )
        week = week.where(ROLLUPS.c.local_date.between(bindparam("week"), bindparam("week_last")))
        month = month.where(
            ROLLUPS.c.local_date.between(bindparam("month"), bindparam("month_last"))
        )
    # WHERE true: SQLite would read an upsert's ON CONFLICT after a bare FROM as a join's ON.
    return stale, select(union_all(week, month).subquery()).where(true())


_stale_periods, _summed_periods_of_date = _period_statements(one_date=True)
ONE_DATE_PERIODS = _stale_periods, _insert(PERIOD_ROLLUPS, _summed_periods_of_date)
ONE_DATE_PERIODS_ADDED = _upserts(PERIOD_ROLLUPS, _summed_periods_of_date)
_stale_all_periods, _summed_all_periods = _period_statements(one_date=False)
ALL_PERIODS = _stale_all_periods, _insert(PERIOD_ROLLUPS, _summed_all_periods)


def bests(
    where: Sequence[ColumnElement[bool]], *, with_athlete: bool = False, every_athlete: bool = False
) -> Select[Any]:
    """Per (exercise, load) among the set rollups matching `where` with ≥ 1 rep, in
    LOAD_RECORDS' column order (athlete_id first only `with_athlete`): the first day, its most
    reps, the most reps and their first day, the best e1RM, its reps to failure and their first
    day. A grouped scan, and for each group index lookups of the first days (ix_set_rollups_
    records). `every_athlete` when `where` does not pin one athlete: the lookups then match the
    athlete too (where it does, that match would let SQLite's planner, misled by statistics of
    many small athletes, scan the athlete's whole range instead: 2 → 20 ms for a year)."""
    best = (
        select(
            ROLLUPS.c.athlete_id,
            ROLLUPS.c.exercise,
            ROLLUPS.c.load_kg,
            func.min(ROLLUPS.c.local_date).label("first_day"),
            func.max(ROLLUPS.c.max_reps).label("reps"),
            func.max(ROLLUPS.c.max_rtf).label("rtf"),
            func.max(ROLLUPS.c.e1rm_kg).label("e1rm"),
        )
        .where(*where, ROLLUPS.c.max_reps >= 1)
        .group_by(ROLLUPS.c.athlete_id, ROLLUPS.c.exercise, ROLLUPS.c.load_kg)
        .subquery()
    )
    same_load = [
        *where,
        *([ROLLUPS.c.athlete_id == best.c.athlete_id] if every_athlete else []),
        ROLLUPS.c.exercise == best.c.exercise,
        ROLLUPS.c.load_kg == best.c.load_kg,
    ]

    def first_with(column: ColumnElement[Any], value: ColumnElement[Any]) -> ScalarSelect[date]:
        """The first day in `where` when `column` of this exercise and load equals `value`."""
        return (
            select(func.min(ROLLUPS.c.local_date))
            .where(*same_load, column == value)
            .scalar_subquery()
        )

    first_day_reps = (
        select(ROLLUPS.c.max_reps)
        .where(*same_load, ROLLUPS.c.local_date == best.c.first_day)
        .scalar_subquery()
    )
    return select(
        *([best.c.athlete_id] if with_athlete or every_athlete else []),
        best.c.exercise,
        best.c.load_kg,
        best.c.first_day,
        first_day_reps,
        best.c.reps,
        first_with(ROLLUPS.c.max_reps, best.c.reps),
        best.c.e1rm,
        best.c.rtf,
        first_with(ROLLUPS.c.max_rtf, best.c.rtf),
    )


ATHLETE_RECORDS = (
    delete(LOAD_RECORDS).where(LOAD_RECORDS.c.athlete_id == bindparam("athlete_id")),
    insert(LOAD_RECORDS).from_select(
        [c.name for c in LOAD_RECORDS.columns],
        bests([ROLLUPS.c.athlete_id == bindparam("athlete_id")], with_athlete=True),
    ),
)


def _raised_records(dialect: Any) -> Insert:
    """The athlete's load records raised by the set rollups of the local date in `date`, which
    a new workout can only have raised (a day's maxima only grow as its workouts are added):
    an upsert whose ties go to the earlier day, as `bests` breaks them. Both databases spell
    it INSERT … ON CONFLICT DO UPDATE, through their own dialect's construct."""
    has_rtf = ROLLUPS.c.max_rtf.is_not(None)
    day = ROLLUPS.c.local_date
    raised = dialect.insert(LOAD_RECORDS).from_select(
        [c.name for c in LOAD_RECORDS.columns],
        select(
            ROLLUPS.c.athlete_id,
            ROLLUPS.c.exercise,
            ROLLUPS.c.load_kg,
            day,
            ROLLUPS.c.max_reps,
            ROLLUPS.c.max_reps,
            day,
            ROLLUPS.c.e1rm_kg,
            ROLLUPS.c.max_rtf,
            case((has_rtf, day)),
        ).where(
            ROLLUPS.c.athlete_id == bindparam("athlete_id"),
            ROLLUPS.c.local_date == bindparam("date"),
            ROLLUPS.c.max_reps >= 1,
        ),
    )
    old, new = LOAD_RECORDS.c, raised.excluded
    more_rtf = or_(old.rtf.is_(None), new.rtf > old.rtf)
    return raised.on_conflict_do_update(  # type: ignore[no-any-return]
        index_elements=[old.athlete_id, old.exercise, old.load_kg],
        set_={
            "first_day": case((new.first_day < old.first_day, new.first_day), else_=old.first_day),
            "first_day_reps": case(
                (new.first_day <= old.first_day, new.first_day_reps), else_=old.first_day_reps
            ),
            "reps": case((new.reps > old.reps, new.reps), else_=old.reps),
            "reps_day": case(
                (
                    or_(
                        new.reps > old.reps,
                        and_(new.reps == old.reps, new.reps_day < old.reps_day),
                    ),
                    new.reps_day,
                ),
                else_=old.reps_day,
            ),
            "e1rm_kg": case(
                (or_(old.e1rm_kg.is_(None), new.e1rm_kg > old.e1rm_kg), new.e1rm_kg),
                else_=old.e1rm_kg,
            ),
            "rtf": case((more_rtf, new.rtf), else_=old.rtf),
            "e1rm_day": case(
                (
                    or_(more_rtf, and_(new.rtf == old.rtf, new.e1rm_day < old.e1rm_day)),
                    new.e1rm_day,
                ),
                else_=old.e1rm_day,
            ),
        },
    )


RAISED_RECORDS = {name: _raised_records(dialect) for name, dialect in DIALECTS.items()}
# PostgreSQL, one date's workout added: the week and month rollups and the load records both
# read only the set rollups, written by the statement before, and write tables apart: one
# statement, the periods' upsert a data-modifying CTE of the records' (a round trip less).
PERIODS_AND_RECORDS_ADDED = RAISED_RECORDS["postgresql"].add_cte(
    ONE_DATE_PERIODS_ADDED["postgresql"].cte("periods_summed")
)
LOCKED_ATHLETE = "athlete_id"  # LOCK_ATHLETE's parameter
LOCK_ATHLETE = (
    select(ATHLETES.c.id)
    .where(ATHLETES.c.id == bindparam(LOCKED_ATHLETE))
    .with_for_update(key_share=True)
)


def _periods_of(day: date) -> dict[str, date]:
    """The parameters of ONE_DATE_PERIODS for the week and month holding `day`."""
    week, month = period_start(day, Period.week), period_start(day, Period.month)
    return {
        "week": week,
        "week_last": next_period(week, Period.week) - timedelta(days=1),
        "month": month,
        "month_last": next_period(month, Period.month) - timedelta(days=1),
    }


def refresh(
    session: Session,
    athlete_id: uuid.UUID,
    dates: Collection[date] | None = None,
    *,
    added: bool = False,
    athlete_locked: bool = False,
) -> None:
    """Recompute the athlete's rollups of `dates` (all of them when None) from the sets, and
    those of the weeks and months holding them, and the athlete's load records. When the write
    only `added` sets (a new workout), no rollup can vanish: the sums are upserted over the old
    rows and the records raised, three statements a date; else deleted and summed again.
    `athlete_locked`: a statement of this transaction already took the athlete's lock
    (PostgreSQL: a logged workout's insert does, app.workouts.service._insert)."""
    if dates is not None and not dates:
        return
    connection = session.connection()
    athlete = {"athlete_id": athlete_id}
    if connection.dialect.name == "postgresql" and not athlete_locked:
        connection.execute(LOCK_ATHLETE, athlete)
    if dates is None or len(dates) > MANY_DATES:
        for stale, summed in (ALL_DATES, ALL_PERIODS, ATHLETE_RECORDS):
            connection.execute(stale, athlete)
            connection.execute(summed, athlete)
        return
    dialect = connection.dialect.name
    if added and dialect == "postgresql" and len(dates) == 1:
        (day,) = dates
        connection.execute(ONE_DATE_ADDED[dialect], {**athlete, "date": day})
        connection.execute(PERIODS_AND_RECORDS_ADDED, {**athlete, "date": day, **_periods_of(day)})
        return
    for day in sorted(dates):
        on_date = {**athlete, "date": day}
        if added:
            connection.execute(ONE_DATE_ADDED[dialect], on_date)
        else:
            for statement in ONE_DATE:
                connection.execute(statement, on_date)
    for day in sorted(dates):  # after every date's set rollups: a period may hold two of them
        periods = {**athlete, **_periods_of(day)}
        if added:
            connection.execute(ONE_DATE_PERIODS_ADDED[dialect], periods)
        else:
            for statement in ONE_DATE_PERIODS:
                connection.execute(statement, periods)
    if added:
        for day in sorted(dates):
            connection.execute(RAISED_RECORDS[dialect], {**athlete, "date": day})
    else:
        for statement in ATHLETE_RECORDS:
            connection.execute(statement, athlete)
