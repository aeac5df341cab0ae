"""Progress metrics: summed in SQL per period, finished by the formulas.

A progress call reads the athlete's set rollups (working sets already summed per local date,
exercise and load when they were written) and workouts, in a few grouped queries whose answers
grow with the periods, not the days: working sets per (period, exercise), workouts and sRPE per
period, each (exercise, load)'s bests for the records, workouts and sRPE per day over the
training-load window, and (only for streaks longer than that window) the workout dates.
"""

import csv
import io
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, reduce
from operator import add
from typing import Any, NamedTuple, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Executable,
    ScalarSelect,
    Select,
    Table,
    bindparam,
    func,
    literal_column,
    select,
    text,
    union_all,
)
from sqlmodel import Session

from app import exercises
from app.athletes.models import Athlete
from app.clock import local_today
from app.enums import posterior_share
from app.errors import InvalidInput, NotFound
from app.exercises import UNKNOWN, ExerciseInfo
from app.goals import service as goals
from app.plans.service import adherence
from app.progress import chart, formulas
from app.progress.formulas import next_period, period_start, period_starts
from app.progress.schemas import (
    MUSCLES,
    Balance,
    ChartMetric,
    E1rmRecord,
    ExerciseAsymmetry,
    LoadRecord,
    Period,
    Records,
    RepsRecord,
    TrainingLoadStats,
)
from app.sql import month_start, week_start
from app.workouts import rollups
from app.workouts.models import LOAD_RECORDS, PERIOD_ROLLUPS, ROLLUPS, SIDED, WORKOUTS

# An answer as plain data in its response model's shape (see app.responses).
Answer = dict[str, Any]

DEFAULT_WEEKS = 12
MAX_RANGE_DAYS = 3660  # ten years of weeks is 522 periods; more is a mistake, not a question


# --- the range and its periods -------------------------------------------------------------


def resolve_range(date_from: date | None, date_to: date | None, today: date) -> tuple[date, date]:
    """`to` defaults to today; `from` to the Monday 11 weeks before `to`'s week (12 weeks)."""
    end = date_to or today
    start = date_from or period_start(end, Period.week) - timedelta(weeks=DEFAULT_WEEKS - 1)
    if start > end:
        raise InvalidInput("from", f"{start} is after `to` ({end})")
    if (end - start).days >= MAX_RANGE_DAYS:
        raise InvalidInput("from", f"the range may span at most {MAX_RANGE_DAYS} days")
    return start, end


def _athlete_range(
    athlete: Athlete, date_from: date | None, date_to: date | None, today: date | None
) -> tuple[date, date]:
    """`resolve_range` with today in the athlete's time zone (unless given)."""
    return resolve_range(date_from, date_to, today or local_today(athlete.timezone))


# --- SQL aggregates --------------------------------------------------------------------------
# Every query reads the set rollups (workouts.models.SetRollup: working sets already summed per
# local date, exercise and load) or the workouts, through the athlete's indexes.


class ExerciseSpan(NamedTuple):
    """One exercise's working sets over one period (or one day), summed in SQL."""

    start: date  # the period's first day, or the day
    exercise: str
    sets: int
    reps: int
    volume: float
    e1rm: float | None  # the best Epley e1RM among eligible sets


def _period_key(period: Period | None) -> ColumnElement[date]:
    if period is Period.week:
        return ROLLUPS.c.week_start
    if period is Period.month:
        return ROLLUPS.c.month_start
    return ROLLUPS.c.local_date


def _bounds(
    athlete_id: uuid.UUID, start: date | None, end: date | None, exercise: str | None = None
) -> dict[str, Any]:
    """The parameters of the queries below (open ends become the calendar's ends)."""
    bounds = {"athlete_id": athlete_id, "start": start or date.min, "end": end or date.max}
    return bounds if exercise is None else {**bounds, "exercise": exercise}


def _in_range(by_exercise: bool) -> list[ColumnElement[bool]]:
    """The athlete's rollups from :start to :end (of :exercise): the statements are built once,
    with parameters, so a call costs no statement building or compiling."""
    where = [
        ROLLUPS.c.athlete_id == bindparam("athlete_id"),
        ROLLUPS.c.local_date >= bindparam("start"),
        ROLLUPS.c.local_date <= bindparam("end"),
    ]
    if by_exercise:
        where.append(ROLLUPS.c.exercise == bindparam("exercise"))
    return where


