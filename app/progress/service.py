"""Progress metrics: summed in SQL over the athlete's date index, finished by the formulas.

Three small grouped queries answer a progress call, however long the athlete's history:
working sets per (local date, exercise, load), workouts and sRPE per local date over the
training-load window, and (only for streaks longer than that window) the athlete's workout dates.
No query returns an athlete's individual sets.
"""

import csv
import io
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Float, and_, case, cast, func, not_, select
from sqlmodel import Session

from app import exercises
from app.athletes.models import Athlete
from app.enums import posterior_share
from app.errors import InvalidInput, NotFound
from app.exercises import UNKNOWN, ExerciseInfo
from app.progress import chart, formulas
from app.progress.schemas import (
    MUSCLES,
    Asymmetry,
    Balance,
    ChartMetric,
    E1rmPoint,
    E1rmRecord,
    ExerciseHistory,
    ExerciseProgress,
    LoadRecord,
    MuscleSets,
    Period,
    PeriodStats,
    Progress,
    Records,
    RepsRecord,
    TrainingLoadStats,
    Volume,
    VolumePoint,
)
from app.workouts.models import SETS, WORKOUTS

DEFAULT_WEEKS = 12
MAX_RANGE_DAYS = 3660  # ten years of weeks is 522 periods; more is a mistake, not a question


# --- the range and its periods -------------------------------------------------------------


def local_today(timezone: str) -> date:
    return datetime.now(ZoneInfo(timezone)).date()


def resolve_range(date_from: date | None, date_to: date | None, today: date) -> tuple[date, date]:
    """`to` defaults to today; `from` to the Monday 11 weeks before `to`'s week (12 weeks)."""
    end = date_to or today
    start = date_from or period_start(end, Period.week) - timedelta(weeks=DEFAULT_WEEKS - 1)
    if start > end:
        raise InvalidInput("from", f"{start} is after `to` ({end})")
    if (end - start).days >= MAX_RANGE_DAYS:
        raise InvalidInput("from", f"the range may span at most {MAX_RANGE_DAYS} days")
    return start, end


def period_start(day: date, period: Period) -> date:
    """The Monday of `day`'s week, or the 1st of its month."""
    if period is Period.week:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def next_period(start: date, period: Period) -> date:
    if period is Period.week:
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def period_starts(start: date, end: date, period: Period) -> list[date]:
    """Starts of every period touching start..end, oldest first."""
    starts, current = [], period_start(start, period)
    while current <= end:
        starts.append(current)
        current = next_period(current, period)
    return starts


# --- SQL aggregates --------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadGroup:
    """Working sets of one exercise at one load on one local date, summed in SQL."""

    day: date
    exercise: str
    load_kg: float
    sets: int
    reps: int
    max_reps: int | None
    max_rtf: float | None  # the highest reps-to-failure among e1RM-eligible sets
    left_reps: int
    right_reps: int

    @property
    def volume(self) -> float:
        return self.reps * self.load_kg

    @property
    def e1rm(self) -> float | None:
        # For a fixed load Epley grows with rtf, so the group's best set has the highest rtf.
        return None if self.max_rtf is None else formulas.e1rm_epley(self.load_kg, self.max_rtf)


def _reps_to_failure_sql() -> ColumnElement[float]:
    """Reps to failure (docs/training.md "Metrics"): reps + RIR; RIR from `rir`, else 10 − rpe,
    else 0."""
    rir = func.coalesce(cast(SETS.c.rir, Float), 10.0 - SETS.c.rpe, 0.0)
    return SETS.c.reps + rir


