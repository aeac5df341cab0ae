"""What a plan's context remembers for later plans (app.planning.context) changes no answer,
and the settled weeks it keeps stay bounded."""

from app.catalog.service import get_catalog
from app.planning.context import CONTEXTS, WEEKS_MAX, build_context
from app.planning.encode import plan_json
from app.planning.generator import generate_plan
from app.planning.schemas import GenerationRequest

BODY: dict[str, object] = {
    "event": "10k",
    "start_date": "2027-01-04",
    "weeks": 24,
    "level": "intermediate",
    "setting": "gym",
    "sessions_per_week": 3,
    "session_minutes": 60,
    "long_run_day": "sunday",
    "hard_run_days": ["tuesday", "thursday"],
    "seed": 4242,
}


def _fresh(body: dict[str, object]) -> bytes:
    """The plan made on a new context: nothing remembered from another plan."""
    CONTEXTS.clear()
    return plan_json(generate_plan(GenerationRequest.model_validate(body), get_catalog().exercises))


def test_plans_sharing_a_context_are_the_plans_made_alone() -> None:
    exercises = get_catalog().exercises
    schedules = [
        {**BODY, "weeks": weeks, "long_run_day": day, "sessions_per_week": sessions}
        for weeks in (24, 10, 52, 7)
        for day in ("sunday", "saturday")
        for sessions in (3, 2)
    ]
    alone = [_fresh(body) for body in schedules]
    CONTEXTS.clear()
    shared = [
        plan_json(generate_plan(GenerationRequest.model_validate(body), exercises))
        for body in schedules + schedules[::-1]
    ]
    assert shared == alone + alone[::-1]
    ctx = build_context(GenerationRequest.model_validate(BODY), exercises)
    assert 0 < len(ctx.weeks) <= WEEKS_MAX  # the 16 schedules settle 56 distinct weeks