@cache
def _spans_query(period: Period | None, by_exercise: bool) -> Executable:
    key = _period_key(period)
    return (
        select(key, ROLLUPS.c.exercise, *rollups.SPAN_SUMS)
        .where(*_in_range(by_exercise))
        .group_by(key, ROLLUPS.c.exercise)
        .order_by(key, ROLLUPS.c.exercise)
    )


@cache
def _cut_and_whole_query(period: Period) -> Executable:
    """The periods that `from` and `to` cut, summed from the set rollups of the days
    :start..:head_end and :tail_start..:end, and the whole periods :whole_from..:whole_until
    (exclusive) between them from the period rollups: one statement, one round trip, oldest
    first. Each cut is its own range of the (athlete, day) key, which a planner without
    statistics (a SQLite file never analysed) reads as a range too; an OR of the two ranges it
    read as all of the athlete's days."""
    key = _period_key(period)

    def cut(first: str, last: str) -> Select[Any]:
        return (
            select(key, ROLLUPS.c.exercise, *rollups.SPAN_SUMS)
            .where(
                ROLLUPS.c.athlete_id == bindparam("athlete_id"),
                ROLLUPS.c.local_date.between(bindparam(first), bindparam(last)),
            )
            .group_by(key, ROLLUPS.c.exercise)
        )

    whole = select(
        PERIOD_ROLLUPS.c.period_start,
        PERIOD_ROLLUPS.c.exercise,
        PERIOD_ROLLUPS.c.sets,
        PERIOD_ROLLUPS.c.reps,
        PERIOD_ROLLUPS.c.volume_kg,
        PERIOD_ROLLUPS.c.e1rm_kg,
    ).where(
        PERIOD_ROLLUPS.c.athlete_id == bindparam("athlete_id"),
        PERIOD_ROLLUPS.c.period == bindparam("period"),
        PERIOD_ROLLUPS.c.period_start >= bindparam("whole_from"),
        PERIOD_ROLLUPS.c.period_start < bindparam("whole_until"),
    )
    return union_all(cut("start", "head_end"), whole, cut("tail_start", "end")).order_by(
        literal_column("1"), literal_column("2")
    )


def _spans(session: Session, query: Executable, params: dict[str, Any]) -> list[ExerciseSpan]:
    """The spans read straight from the DBAPI cursor: for the thousands of rows of years of
    weeks, SQLAlchemy's per-row processing costs more than the query. SQLite answers dates as
    ISO text (app.db.LocalDate), PostgreSQL as dates."""
    result = cast(CursorResult[Any], session.execute(query, params))
    try:
        rows = result.cursor.fetchall()
    finally:
        result.close()
    if not rows or not isinstance(rows[0][0], str):
        return list(map(ExerciseSpan._make, rows))
    day = date.fromisoformat
    return [ExerciseSpan(day(s), e, n, r, v, x) for s, e, n, r, v, x in rows]


def exercise_spans(
    session: Session,
    athlete_id: uuid.UUID,
    period: Period | None,
    *,
    start: date | None = None,
    end: date | None = None,
    exercise: str | None = None,
) -> list[ExerciseSpan]:
    """Working sets per (period, exercise) — per (day, exercise) when `period` is None —
    oldest first. The periods wholly inside start..end are read from the period rollups; a
    period cut by `start` or `end` is summed from the set rollups of its days in range."""

    def summed(first: date | None, last: date | None) -> list[ExerciseSpan]:
        query = _spans_query(period, exercise is not None)
        return _spans(session, query, _bounds(athlete_id, first, last, exercise))

    if period is None or exercise is not None or start is None or end is None:
        return summed(start, end)
    whole_from = period_start(start, period)
    if whole_from < start:
        whole_from = next_period(whole_from, period)
    after = end + timedelta(days=1) if end < date.max else end
    whole_until = period_start(after, period)  # exclusive
    if whole_from >= whole_until:
        return summed(start, end)
    params = {
        **_bounds(athlete_id, start, end),
        "head_end": whole_from - timedelta(days=1),  # before `start` when there is no head
        "tail_start": whole_until,  # after `end` when there is no tail
        "period": period.value,
        "whole_from": whole_from,
        "whole_until": whole_until,
    }
    return _spans(session, _cut_and_whole_query(period), params)


