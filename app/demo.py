"""`legwork demo`: a demo account and athlete with 16 weeks of logs, so that a first `make run`
shows real charts. A flow: it calls each room's service in turn (accounts, athletes, plans,
workouts), in one transaction that the caller commits.

The athlete is a half-marathon runner whose stored plan started 16 weeks ago. Every past session
of the plan is logged as prescribed — loads rising about 2.5 % a week, deload weeks lighter, RPE
and RIR on every set, left and right sets of unilateral work — except one week missed to
illness. Running it again finds the same account and athlete and adds nothing but a new token.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from app.athletes import service as athletes
from app.athletes.models import Athlete
from app.athletes.schemas import AthleteCreate
from app.auth import service as auth
from app.auth.models import Account
from app.catalog.service import get_catalog
from app.clock import local_today
from app.enums import Equipment, Scope, Side
from app.links import service as links
from app.links.schemas import LinkCreate
from app.plans import service as plans
from app.plans.schemas import PlanRequest, StoredPlanPublic
from app.workouts import service as workouts
from app.workouts.models import Workout
from app.workouts.schemas import WorkoutIn

ACCOUNT_NAME = "Legwork demo"
ATHLETE_NAME = "Maya (demo)"
TIMEZONE = "Europe/London"
LOGGED_WEEKS = 16
PLAN_WEEKS = 20  # the race is four weeks after today
MISSED_WEEK = 10  # a cold: nothing logged that week
WEEKLY_GAIN = 0.025
DELOAD_LOAD = 0.85
# First working loads by what the exercise needs (kg); bodyweight work has none.
START_LOAD_KG = {
    Equipment.barbell: 40.0,
    Equipment.machine: 50.0,
    Equipment.kettlebell: 16.0,
    Equipment.dumbbell: 12.0,
}


@dataclass
class Demo:
    account: Account
    athlete: Athlete
    token: str
    chart_secret: str
    created: bool
    workouts: int


def seed_demo(session: Session, *, today: date | None = None) -> Demo:
    """Find or make the demo account and athlete (then a new token for the account)."""
    account = session.exec(select(Account).where(col(Account.name) == ACCOUNT_NAME)).first()
    created = account is None
    if account is None:
        account, token = auth.create_account(session, ACCOUNT_NAME)
    else:
        _, token = auth.issue_token(session, account.id, frozenset(Scope))
    athlete = session.exec(
        select(Athlete).where(
            col(Athlete.account_id) == account.id, col(Athlete.name) == ATHLETE_NAME
        )
    ).first()
    if athlete is None:
        created = True
        athlete = _make_athlete(session, account, today or local_today(TIMEZONE))
    logged = session.exec(select(Workout).where(col(Workout.athlete_id) == athlete.id)).all()
    # A read-only link to the chart, for a browser (a token cannot go in an <img> or a URL).
    assert athlete.race_date is not None
    first_day = athlete.race_date - timedelta(weeks=PLAN_WEEKS, days=-1)  # the plan's start
    chart = LinkCreate(
        resource="progress/chart.svg",
        query={"metric": "volume_load", "period": "week", "from": first_day.isoformat()},
        expires_at=datetime.now(UTC) + timedelta(days=30),
    )
    _, chart_secret = links.create(session, athlete, chart)
    return Demo(account, athlete, token, chart_secret, created, len(logged))


def _make_athlete(session: Session, account: Account, today: date) -> Athlete:
    start = today - timedelta(days=today.weekday(), weeks=LOGGED_WEEKS)  # a Monday
    race = start + timedelta(weeks=PLAN_WEEKS, days=-1)  # a Sunday
    profile = AthleteCreate(
        name=ATHLETE_NAME,
        timezone=TIMEZONE,
        level="intermediate",
        event="half_marathon",
        race_date=race,
        equipment=["barbell", "dumbbell", "kettlebell", "bench", "step", "band"],
        body_mass_kg=61.0,
        sessions_per_week=2,
        session_minutes=45,
        long_run_day="sunday",
        hard_run_days=["tuesday"],
    )
    athlete = athletes.create(session, account.id, profile)
    stored, _ = plans.put(
        session, athlete, PlanRequest.model_validate({"start_date": start}), if_match=None
    )
    plan = StoredPlanPublic.model_validate_json(stored.plan_json).model_dump(mode="json")
    _log_plan(session, athlete, plan, today)
    return athlete


def _log_plan(session: Session, athlete: Athlete, plan: dict[str, Any], today: date) -> None:
    """Log each past session of the plan as a runner would have done it."""
    rng = random.Random(13)  # the same demo every time
    catalog = get_catalog()
    zone = ZoneInfo(TIMEZONE)
    progress = 0  # weeks of training done, for the loads
    for week in plan["weeks"]:
        if week["week"] == MISSED_WEEK:
            continue
        deload = week["phase"] == "deload"
        for planned in week["sessions"]:
            day = date.fromisoformat(planned["date"])
            if day >= today:
                return
            exercises = [
                _logged_exercise(item, catalog.require(item["exercise"]), progress, deload, rng)
                for item in planned["exercises"]
            ]
            body = WorkoutIn(
                performed_at=datetime.combine(day, time(18, 30), zone),
                duration_min=planned["estimated_minutes"] + rng.choice((-5, 0, 0, 5)),
                session_rpe=6.0 if deload else rng.choice((6.5, 7.0, 7.0, 7.5)),
                planned_session=uuid.UUID(planned["id"]),
                exercises=exercises,
            )
            workouts.create(session, athlete, body)
        progress += 0 if deload else 1


def _logged_exercise(
    item: dict[str, Any], exercise: Any, progress: int, deload: bool, rng: random.Random
) -> dict[str, Any]:
    """The prescription as done: reps within the range, a load that has grown with the weeks,
    the prescribed effort give or take half a point."""
    start = max((START_LOAD_KG.get(e, 0.0) for e in exercise.equipment), default=0.0)
    load = start * (1 + WEEKLY_GAIN) ** progress * (DELOAD_LOAD if deload else 1.0)
    load = round(load / 2.5) * 2.5 if load >= 20 else round(load)
    effort = item.get("effort") or {}
    timed = item["reps"]["unit"] != "reps"
    sides = [Side.left, Side.right] if item["per_side"] else [Side.both]
    sets = []
    for _ in range(item["sets"]):
        for side in sides:
            amount = rng.randint(item["reps"]["min"], item["reps"]["max"])
            rpe = effort.get("rpe")
            sets.append(
                {
                    "reps": None if timed else amount,
                    "duration_s": amount if timed else None,
                    "load_kg": float(load),
                    "rpe": None if rpe is None else min(10.0, rpe + rng.choice((-0.5, 0, 0.5))),
                    "rir": effort.get("rir"),
                    "side": side,
                }
            )
    return {"exercise": item["exercise"], "sets": sets}