def load_groups(
    session: Session,
    athlete_id: uuid.UUID,
    *,
    start: date | None = None,
    end: date | None = None,
    exercise: str | None = None,
) -> list[LoadGroup]:
    """Working sets grouped by (local date, exercise, load), oldest first. Uses the
    (athlete_id, local_date) index, or (athlete_id, exercise, local_date) for one exercise."""
    rtf = _reps_to_failure_sql()
    reps = func.coalesce(SETS.c.reps, 0)
    # Only working sets with reps ≥ 1, load > 0 and rtf ≤ 12 estimate a 1RM.
    eligible = and_(
        SETS.c.reps >= 1,
        SETS.c.load_kg > 0,
        rtf <= formulas.MAX_E1RM_RTF,
    )
    query = select(
        SETS.c.local_date,
        SETS.c.exercise,
        SETS.c.load_kg,
        func.count(),
        func.sum(reps),
        func.max(SETS.c.reps),
        func.max(case((eligible, rtf))),
        func.sum(case((SETS.c.side == "left", reps), else_=0)),
        func.sum(case((SETS.c.side == "right", reps), else_=0)),
    ).where(SETS.c.athlete_id == athlete_id, not_(SETS.c.warmup))
    if exercise is not None:
        query = query.where(SETS.c.exercise == exercise)
    if start is not None:
        query = query.where(SETS.c.local_date >= start)
    if end is not None:
        query = query.where(SETS.c.local_date <= end)
    query = query.group_by(SETS.c.local_date, SETS.c.exercise, SETS.c.load_kg).order_by(
        SETS.c.local_date, SETS.c.exercise, SETS.c.load_kg
    )
    return [
        LoadGroup(
            day=day,
            exercise=slug,
            load_kg=float(load),
            sets=int(sets),
            reps=int(rep_sum or 0),
            max_reps=None if max_reps is None else int(max_reps),
            max_rtf=None if max_rtf is None else float(max_rtf),
            left_reps=int(left or 0),
            right_reps=int(right or 0),
        )
        for day, slug, load, sets, rep_sum, max_reps, max_rtf, left, right in session.execute(query)
    ]


@dataclass(frozen=True)
class WorkoutDay:
    day: date
    workouts: int
    session_load: float  # Σ sRPE of the day's workouts that carry both factors


