"""What a plan's context remembers for later plans (app.planning.context) changes no answer,
and the settled weeks it keeps stay bounded."""

from dataclasses import replace
from datetime import date
from typing import cast

from app.catalog.models import Exercise
from app.catalog.service import get_catalog
from app.planning.balancing import total_sets
from app.planning.context import CONTEXTS, WEEKS_MAX, build_context
from app.planning.encode import plan_json
from app.planning.fitting import Draft
from app.planning.generator import generate_plan
from app.planning.periodisation import PlanBuilder, WeekShape
from app.planning.rules import NordicStep, Role
from app.planning.schemas import GenerationRequest
from bench.bench_generation import PLAN_BODY

# The benchmark's 24-week plan, with a seed of its own.
BODY: dict[str, object] = {**PLAN_BODY, "seed": 4242}


WeekKey = tuple[WeekShape, int, NordicStep | None, str | None]  # Drafter.week's


def exercises_by_slug(exercises: tuple[Exercise, ...]) -> dict[str, Exercise]:
    return {e.slug: e for e in exercises}


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


def test_fewer_sessions_settles_this_plans_drafts_not_the_contexts_weeks() -> None:
    """`_fewer_sessions` settles a week the drafter handed out again; the settled weeks the
    context keeps for other plans stay as they were, and this plan's drafts (which a later
    week with the same inputs gets again) hold the newly settled items."""
    exercises = get_catalog().exercises
    CONTEXTS.clear()
    request = GenerationRequest.model_validate(BODY)
    ctx = build_context(request, exercises)
    builder = PlanBuilder(request, ctx)
    builder.plan()
    weeks = cast(dict[WeekKey, tuple[Draft, ...]], ctx.weeks)
    (shape, target, nordic, plyometric), shared = next(
        (k, w) for k, w in weeks.items() if len(w) == 3
    )
    ladder = exercises_by_slug(exercises)
    drafts = builder.drafter.week(shape, target, nordic, ladder[plyometric] if plyometric else None)
    before = [[(i.exercise.slug, i.sets, i.rest_s, i.superset) for i in d.items] for d in shared]
    # A first session of one lift, without its hip-abductor work, sends `_fewer_sessions` to
    # draft it again (with that work) and settle the week to the total it had: sets come off
    # the other sessions.
    drafts[0] = replace(drafts[0], items=drafts[0].items[:1])
    assert drafts[0].items[0].role is not Role.abductors
    days: list[tuple[int, date | None]] = [(n, None) for n in range(len(drafts))]
    most = total_sets(drafts)
    fewer, _ = builder._fewer_sessions(drafts, days, shape.stage, most)
    assert [[(i.exercise.slug, i.sets, i.rest_s, i.superset) for i in d.items] for d in shared] == (
        before
    )
    again = builder.drafter.week(shape, target, nordic, ladder[plyometric] if plyometric else None)
    for n in range(1, len(fewer)):
        assert fewer[n] is again[n]
        assert not {id(i) for i in again[n].items} & {id(i) for i in shared[n].items}
    assert len(fewer) == 3
    assert total_sets(fewer) <= most
    assert sum(i.sets for d in fewer[1:] for i in d.items) < sum(
        i.sets for d in shared[1:] for i in d.items
    )
