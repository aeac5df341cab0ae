"""Goals: create, read, change, delete; each answer measured from the logs (docs/training.md
"Goals")."""

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import bindparam, func
from sqlalchemy import select as sa_select
from sqlalchemy import update as sa_update
from sqlmodel import Session, col, select

from app.athletes.models import Athlete
from app.changes.service import Changed, Kind, Op, record
from app.clock import local_today
from app.db import save_new_version
from app.errors import InvalidInput, NotFound
from app.etags import check_if_match, etag_of
from app.exercises import find as find_exercises
from app.goals.models import Goal
from app.goals.schemas import NEEDS_EXERCISE, GoalIn, GoalKind, GoalPatch
from app.pagination import PageParams, keyset_page
from app.workouts.models import SetRollup, Workout, WorkoutSet

BEST_OF_DAYS = 28  # a lift's measure: its best of the last 4 weeks
WEEK_DAYS = 7  # weekly_sessions: workouts in the last 7 days
TREND_WEEKS = 8  # the trend is fitted to the last 8 weekly values
MILESTONE_DAYS = 28  # incremental targets every 4 weeks
HORIZON_DAYS = 730  # a projection further out than two years is "rising too slowly"


def _check(session: Session, athlete: Athlete, body: GoalIn) -> None:
    kind = body.kind
    if kind in NEEDS_EXERCISE and not body.exercise:
        raise InvalidInput("exercise", f"required for kind {kind.value}")
    if kind is GoalKind.weekly_sessions and body.exercise:
        raise InvalidInput("exercise", "weekly_sessions counts workouts, not an exercise")
    if (kind is GoalKind.reps_at_load) != (body.load_kg is not None):
        raise InvalidInput("load_kg", "given with kind reps_at_load, and only then")
    if body.exercise is not None:
        known = find_exercises(session, athlete.account_id, [body.exercise])
        if body.exercise not in known:
            raise InvalidInput("exercise", f"{body.exercise!r} is not a known exercise")


def create(session: Session, athlete: Athlete, body: GoalIn) -> Goal:
    _check(session, athlete, body)
    today = local_today(athlete.timezone)
    if body.target_date <= today:
        raise InvalidInput("target_date", "must be after today (in the athlete's time zone)")
    goal = Goal(athlete_id=athlete.id, start_date=today, **body.model_dump())
    goal.baseline = Measures(session, athlete, goal, today).as_of(today)
    session.add(goal)
    session.flush()
    _changed(session, athlete, goal)
    return goal


def restore(
    session: Session, athlete: Athlete, body: GoalIn, start_date: date, baseline: float | None
) -> Goal:
    """A goal as an export holds it (set on `start_date`, measured `baseline` then), for an
    import: its target date may have passed."""
    _check(session, athlete, body)
    goal = Goal(
        athlete_id=athlete.id, start_date=start_date, baseline=baseline, **body.model_dump()
    )
    session.add(goal)
    session.flush()
    _changed(session, athlete, goal)
    return goal


def _changed(session: Session, athlete: Athlete, goal: Goal, deleted: bool = False) -> None:
    op, etag = (Op.delete, None) if deleted else (Op.upsert, etag_of(goal.version))
    record(session, athlete.account_id, Changed(Kind.goal, goal.id, athlete.id, op, etag))


def get_owned(session: Session, athlete: Athlete, goal_id: uuid.UUID) -> Goal:
    goal = session.get(Goal, goal_id)
    if goal is None or goal.athlete_id != athlete.id:
        raise NotFound("No goal with this id for this athlete")
    return goal


def list_page(
    session: Session, athlete: Athlete, page: PageParams
) -> tuple[list[Goal], str | None]:
    query = select(Goal).where(col(Goal.athlete_id) == athlete.id)
    return keyset_page(session, query, [col(Goal.created_at), col(Goal.id)], page)


def all_of(session: Session, athlete_id: uuid.UUID) -> list[Goal]:
    return list(
        session.exec(
            select(Goal).where(col(Goal.athlete_id) == athlete_id).order_by(col(Goal.created_at))
        )
    )


def measured(session: Session, athlete: Athlete, day: date) -> list[dict[str, Any]]:
    """Every goal of the athlete measured as of `day` (for progress)."""
    return [answer(session, athlete, g, day) for g in all_of(session, athlete.id)]


def update(
    session: Session, athlete: Athlete, goal: Goal, body: GoalPatch, if_match: str | None
) -> Goal:
    check_if_match(if_match, goal.version)
    for field, value in body.model_dump(exclude_unset=True).items():
        if value is None and field != "note":
            raise InvalidInput(field, "cannot be null")
        setattr(goal, field, value)
    save_new_version(session, goal)
    _changed(session, athlete, goal)
    return goal


def delete(session: Session, athlete: Athlete, goal: Goal, if_match: str | None) -> None:
    check_if_match(if_match, goal.version)
    session.delete(goal)
    session.flush()
    _changed(session, athlete, goal, deleted=True)


# Built once (app.changes.service TAKE_SEQS says why): read on every write to the logs.
OPEN_GOALS = select(Goal).where(
    col(Goal.athlete_id) == bindparam("athlete_id"), col(Goal.reached_announced).is_(False)
)