def workout_days(
    session: Session, athlete_id: uuid.UUID, start: date, end: date
) -> list[WorkoutDay]:
    """Workouts and sRPE per local date in start..end (the (athlete_id, local_date) index)."""
    srpe = WORKOUTS.c.session_rpe * WORKOUTS.c.duration_min
    query = (
        select(WORKOUTS.c.local_date, func.count(), func.sum(srpe))
        .where(
            WORKOUTS.c.athlete_id == athlete_id,
            WORKOUTS.c.local_date >= start,
            WORKOUTS.c.local_date <= end,
        )
        .group_by(WORKOUTS.c.local_date)
        .order_by(WORKOUTS.c.local_date)
    )
    return [
        WorkoutDay(day=day, workouts=int(n), session_load=float(load or 0.0))
        for day, n, load in session.execute(query)
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


@dataclass
class Tally:
    """Running sums for a period or the whole range."""

    workouts: int = 0
    sets: int = 0
    reps: int = 0
    volume: float = 0.0
    session_load: float = 0.0
    muscles: dict[str, float] = field(default_factory=lambda: dict.fromkeys(MUSCLES, 0.0))
    primary: dict[str, float] = field(default_factory=lambda: dict.fromkeys(MUSCLES, 0.0))

    def add_sets(self, group: LoadGroup, info: ExerciseInfo) -> None:
        self.sets += group.sets
        self.reps += group.reps
        self.volume += group.volume
        for muscle in info.primary:
            self.muscles[muscle] += group.sets
            self.primary[muscle] += group.sets
        for muscle in info.secondary:
            self.muscles[muscle] += 0.5 * group.sets

    def add_day(self, day: WorkoutDay) -> None:
        self.workouts += day.workouts
        self.session_load += day.session_load

    def volume_fields(self) -> dict[str, object]:
        return {
            "workouts": self.workouts,
            "sets": self.sets,
            "reps": self.reps,
            "volume_load_kg": _r2(self.volume),
            "session_load": _r2(self.session_load),
            "sets_by_muscle": MuscleSets(**self.muscles),
        }


def _records(groups: Sequence[LoadGroup]) -> Records:
    """Records from groups sorted oldest first: ties keep the first day."""
    heaviest: LoadGroup | None = None
    best: tuple[float, LoadGroup] | None = None
    most_reps: dict[float, tuple[int, date]] = {}
    for group in groups:
        if group.max_reps is None or group.max_reps < 1:
            continue
        if group.load_kg > 0 and (heaviest is None or group.load_kg > heaviest.load_kg):
            heaviest = group
        held = most_reps.get(group.load_kg)
        if held is None or group.max_reps > held[0]:
            most_reps[group.load_kg] = (group.max_reps, group.day)
        e1rm = group.e1rm
        if e1rm is not None and (best is None or e1rm > best[0]):
            best = (e1rm, group)
    return Records(
        heaviest_load=None
        if heaviest is None
        else LoadRecord(load_kg=heaviest.load_kg, reps=heaviest.max_reps or 0, date=heaviest.day),
        best_e1rm=None
        if best is None
        else E1rmRecord(
            e1rm_kg=_r2(best[0]),
            load_kg=best[1].load_kg,
            reps_to_failure=best[1].max_rtf or 0.0,
            date=best[1].day,
        ),
        most_reps_at_load=[
            RepsRecord(load_kg=load, reps=reps, date=day)
            for load, (reps, day) in sorted(most_reps.items())
        ],
    )


def _e1rm_series(groups: Sequence[LoadGroup]) -> list[E1rmPoint]:
    best: dict[date, float] = {}
    for group in groups:
        e1rm = group.e1rm
        if e1rm is not None and e1rm > best.get(group.day, 0.0):
            best[group.day] = e1rm
    return [E1rmPoint(date=day, e1rm_kg=_r2(value)) for day, value in sorted(best.items())]


def _exercise_fields(
    slug: str, info: ExerciseInfo, groups: Sequence[LoadGroup]
) -> dict[str, object]:
    records = _records(groups)
    return {
        "exercise": slug,
        "name": info.name or slug,
        "sets": sum(g.sets for g in groups),
        "reps": sum(g.reps for g in groups),
        "volume_load_kg": _r2(sum(g.volume for g in groups)),
        "best_e1rm_kg": records.best_e1rm.e1rm_kg if records.best_e1rm else None,
        "e1rm_series": _e1rm_series(groups),
        "records": records,
    }


def daily_loads(days: Iterable[WorkoutDay], start: date, end: date) -> list[float]:
    """Daily sRPE sums for every day start..end (rest days 0), oldest first."""
    loads = [0.0] * ((end - start).days + 1)
    for day in days:
        if start <= day.day <= end:
            loads[(day.day - start).days] += day.session_load
    return loads


def _training_load(days: Sequence[WorkoutDay], end: date) -> TrainingLoadStats:
    window_start = end - timedelta(days=formulas.TRAINING_LOAD_WINDOW_DAYS - 1)
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


def _balance(groups: Sequence[LoadGroup], infos: dict[str, ExerciseInfo], totals: Tally) -> Balance:
    sides: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for group in groups:
        info = infos.get(group.exercise, UNKNOWN)
        if info.unilateral and (group.left_reps or group.right_reps):
            sides[group.exercise][0] += group.left_reps * group.load_kg
            sides[group.exercise][1] += group.right_reps * group.load_kg
    primary = totals.primary
    return Balance(
        posterior_share=_r3(posterior_share(primary)),
        asymmetry=[
            Asymmetry(
                exercise=slug,
                left_volume_kg=_r2(left),
                right_volume_kg=_r2(right),
                asymmetry=_r3(formulas.asymmetry(left, right)),
            )
            for slug, (left, right) in sorted(sides.items())
        ],
    )


@dataclass(frozen=True)
class RangeData:
    start: date
    end: date
    period: Period
    groups: list[LoadGroup]
    days: list[WorkoutDay]  # the training-load window and the range, whichever is longer
    infos: dict[str, ExerciseInfo]


def _fetch(session: Session, athlete: Athlete, start: date, end: date, period: Period) -> RangeData:
    groups = load_groups(session, athlete.id, start=start, end=end)
    window_start = end - timedelta(days=formulas.TRAINING_LOAD_WINDOW_DAYS - 1)
    days = workout_days(session, athlete.id, min(start, window_start), end)
    infos = exercises.find(session, athlete.account_id, {g.exercise for g in groups})
    return RangeData(start, end, period, groups, days, infos)


def _tallies(data: RangeData) -> tuple[Tally, list[tuple[date, Tally]]]:
    starts = period_starts(data.start, data.end, data.period)
    index = {s: i for i, s in enumerate(starts)}
    periods = [(s, Tally()) for s in starts]
    totals = Tally()
    for group in data.groups:
        info = data.infos.get(group.exercise, UNKNOWN)
        totals.add_sets(group, info)
        periods[index[period_start(group.day, data.period)]][1].add_sets(group, info)
    for day in data.days:
        if data.start <= day.day <= data.end:
            totals.add_day(day)
            periods[index[period_start(day.day, data.period)]][1].add_day(day)
    return totals, periods


def progress(
    session: Session,
    athlete: Athlete,
    *,
    date_from: date | None,
    date_to: date | None,
    period: Period,
    today: date | None = None,
) -> Progress:
    """Everything GET .../progress answers."""
    start, end = resolve_range(date_from, date_to, today or local_today(athlete.timezone))
    data = _fetch(session, athlete, start, end, period)
    totals, tallies = _tallies(data)
    by_exercise: dict[str, list[LoadGroup]] = defaultdict(list)
    for group in data.groups:
        by_exercise[group.exercise].append(group)
    window_start = end - timedelta(days=formulas.TRAINING_LOAD_WINDOW_DAYS - 1)
    return Progress(
        athlete_id=athlete.id,
        timezone=athlete.timezone,
        date_from=start,
        date_to=end,
        period=period,
        totals=Volume(**totals.volume_fields()),
        periods=[
            PeriodStats(
                start=s,
                end=next_period(s, period) - timedelta(days=1),
                **tally.volume_fields(),
            )
            for s, tally in tallies
        ],
        exercises=[
            ExerciseProgress(**_exercise_fields(slug, data.infos.get(slug, UNKNOWN), groups))
            for slug, groups in sorted(by_exercise.items())
        ],
        training_load=_training_load(data.days, end),
        balance=_balance(data.groups, data.infos, totals),
        streak_weeks=_streak(session, athlete.id, data.days, min(start, window_start), end),
        adherence=None,  # filled by the stored-plan feature (not built yet)
    )


def exercise_history(session: Session, athlete: Athlete, slug: str) -> ExerciseHistory:
    """One exercise's whole history; 404 when it is neither in the catalog nor the account's."""
    info = exercises.find(session, athlete.account_id, [slug]).get(slug)
    if info is None:
        raise NotFound(f"No exercise {slug!r} in the catalog or among this account's own")
    groups = load_groups(session, athlete.id, exercise=slug)
    per_day: dict[date, list[int | float]] = {}
    for group in groups:
        sets, reps, volume = per_day.setdefault(group.day, [0, 0, 0.0])
        per_day[group.day] = [sets + group.sets, reps + group.reps, volume + group.volume]
    return ExerciseHistory(
        **_exercise_fields(slug, info, groups),
        first_date=groups[0].day if groups else None,
        last_date=groups[-1].day if groups else None,
        volume_series=[
            VolumePoint(date=day, sets=int(s), reps=int(r), volume_load_kg=_r2(v))
            for day, (s, r, v) in per_day.items()
        ],
    )


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


def periods_csv(report: Progress) -> str:
    """The periods of a progress answer as CSV, one row a period, header first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for p in report.periods:
        muscles = p.sets_by_muscle.model_dump()
        writer.writerow(
            [
                p.start.isoformat(),
                p.end.isoformat(),
                p.workouts,
                p.sets,
                p.reps,
                f"{p.volume_load_kg:g}",
                f"{p.session_load:g}",
                *(f"{muscles[m]:g}" for m in MUSCLES),
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
    start, end = resolve_range(date_from, date_to, today or local_today(athlete.timezone))
    unit = "week" if period is Period.week else "month"
    if metric is ChartMetric.e1rm:
        if not exercise:
            raise InvalidInput("exercise", "metric=e1rm needs an exercise slug")
        info = exercises.find(session, athlete.account_id, [exercise]).get(exercise)
        if info is None:
            raise InvalidInput("exercise", f"{exercise!r} is not a known exercise")
        groups = load_groups(session, athlete.id, start=start, end=end, exercise=exercise)
        return chart.line_chart(
            f"Estimated 1RM — {info.name} — {athlete.name}",
            [(p.date, p.e1rm_kg) for p in _e1rm_series(groups)],
            start=start,
            end=end,
            y_label="e1RM (kg, Epley)",
            x_label=f"{start.isoformat()} to {end.isoformat()}",
        )
    data = _fetch(session, athlete, start, end, period)
    _, tallies = _tallies(data)
    labels = [_label(s, period) for s, _ in tallies]
    if metric is ChartMetric.volume_load:
        title, y_label = f"Volume load per {unit} — {athlete.name}", "Volume load (kg)"
        values = [t.volume for _, t in tallies]
    else:
        title, y_label = f"Session load per {unit} — {athlete.name}", "Session load (AU, sRPE)"
        values = [t.session_load for _, t in tallies]
    return chart.bar_chart(title, labels, values, y_label=y_label, x_label=f"{unit} starting")
