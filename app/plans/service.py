"""Stored plans: generate from the request completed by the athlete's profile, give every session
a stable id, keep the ids of sessions already done across a re-PUT; adherence for progress."""

import json
import uuid
from datetime import date, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete as sql_delete
from sqlalchemy import func, insert
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.athletes.models import Athlete
from app.catalog.service import get_catalog
from app.changes.service import Changed, Kind, Op, record
from app.clock import local_today
from app.db import utcnow
from app.enums import Equipment, Level
from app.errors import FieldError, InvalidInput, NotFound, PreconditionFailed, field_path
from app.etags import check_if_match, etag_of
from app.planning.generator import generate_plan
from app.planning.loads import LoggedSet, next_load
from app.planning.schemas import GenerationRequest
from app.plans.models import PlanSession, StoredPlan
from app.plans.schemas import PlanRequest, StoredPlanPublic
from app.workouts.models import Workout, WorkoutSet

# The profile fields a PUT may leave out, as the generation request names them.
PROFILE_FIELDS = (
    "event",
    "level",
    "race_date",
    "equipment",
    "sessions_per_week",
    "session_minutes",
    "long_run_day",
    "hard_run_days",
)


MISSING_HINT = " (set it on the athlete or in this request)"


def generation_request(athlete: Athlete, body: Any) -> GenerationRequest:
    """The body's fields, the profile's where the body has none, start_date today (local)."""
    given = body.model_dump(exclude_unset=True)
    merged: dict[str, Any] = {
        f: getattr(athlete, f) for f in PROFILE_FIELDS if getattr(athlete, f) is not None
    }
    merged.update(given)
    merged = {k: v for k, v in merged.items() if v is not None}
    merged.setdefault("start_date", local_today(athlete.timezone))
    try:
        return GenerationRequest.model_validate(merged)
    except ValidationError as error:
        raise InvalidInput.of(
            [
                FieldError(
                    field=field_path(tuple(e["loc"])),
                    message=e["msg"]
                    + (
                        " (set it on the athlete or in this request)"
                        if e["type"] == "missing"
                        else ""
                    ),
                )
                for e in error.errors()
            ]
        ) from None


def get(session: Session, athlete: Athlete) -> StoredPlan:
    plan = session.get(StoredPlan, athlete.id)
    if plan is None:
        raise NotFound("This athlete has no stored plan: PUT one")
    return plan


def put(
    session: Session,
    athlete: Athlete,
    body: PlanRequest,
    if_match: str | None,
) -> tuple[StoredPlan, bool]:
    """Generate and store the plan; (the plan, whether it was created)."""
    stored = session.get(StoredPlan, athlete.id)
    if stored is not None:
        check_if_match(if_match, stored.version)  # before the generation's work
    elif if_match is not None and if_match.strip() != "*":
        raise PreconditionFailed("If-Match names a version, but this athlete has no stored plan")
    request = generation_request(athlete, body)
    plan = generate_plan(request, get_catalog().exercises)
    done = _done_sessions(session, athlete.id)
    answer = plan.model_dump(mode="json")
    for s in (s for week in answer["weeks"] for s in week["sessions"]):
        s["id"] = str(done.pop(date.fromisoformat(s["date"]), None) or uuid.uuid4())
    answer["request"] = request.model_dump(mode="json")
    return _store(session, athlete, stored, request, StoredPlanPublic.model_validate(answer))


def restore(
    session: Session,
    athlete: Athlete,
    request: GenerationRequest,
    plan: StoredPlanPublic,
    at: str = "plan",
) -> dict[uuid.UUID, uuid.UUID]:
    """Store a plan as an export holds it, for an athlete with none: not generated again (the
    same weeks, whatever the catalog has become since), its sessions under new ids (ids are the
    database's). Returns each exported session id → its new id. `at` names the plan in errors."""
    assert session.get(StoredPlan, athlete.id) is None, "restore a plan only where there is none"
    plan = plan.model_copy(deep=True)
    renamed: dict[uuid.UUID, uuid.UUID] = {}
    errors = []
    for w, week in enumerate(plan.weeks):
        for i, s in enumerate(week.sessions):
            where = f"{at}.weeks[{w}].sessions[{i}]"
            if s.date is None:
                errors.append(
                    FieldError(field=f"{where}.date", message="a stored session has a date")
                )
            if s.id in renamed:
                errors.append(FieldError(field=f"{where}.id", message="names another session too"))
            renamed[s.id] = uuid.uuid4()
            s.id = renamed[s.id]
    if errors:
        raise InvalidInput.of(errors)
    _store(session, athlete, None, request, plan)
    return renamed


def _store(
    session: Session,
    athlete: Athlete,
    stored: StoredPlan | None,
    request: GenerationRequest,
    plan: StoredPlanPublic,
) -> tuple[StoredPlan, bool]:
    """Write `plan` (its sessions with their ids) as the athlete's: (the plan, whether it was
    created)."""
    rows = [
        {
            "id": s.id,
            "athlete_id": athlete.id,
            "week": week.week,
            "position": position,
            "date": s.date,
        }
        for week in plan.weeks
        for position, s in enumerate(week.sessions)
    ]
    session.execute(sql_delete(PlanSession).where(col(PlanSession.athlete_id) == athlete.id))
    if rows:
        session.execute(insert(PlanSession), rows)
    created = stored is None
    if stored is None:
        stored = StoredPlan(athlete_id=athlete.id, request_json="", plan_json="")
    else:
        stored.version += 1
        stored.updated_at = utcnow()
    stored.request_json = request.model_dump_json()
    stored.plan_json = plan.model_dump_json()
    session.add(stored)
    session.flush()
    _changed(session, athlete, stored.version)
    return stored, created


