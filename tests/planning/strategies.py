"""Requests over the whole input space, and the rules' arithmetic shared by the properties."""

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from app.catalog.models import Exercise
from app.catalog.service import get_catalog
from app.enums import Equipment, Event, Focus, Level, Setting, Weekday
from app.errors import InvalidInput
from app.planning.generator import generate_plan, generate_routine
from app.planning.schemas import GenerationRequest, Plan, Session

EXERCISES: tuple[Exercise, ...] = get_catalog().exercises
BY_SLUG = {e.slug: e for e in EXERCISES}
SLUGS = sorted(BY_SLUG)

weekdays = st.sampled_from(list(Weekday))


@st.composite
def requests(draw: st.DrawFn) -> GenerationRequest:
    """7 events × 3 levels × settings/equipment × 1–3 sessions × 15–120 min × run weeks × 1–52."""
    body: dict[str, Any] = {
        "event": draw(st.sampled_from(list(Event))),
        "level": draw(st.sampled_from(list(Level))),
        "focus": draw(st.none() | st.sampled_from(list(Focus))),
        "setting": draw(st.none() | st.sampled_from(list(Setting))),
        "equipment": draw(st.lists(st.sampled_from(list(Equipment)), unique=True, max_size=9)),
        "sessions_per_week": draw(st.integers(1, 3)),
        "session_minutes": draw(st.integers(15, 120)),
        "long_run_day": draw(st.none() | weekdays),
        "hard_run_days": draw(st.lists(weekdays, unique=True, max_size=4)),
        # Mostly no exclusions; sometimes a few, which can make a request impossible.
        "exclude_exercises": draw(
            st.just([]) | st.lists(st.sampled_from(SLUGS), unique=True, max_size=6)
        ),
        "seed": draw(st.integers(0, 2**32 - 1)),
    }
    start = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 3000)))
    mode = draw(st.sampled_from(["race", "race", "race", "weeks", "weeks-dated", "bad-race"]))
    if mode == "race":
        race = start + timedelta(days=draw(st.integers(4, 7 * 52 - 1)))
        body |= {"start_date": start, "race_date": race}
        if draw(st.booleans()):
            body["weeks"] = (race - start).days // 7 + 1
    elif mode == "bad-race":
        body |= {"start_date": start, "race_date": start - timedelta(days=draw(st.integers(1, 30)))}
    else:
        body["weeks"] = draw(st.none() | st.integers(1, 52))
        if mode == "weeks-dated":
            body["start_date"] = start
    return GenerationRequest.model_validate(body)


def expected_rejection(request: GenerationRequest, error: InvalidInput) -> None:
    """An InvalidInput is only acceptable for a request that really is impossible."""
    assert error.errors
    field = error.errors[0].field
    if field.startswith("exclude_exercises"):
        assert request.exclude_exercises, error.detail
    elif field == "race_date":
        assert request.race_date is not None
        assert request.start_date is not None
        assert (request.race_date - request.start_date).days < 4, error.detail
    else:
        raise AssertionError(f"unexpected rejection: {error.detail}")


def plan_or_none(request: GenerationRequest) -> Plan | None:
    """The plan, or None when the request is impossible and said so with a 422 naming why."""
    try:
        return generate_plan(request, EXERCISES)
    except InvalidInput as error:
        expected_rejection(request, error)
        return None


def routine_or_none(request: GenerationRequest) -> Session | None:
    try:
        return generate_routine(request, EXERCISES)
    except InvalidInput as error:
        expected_rejection(request, error)
        return None


def sessions_of(plan: Plan) -> list[Session]:
    return [s for w in plan.weeks for s in w.sessions]