def announce_reached(session: Session, athlete: Athlete) -> None:
    """After the logs changed: each goal of the athlete reached for the first time makes a
    `goal.reached` event (app.webhooks), once. One indexed read when no goal is open."""
    open_goals = session.exec(OPEN_GOALS, params={"athlete_id": athlete.id}).all()
    if not open_goals:
        return
    today = local_today(athlete.timezone)
    for goal in open_goals:
        if _reached_on(Measures(session, athlete, goal, today), goal, today) is None:
            continue
        session.execute(
            sa_update(Goal).where(col(Goal.id) == goal.id).values(reached_announced=True)
        )
        record(
            session,
            athlete.account_id,
            Changed(
                Kind.goal, goal.id, athlete.id, Op.upsert, etag_of(goal.version), "goal.reached"
            ),
        )


class Measures:
    """A goal's measure day by day, from the logs of a window reaching back from `today`."""

    def __init__(self, session: Session, athlete: Athlete, goal: Goal, today: date) -> None:
        self.goal = goal
        first = min(goal.start_date, today - timedelta(weeks=TREND_WEEKS)) - timedelta(
            days=BEST_OF_DAYS
        )
        self.daily: dict[date, float] = _daily(session, athlete.id, goal, first, today)

    def as_of(self, day: date) -> float | None:
        """Best of the 28 days up to `day` (a lift), or workouts in the 7 days up to it."""
        if self.goal.kind == GoalKind.weekly_sessions:
            week = [v for d, v in self.daily.items() if day - timedelta(days=6) <= d <= day]
            return float(sum(week))
        values = [v for d, v in self.daily.items() if day - timedelta(days=27) <= d <= day]
        return max(values) if values else None


def _daily(
    session: Session, athlete_id: uuid.UUID, goal: Goal, first: date, last: date
) -> dict[date, float]:
    kind = GoalKind(goal.kind)
    value: Any
    if kind is GoalKind.weekly_sessions:
        day, value = col(Workout.local_date), func.count()
        query = sa_select(day, value).where(col(Workout.athlete_id) == athlete_id)
    elif kind is GoalKind.hold_seconds:
        day, value = col(WorkoutSet.local_date), func.max(WorkoutSet.duration_s)
        query = (
            sa_select(day, value)
            .where(col(WorkoutSet.athlete_id) == athlete_id)
            .where(col(WorkoutSet.exercise) == goal.exercise)
            .where(col(WorkoutSet.warmup).is_(False))
        )
    else:
        day = col(SetRollup.local_date)
        value = func.max(SetRollup.e1rm_kg if kind is GoalKind.e1rm else SetRollup.max_reps)
        query = (
            sa_select(day, value)
            .where(col(SetRollup.athlete_id) == athlete_id)
            .where(col(SetRollup.exercise) == goal.exercise)
        )
        if kind is GoalKind.reps_at_load:
            query = query.where(col(SetRollup.load_kg) >= goal.load_kg)
    rows = session.execute(query.where(day >= first).where(day <= last).group_by(day))
    return {d: float(v) for d, v in rows if v is not None}


def answer(
    session: Session, athlete: Athlete, goal: Goal, today: date | None = None
) -> dict[str, Any]:
    """The goal with its measures: current, ratio, trend, projection, milestones."""
    today = today or local_today(athlete.timezone)
    measures = Measures(session, athlete, goal, today)
    current = measures.as_of(today)
    baseline = goal.baseline
    ratio = None
    if baseline is not None and current is not None:
        span = goal.target - baseline
        ratio = 1.0 if span <= 0 else max(0.0, min(1.0, (current - baseline) / span))
    projected = _projection(measures.as_of, today, goal.target)
    reached_on = _reached_on(measures, goal, today)
    return {
        "id": goal.id,
        "kind": goal.kind,
        "exercise": goal.exercise,
        "target": goal.target,
        "load_kg": goal.load_kg,
        "target_date": goal.target_date,
        "note": goal.note,
        "start_date": goal.start_date,
        "baseline": baseline,
        "current": current,
        "ratio": None if ratio is None else round(ratio, 3),
        "on_track": reached_on is not None
        or (current is not None and current >= goal.target)
        or (projected is not None and projected <= goal.target_date),
        "projected_date": projected,
        "reached_on": reached_on,
        "milestones": milestones(goal),
        "created_at": goal.created_at,
        "updated_at": goal.updated_at,
    }


def _projection(measure: Callable[[date], float | None], today: date, target: float) -> date | None:
    """Least squares over the last 8 weekly values: the day the line reaches `target`."""
    points = [
        (-7.0 * k, value)
        for k in range(TREND_WEEKS)
        if (value := measure(today - timedelta(days=7 * k))) is not None
    ]
    if len(points) < 2:
        return None
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sxx
    if slope <= 1e-9:
        return None
    at_today = mean_y + slope * (0 - mean_x)
    days = max(0.0, (target - at_today) / slope)
    if days > HORIZON_DAYS:
        return None
    return today + timedelta(days=round(days))


def _reached_on(measures: Measures, goal: Goal, today: date) -> date | None:
    for day in sorted(d for d in measures.daily if goal.start_date <= d <= today):
        value = measures.as_of(day)
        if value is not None and value >= goal.target:
            return day
    return None


def milestones(goal: Goal) -> list[dict[str, Any]]:
    """Every 4 weeks from the start to the target date, on a straight line from the baseline
    (or from zero without one) to the target."""
    start_value = goal.baseline or 0.0
    total = (goal.target_date - goal.start_date).days
    days = [*range(MILESTONE_DAYS, total, MILESTONE_DAYS), total]
    return [
        {
            "date": goal.start_date + timedelta(days=d),
            "target": round(start_value + (goal.target - start_value) * d / total, 1),
        }
        for d in days
        if total > 0
    ]
