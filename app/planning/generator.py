"""Routine and plan generation: pure functions over the catalog's exercises (docs/training.md).

Nothing here knows about HTTP or a database: the router passes the exercise tuple in. The same
request and exercises always give the same answer; `seed` only picks among equally suitable
exercises (through `random.Random(str)`, which hashes with SHA-512 and so is stable across
processes).
"""

from collections.abc import Sequence

from app.catalog.models import Exercise
from app.enums import (
    Equipment,
    Muscle,
    Phase,
    posterior_share,
)
from app.errors import InvalidInput
from app.planning.assessment import assessment_session
from app.planning.balancing import settle_week
from app.planning.context import Context, build_context
from app.planning.dosing import template_items
from app.planning.fitting import fit_session
from app.planning.loads import LoggedSet, next_load
from app.planning.periodisation import plan_weeks
from app.planning.rationale import plan_rationale
from app.planning.render import SessionDose, render_session
from app.planning.rules import EVENT_NAMES, LEVEL_WEEKLY_SETS
from app.planning.schemas import (
    GenerationRequest,
    Plan,
    PlanSummary,
    Session,
    SetRange,
    Week,
)
from app.planning.selection import Stage, choose_template


def generate_routine(request: GenerationRequest, exercises: Sequence[Exercise]) -> Session:
    """One balanced leg session: every major group, a single-leg lift, hip-abductor work; or,
    with `kind: assessment`, the test session."""
    ctx = build_context(request, exercises)
    if request.kind == "assessment":
        return assessment_session(ctx)
    template = choose_template(ctx, Stage.base)
    draft = fit_session(
        template_items(template, ctx, heavy=False), ctx, keep_abductor=True, floor_cap=None
    )
    _low, high = LEVEL_WEEKLY_SETS[ctx.level]
    target = min(ctx.dose.sets[0] + 1, ctx.dose.sets[1])
    settle_week([draft], ctx, target=target, cap=high, max_total=None)
    title = f"Leg session: {ctx.focus.value} focus for the {EVENT_NAMES[ctx.event]}"
    dose = SessionDose(rir=ctx.dose.rir[1], phase=Phase.base)
    session = render_session(draft, ctx, dose, title=title, day=None, weekday=None)
    logged = logged_sets(request, ctx)
    return with_loads(session, logged, ctx) if logged else session


def generate_plan(request: GenerationRequest, exercises: Sequence[Exercise]) -> Plan:
    """A multi-week plan: base, build, peak and taper to race day (or `weeks` without one)."""
    ctx = build_context(request, exercises)
    planned = plan_weeks(request, ctx)
    calendar, results = planned.calendar, planned.results
    rationale = plan_rationale(request, ctx, planned)
    logged = logged_sets(request, ctx)
    if logged and results and results[0].sessions:
        # The first week's loads come from the logs; later weeks depend on what gets logged.
        first = results[0]
        first.sessions = [with_loads(s, logged, ctx) for s in first.sessions]
    low, high = LEVEL_WEEKLY_SETS[ctx.level]
    weeks = [
        Week(
            week=i + 1,
            phase=r.phase,
            start_date=r.start,
            sessions=r.sessions,
            total_sets=r.total,
            sets_by_muscle={m: c for m, c in r.counts.items() if c},
            posterior_share=rounded(posterior_share(r.counts)),
            progression=r.progression,
        )
        for i, r in enumerate(results)
    ]
    active = [r for r in results if r.sessions]
    totals: dict[Muscle, int] = {}
    for r in active:
        for m, c in r.counts.items():
            totals[m] = totals.get(m, 0) + c
    summary = PlanSummary(
        weeks=calendar.weeks,
        sessions=sum(len(r.sessions) for r in results),
        focus=ctx.focus,
        level=ctx.level,
        equipment=sorted(ctx.available, key=list(Equipment).index),
        weekly_sets_target=SetRange(min=low, max=high),
        weekly_sets_by_muscle={m: round(c / len(active), 2) for m, c in totals.items() if c}
        if active
        else {},
        posterior_share=rounded(posterior_share(totals)) or 0.0,
        race_date=calendar.race,
    )
    return Plan(weeks=weeks, summary=summary, rationale=rationale)


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def logged_sets(request: GenerationRequest, ctx: Context) -> list[LoggedSet]:
    """The request's working sets for the loads rules; 422 naming an unknown exercise."""
    for i, s in enumerate(request.working_sets):
        if s.exercise not in ctx.index.slugs:
            raise InvalidInput(
                f"working_sets[{i}].exercise", f"'{s.exercise}' is not a catalog exercise"
            )
    return [
        LoggedSet(s.exercise, s.date, float(s.load_kg or 0), s.reps, s.rir, s.rpe)
        for s in request.working_sets
        if s.reps  # a timed set (no reps) says nothing about a load for reps
    ]


def with_loads(session: Session, logged: Sequence[LoggedSet], ctx: Context) -> Session:
    """The session with `load_kg` (and why) on every exercise the logs give a load for. An
    undated session (a routine) is loaded as of the last logged day."""
    on = session.date or max(s.day for s in logged)
    exercises = []
    for p in session.exercises:
        load = next_load(
            logged,
            ctx.index.by_slug[p.exercise],
            reps=(p.reps.min, p.reps.max),
            rir=p.effort.rir,
            level=ctx.level,
            on=on,
        )
        if load.load_kg is not None:
            p = p.model_copy(update={"load_kg": load.load_kg, "load_guidance": load.note})
        exercises.append(p)
    return session.model_copy(update={"exercises": exercises})