SIDES = (
    select(
        ROLLUPS.c.exercise,
        func.sum(ROLLUPS.c.left_reps * ROLLUPS.c.load_kg),
        func.sum(ROLLUPS.c.right_reps * ROLLUPS.c.load_kg),
    )
    .where(*_in_range(False), text(f"({SIDED})"))  # the partial index ix_set_rollups_sided
    .group_by(ROLLUPS.c.exercise)
    .order_by(ROLLUPS.c.exercise)
)


def side_volumes(
    session: Session, athlete_id: uuid.UUID, start: date, end: date
) -> list[tuple[str, float, float]]:
    """(exercise, left volume, right volume) of the exercises done one side at a time in
    start..end, by slug."""
    rows = session.execute(SIDES, _bounds(athlete_id, start, end)).all()
    return [(slug, left, right) for slug, left, right in rows]


class LoadBest(NamedTuple):
    """One exercise at one load over the range: its bests and the first day of each."""

    exercise: str
    load_kg: float
    first_day: date  # the first day this load was lifted for ≥ 1 rep
    first_day_reps: int  # the most reps in one set at this load that day
    reps: int  # the most reps in one set at this load
    reps_day: date  # the first day of those reps
    e1rm: float | None  # the best e1RM at this load (Epley at the best reps to failure)
    rtf: float | None  # that reps to failure
    e1rm_day: date | None  # the first day of it


@cache
def _bests_query(by_exercise: bool) -> Executable:
    return rollups.bests(_in_range(by_exercise))


@cache
def _records_query(by_exercise: bool) -> Executable:
    """The stored load records (LOAD_RECORDS: all of the history), as `_bests_query` reads
    them — none unless :start..:end holds all the athlete's set rollups (of :exercise), which
    two index lookups tell."""

    def on(table: Table) -> list[ColumnElement[bool]]:
        where = [table.c.athlete_id == bindparam("athlete_id")]
        if by_exercise:
            where.append(table.c.exercise == bindparam("exercise"))
        return where

    def day(aggregate: Any) -> ScalarSelect[date]:
        return select(aggregate(ROLLUPS.c.local_date)).where(*on(ROLLUPS)).scalar_subquery()

    return select(*LOAD_RECORDS.c[1:]).where(
        *on(LOAD_RECORDS),
        day(func.min) >= bindparam("start"),
        day(func.max) <= bindparam("end"),
    )


def load_bests(
    session: Session,
    athlete_id: uuid.UUID,
    *,
    start: date | None = None,
    end: date | None = None,
    exercise: str | None = None,
) -> list[LoadBest]:
    """Per (exercise, load), among working sets with ≥ 1 rep: the records' raw material. When
    start..end holds all the athlete's sets (of `exercise`), the stored load records, in one
    statement; else one statement over the range (rollups.bests)."""
    by_exercise = exercise is not None
    params = _bounds(athlete_id, start, end, exercise)
    rows = session.execute(_records_query(by_exercise), params).all()
    if not rows:  # a range cut from the history (or nothing logged: the second finds nothing)
        rows = session.execute(_bests_query(by_exercise), params).all()
    return [LoadBest._make(row) for row in rows]


@dataclass(frozen=True)
class WorkoutDay:
    day: date  # a day, or the first day of a period
    workouts: int
    session_load: float  # Σ sRPE of the workouts that carry both factors


@cache
def _workout_days_query(period: Period | None) -> Executable:
    srpe = WORKOUTS.c.session_rpe * WORKOUTS.c.duration_min
    key: ColumnElement[date] = WORKOUTS.c.local_date
    if period is Period.week:
        key = week_start(key)
    elif period is Period.month:
        key = month_start(key)
    return (
        select(key, func.count(), func.sum(srpe))
        .where(
            WORKOUTS.c.athlete_id == bindparam("athlete_id"),
            WORKOUTS.c.local_date >= bindparam("start"),
            WORKOUTS.c.local_date <= bindparam("end"),
        )
        .group_by(key)
        .order_by(key)
    )