def _changed(session: Session, athlete: Athlete, version: int | None) -> None:
    """The changes feed's row (the plan's id is its athlete's): an upsert, or (None) a delete."""
    op, etag = (Op.delete, None) if version is None else (Op.upsert, etag_of(version))
    record(session, athlete.account_id, Changed(Kind.plan, athlete.id, athlete.id, op, etag))


def delete(session: Session, athlete: Athlete, if_match: str | None) -> None:
    stored = get(session, athlete)
    check_if_match(if_match, stored.version)
    session.execute(sql_delete(PlanSession).where(col(PlanSession.athlete_id) == athlete.id))
    session.delete(stored)
    session.flush()
    _changed(session, athlete, None)


def _done_sessions(session: Session, athlete_id: uuid.UUID) -> dict[date, uuid.UUID]:
    """Sessions of the current plan a workout already names, by date: a re-PUT keeps their ids."""
    rows = session.exec(
        select(col(PlanSession.date), col(PlanSession.id))
        .where(col(PlanSession.athlete_id) == athlete_id)
        .where(
            col(PlanSession.id).in_(
                select(Workout.planned_session).where(col(Workout.athlete_id) == athlete_id)
            )
        )
    )
    return dict(rows.all())


def check_planned_session(session: Session, athlete_id: uuid.UUID, planned: uuid.UUID) -> None:
    """A workout's `planned_session` must name a session of this athlete's stored plan."""
    found = session.exec(
        select(PlanSession.id)
        .where(col(PlanSession.id) == planned)
        .where(col(PlanSession.athlete_id) == athlete_id)
    ).first()
    if found is None:
        raise InvalidInput(
            "planned_session", "names no session of this athlete's stored plan (GET .../plan)"
        )


def adherence(session: Session, athlete_id: uuid.UUID, to: date) -> dict[str, Any] | None:
    """Planned sessions dated up to `to`, those a workout names, and their ratio; None without a
    stored plan. One statement, which reads neither the plan nor its request."""
    dated = [col(PlanSession.athlete_id) == athlete_id, col(PlanSession.date) <= to]
    has_plan, planned, completed = session.execute(
        sa_select(
            sa_select(col(StoredPlan.athlete_id))
            .where(col(StoredPlan.athlete_id) == athlete_id)
            .scalar_subquery(),
            sa_select(func.count()).select_from(PlanSession).where(*dated).scalar_subquery(),
            sa_select(func.count(func.distinct(PlanSession.id)))
            .select_from(PlanSession)
            .join(Workout, col(Workout.planned_session) == col(PlanSession.id))
            .where(*dated, col(Workout.athlete_id) == athlete_id)
            .scalar_subquery(),
        )
    ).one()
    if has_plan is None:
        return None
    return {
        "planned": planned,
        "completed": completed,
        "ratio": round(completed / planned, 3) if planned else None,
    }


LOOKBACK_DAYS = 120  # the logs the next loads are read from


def next_session(session: Session, athlete: Athlete, on: date) -> dict[str, Any]:
    """The first planned session on or after `on`, each prescription with `load_kg` from the
    athlete's logged working sets and a `progression_note` saying why."""
    stored = get(session, athlete)
    plan = json.loads(stored.plan_json)
    upcoming = [
        s for w in plan["weeks"] for s in w["sessions"] if date.fromisoformat(s["date"]) >= on
    ]
    if not upcoming:
        raise NotFound(f"No planned session on or after {on}")
    chosen = min(upcoming, key=lambda s: s["date"])
    day = date.fromisoformat(chosen["date"])
    level = Level(plan["request"]["level"])
    logged = _logged_sets(session, athlete.id, day)
    by_slug = {e.slug: e for e in get_catalog().exercises}
    for p in chosen["exercises"]:
        load = next_load(
            logged,
            by_slug[p["exercise"]],
            reps=(p["reps"]["min"], p["reps"]["max"]),
            rir=p["effort"]["rir"],
            level=level,
            on=day,
            steps={Equipment(k): v for k, v in (athlete.load_steps_kg or {}).items()},
        )
        p["load_kg"] = load.load_kg
        p["progression_note"] = load.note
    return dict(chosen)


def _logged_sets(session: Session, athlete_id: uuid.UUID, until: date) -> list[LoggedSet]:
    rows = session.execute(
        sa_select(
            col(WorkoutSet.exercise),
            col(WorkoutSet.local_date),
            col(WorkoutSet.load_kg),
            col(WorkoutSet.reps),
            col(WorkoutSet.rir),
            col(WorkoutSet.rpe),
        )
        .where(col(WorkoutSet.athlete_id) == athlete_id)
        .where(col(WorkoutSet.warmup).is_(False))
        .where(col(WorkoutSet.reps).is_not(None))
        .where(col(WorkoutSet.local_date) <= until)
        .where(col(WorkoutSet.local_date) >= until - timedelta(days=LOOKBACK_DAYS))
    )
    return [LoggedSet(ex, day, load, reps, rir, rpe) for ex, day, load, reps, rir, rpe in rows]