def workout_days(
    session: Session, athlete_id: uuid.UUID, start: date, end: date, period: Period | None = None
) -> list[WorkoutDay]:
    """Workouts and sRPE per local date (per period when given) in start..end, oldest first
    (the (athlete_id, local_date) index)."""
    rows = session.execute(_workout_days_query(period), _bounds(athlete_id, start, end)).all()
    return [
        WorkoutDay(day=day, workouts=int(n), session_load=float(load or 0.0))
        for day, n, load in rows
    ]


def workout_dates(session: Session, athlete_id: uuid.UUID, end: date) -> list[date]:
    """Every local date with a workout up to `end` (read from the index alone)."""
    query = (
        select(WORKOUTS.c.local_date)
        .where(WORKOUTS.c.athlete_id == athlete_id, WORKOUTS.c.local_date <= end)
        .distinct()
    )
    return list(session.scalars(query))


# --- assembling the answer -------------------------------------------------------------------


def _r2(value: float) -> float:
    return round(value, 2) + 0.0  # + 0.0 turns -0.0 into 0.0


def _r3(value: float | None) -> float | None:
    return None if value is None else round(value, 3) + 0.0


# Muscles as plain strings: a StrEnum member hashes in Python, and a 5-year answer makes
# hundreds of these dicts.
MUSCLE_KEYS = tuple(m.value for m in MUSCLES)
NO_SETS = dict.fromkeys(MUSCLE_KEYS, 0.0)


@dataclass
class Tally:
    """Running sums for a period or the whole range."""

    workouts: int = 0
    sets: int = 0
    reps: int = 0
    volume: float = 0.0
    session_load: float = 0.0
    muscles: dict[str, float] = field(default_factory=NO_SETS.copy)
    primary: dict[str, float] = field(default_factory=NO_SETS.copy)

    def add_day(self, day: WorkoutDay) -> None:
        self.workouts += day.workouts
        self.session_load += day.session_load

    def add(self, other: "Tally") -> None:
        self.workouts += other.workouts
        self.sets += other.sets
        self.reps += other.reps
        self.volume += other.volume
        self.session_load += other.session_load
        for muscle in MUSCLE_KEYS:
            self.muscles[muscle] += other.muscles[muscle]
            self.primary[muscle] += other.primary[muscle]

    def volume_fields(self) -> dict[str, object]:
        return {
            "workouts": self.workouts,
            "sets": self.sets,
            "reps": self.reps,
            "volume_load_kg": _r2(self.volume),
            "session_load": _r2(self.session_load),
            "sets_by_muscle": dict(self.muscles),
        }


def _records(bests: Iterable[LoadBest]) -> Records:
    """Records of one exercise from its loads' bests; ties go to the first day, then the
    lighter load."""
    bests = sorted(bests, key=lambda b: b.load_kg)
    lifted = [b for b in bests if b.load_kg > 0]
    heaviest = lifted[-1] if lifted else None
    rated = [b for b in bests if b.e1rm is not None and b.e1rm_day is not None]
    best = min(rated, key=lambda b: (-(b.e1rm or 0.0), b.e1rm_day), default=None)
    return Records(
        heaviest_load=None
        if heaviest is None
        else LoadRecord(
            load_kg=heaviest.load_kg, reps=heaviest.first_day_reps, date=heaviest.first_day
        ),
        best_e1rm=None
        if best is None or best.e1rm is None or best.e1rm_day is None
        else E1rmRecord(
            e1rm_kg=_r2(best.e1rm),
            load_kg=best.load_kg,
            reps_to_failure=best.rtf or 0.0,
            date=best.e1rm_day,
        ),
        most_reps_at_load=[
            RepsRecord(load_kg=b.load_kg, reps=b.reps, date=b.reps_day) for b in bests
        ],
    )


def _exercise_fields(
    slug: str, info: ExerciseInfo, spans: Sequence[ExerciseSpan], bests: Sequence[LoadBest]
) -> dict[str, object]:
    records = _records(bests)
    # Column by column: years of weeks are thousands of spans, and these loops run in C.
    starts, _, sets, reps, volumes, e1rms = zip(*spans, strict=True) if spans else ((),) * 6
    series = [
        {"date": start, "e1rm_kg": round(e1rm, 2) + 0.0}  # _r2, inlined
        for start, e1rm in zip(starts, e1rms, strict=True)
        if e1rm is not None
    ]
    return {
        "exercise": slug,
        "name": info.name or slug,
        "sets": sum(sets),
        "reps": sum(reps),
        "volume_load_kg": _r2(reduce(add, volumes, 0.0)),  # added in order, as a loop would
        "best_e1rm_kg": records.best_e1rm.e1rm_kg if records.best_e1rm else None,
        "e1rm_series": series,
        "records": records,
    }


def daily_loads(days: Iterable[WorkoutDay], start: date, end: date) -> list[float]:
    """Daily sRPE sums for every day start..end (rest days 0), oldest first."""
    loads = [0.0] * ((end - start).days + 1)
    for day in days:
        if start <= day.day <= end:
            loads[(day.day - start).days] += day.session_load
    return loads


def _window_start(end: date) -> date:
    return end - timedelta(days=formulas.TRAINING_LOAD_WINDOW_DAYS - 1)


def _training_load(days: Sequence[WorkoutDay], end: date) -> TrainingLoadStats:
    window_start = _window_start(end)
    load = formulas.training_load(daily_loads(days, window_start, end))
    return TrainingLoadStats(
        as_of=end,
        window_start=window_start,
        window_days=formulas.TRAINING_LOAD_WINDOW_DAYS,
        acute=_r2(load.acute),
        chronic=_r2(load.chronic),
        acwr=_r3(load.acwr),
        acwr_ewma=_r3(load.acwr_ewma),
        monotony=_r3(load.monotony),
        strain=None if load.strain is None else _r2(load.strain),
        fitness=_r2(load.fitness),
        fatigue=_r2(load.fatigue),
        form=_r2(load.form),
    )


def streak_weeks(dates: Iterable[date], end: date) -> int:
    """Consecutive weeks with a workout, ending with the week holding `end`."""
    weeks = {period_start(d, Period.week) for d in dates if d <= end}
    week, streak = period_start(end, Period.week), 0
    while week in weeks:
        streak += 1
        week -= timedelta(days=7)
    return streak


def _streak(
    session: Session, athlete_id: uuid.UUID, days: Sequence[WorkoutDay], since: date, end: date
) -> int:
    streak = streak_weeks((d.day for d in days), end)
    first_missed = period_start(end, Period.week) - timedelta(weeks=streak)
    if first_missed < since:  # that week was only partly fetched: look further back
        streak = streak_weeks(workout_dates(session, athlete_id, end), end)
    return streak


def _asymmetry(
    sides: Iterable[tuple[str, float, float]], infos: dict[str, ExerciseInfo]
) -> list[ExerciseAsymmetry]:
    return [
        ExerciseAsymmetry(
            exercise=slug,
            left_volume_kg=_r2(left),
            right_volume_kg=_r2(right),
            asymmetry=_r3(formulas.asymmetry(left, right)),
        )
        for slug, left, right in sides
        if infos.get(slug, UNKNOWN).unilateral
    ]


@dataclass(frozen=True)
class RangeData:
    start: date
    end: date
    period: Period | None  # None: every day
    spans: list[ExerciseSpan]  # per (period, exercise)
    workouts: list[WorkoutDay]  # per period
    infos: dict[str, ExerciseInfo]


def _fetch(
    session: Session, athlete: Athlete, start: date, end: date, period: Period | None
) -> RangeData:
    spans = exercise_spans(session, athlete.id, period, start=start, end=end)
    workouts = workout_days(session, athlete.id, start, end, period)
    infos = exercises.find(session, athlete.account_id, {s.exercise for s in spans})
    return RangeData(start, end, period, spans, workouts, infos)


def _tallies(data: RangeData) -> list[tuple[date, Tally]]:
    if data.period is None:
        days = range((data.end - data.start).days + 1)
        periods = {data.start + timedelta(days=n): Tally() for n in days}
    else:
        periods = {s: Tally() for s in period_starts(data.start, data.end, data.period)}
    # Inlined, with each exercise's muscles looked up once: a 5-year answer adds thousands.
    muscles_of = {  # as plain strings (a StrEnum member hashes in Python)
        slug: (tuple(map(str, info.primary)), tuple(map(str, info.secondary)))
        for slug, info in data.infos.items()
    }
    for span in data.spans:
        tally, sets = periods[span.start], span.sets
        tally.sets += sets
        tally.reps += span.reps
        tally.volume += span.volume
        primary, secondary = muscles_of.get(span.exercise, ((), ()))
        for muscle in primary:  # a primary muscle's set counts 1, a secondary's 0.5
            tally.muscles[muscle] += sets
            tally.primary[muscle] += sets
        for muscle in secondary:
            tally.muscles[muscle] += 0.5 * sets
    for day in data.workouts:
        periods[day.day].add_day(day)
    return list(periods.items())


def _period_rows(tallies: Iterable[tuple[date, Tally]], period: Period) -> list[Answer]:
    return [
        {**tally.volume_fields(), "start": s, "end": next_period(s, period) - timedelta(days=1)}
        for s, tally in tallies
    ]


def periods(
    session: Session,
    athlete: Athlete,
    *,
    date_from: date | None,
    date_to: date | None,
    period: Period,
    today: date | None = None,
) -> Answer:
    """Only `from`, `to` and `periods` of GET .../progress — all its CSV holds."""
    start, end = _athlete_range(athlete, date_from, date_to, today)
    tallies = _tallies(_fetch(session, athlete, start, end, period))
    return {"from": start, "to": end, "periods": _period_rows(tallies, period)}


def progress(
    session: Session,
    athlete: Athlete,
    *,
    date_from: date | None,
    date_to: date | None,
    period: Period,
    today: date | None = None,
) -> Answer:
    """Everything GET .../progress answers, as plain data in Progress's shape (field order and
    aliases), for app.responses.json_bytes: years of weeks are thousands of small objects, and
    validating what this code just built would cost more than building it."""
    start, end = _athlete_range(athlete, date_from, date_to, today)
    data = _fetch(session, athlete, start, end, period)
    tallies = _tallies(data)
    totals = Tally()
    for _, tally in tallies:
        totals.add(tally)
    spans_of: dict[str, list[ExerciseSpan]] = defaultdict(list)
    for span in data.spans:
        spans_of[span.exercise].append(span)
    bests_of: dict[str, list[LoadBest]] = defaultdict(list)
    for best in load_bests(session, athlete.id, start=start, end=end):
        bests_of[best.exercise].append(best)
    window_start = _window_start(end)
    window = workout_days(session, athlete.id, window_start, end)
    return {
        "athlete_id": athlete.id,
        "timezone": athlete.timezone,
        "from": start,
        "to": end,
        "period": period,
        "totals": totals.volume_fields(),
        "periods": _period_rows(tallies, period),
        "exercises": [
            _exercise_fields(slug, data.infos.get(slug, UNKNOWN), spans, bests_of[slug])
            for slug, spans in sorted(spans_of.items())
        ],
        "training_load": _training_load(window, end),
        "balance": Balance(
            posterior_share=_r3(posterior_share(totals.primary)),
            asymmetry=_asymmetry(side_volumes(session, athlete.id, start, end), data.infos),
        ),
        "streak_weeks": _streak(session, athlete.id, window, window_start, end),
        "adherence": adherence(session, athlete.id, end),
        "goals": goals.measured(session, athlete, end),
    }


def exercise_history(
    session: Session,
    athlete: Athlete,
    slug: str,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Answer:
    """One exercise's history, all of it or within `from`..`to`, in ExerciseHistory's shape;
    404 when the exercise is neither in the catalog nor the account's."""
    if date_from and date_to and date_from > date_to:
        raise InvalidInput("from", f"{date_from} is after `to` ({date_to})")
    info = exercises.find(session, athlete.account_id, [slug]).get(slug)
    if info is None:
        raise NotFound(f"No exercise {slug!r} in the catalog or among this account's own")
    days = exercise_spans(session, athlete.id, None, start=date_from, end=date_to, exercise=slug)
    bests = load_bests(session, athlete.id, start=date_from, end=date_to, exercise=slug)
    return {
        **_exercise_fields(slug, info, days, bests),
        "first_date": days[0].start if days else None,
        "last_date": days[-1].start if days else None,
        "volume_series": [
            {"date": d.start, "sets": d.sets, "reps": d.reps, "volume_load_kg": _r2(d.volume)}
            for d in days
        ],
    }


# --- CSV and chart ---------------------------------------------------------------------------

CSV_COLUMNS = (
    "start",
    "end",
    "workouts",
    "sets",
    "reps",
    "volume_load_kg",
    "session_load",
    *(f"sets_{m}" for m in MUSCLES),
)


def load_series(
    session: Session,
    athlete: Athlete,
    *,
    date_from: date | None,
    date_to: date | None,
    today: date | None = None,
) -> Answer:
    """GET .../load-series: every local day of the range, rest days included, with its session
    load and working sets — the daily input of a fitness/fatigue model. Summed like progress's
    periods, one day a period."""
    start, end = _athlete_range(athlete, date_from, date_to, today)
    days = _tallies(_fetch(session, athlete, start, end, None))
    return {
        "athlete_id": athlete.id,
        "timezone": athlete.timezone,
        "from": start,
        "to": end,
        "days": [
            {
                "date": day,
                "session_load": _r2(t.session_load),
                "workouts": t.workouts,
                "working_sets": t.sets,
                "volume_load_kg": _r2(t.volume),
                "posterior_share": _r3(posterior_share(t.primary)),
            }
            for day, t in days
        ],
    }


SERIES_COLUMNS = (
    "date",
    "session_load",
    "workouts",
    "working_sets",
    "volume_load_kg",
    "posterior_share",
)


def load_series_csv(series: Answer) -> str:
    """The days of a load series as CSV, header first; an empty posterior_share when none."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(SERIES_COLUMNS)
    for d in series["days"]:
        share = d["posterior_share"]
        writer.writerow(
            [
                d["date"].isoformat(),
                f"{d['session_load']:g}",
                d["workouts"],
                d["working_sets"],
                f"{d['volume_load_kg']:g}",
                "" if share is None else f"{share:g}",
            ]
        )
    return out.getvalue()


def periods_csv(report: Answer) -> str:
    """The periods of a progress answer (or of `periods`) as CSV, one row a period, header
    first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for p in report["periods"]:
        muscles = p["sets_by_muscle"]
        writer.writerow(
            [
                p["start"].isoformat(),
                p["end"].isoformat(),
                p["workouts"],
                p["sets"],
                p["reps"],
                f"{p['volume_load_kg']:g}",
                f"{p['session_load']:g}",
                *(f"{muscles[m]:g}" for m in MUSCLE_KEYS),
            ]
        )
    return out.getvalue()


def _label(start: date, period: Period) -> str:
    return start.strftime("%b %d") if period is Period.week else start.strftime("%b %Y")


def progress_chart(
    session: Session,
    athlete: Athlete,
    *,
    metric: ChartMetric,
    exercise: str | None,
    date_from: date | None,
    date_to: date | None,
    period: Period,
    today: date | None = None,
) -> str:
    """An SVG chart of one metric over the range."""
    start, end = _athlete_range(athlete, date_from, date_to, today)
    unit = "week" if period is Period.week else "month"
    if metric is ChartMetric.e1rm:
        if not exercise:
            raise InvalidInput("exercise", "metric=e1rm needs an exercise slug")
        info = exercises.find(session, athlete.account_id, [exercise]).get(exercise)
        if info is None:
            raise InvalidInput("exercise", f"{exercise!r} is not a known exercise")
        days = exercise_spans(session, athlete.id, None, start=start, end=end, exercise=exercise)
        return chart.line_chart(
            f"Estimated 1RM — {info.name} — {athlete.name}",
            [(d.start, _r2(d.e1rm)) for d in days if d.e1rm is not None],
            start=start,
            end=end,
            y_label="e1RM (kg, Epley)",
            x_label=f"{start.isoformat()} to {end.isoformat()}",
        )
    tallies = _tallies(_fetch(session, athlete, start, end, period))
    labels = [_label(s, period) for s, _ in tallies]
    if metric is ChartMetric.volume_load:
        title, y_label = f"Volume load per {unit} — {athlete.name}", "Volume load (kg)"
        values = [t.volume for _, t in tallies]
    else:
        title, y_label = f"Session load per {unit} — {athlete.name}", "Session load (AU, sRPE)"
        values = [t.session_load for _, t in tallies]
    return chart.bar_chart(title, labels, values, y_label=y_label, x_label=f"{unit} starting")
