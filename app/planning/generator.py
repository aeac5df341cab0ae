"""Routine and plan generation: pure functions over the catalog's exercises (docs/training.md).

Nothing here knows about HTTP or a database: the router passes the exercise tuple in. The same
request and exercises always give the same answer; `seed` only picks among equally suitable
exercises (through `random.Random(str)`, which hashes with SHA-512 and so is stable across
processes).
"""

import math
from collections.abc import Sequence
from datetime import timedelta

from app.catalog.models import Exercise
from app.enums import (
    Equipment,
    Level,
    Muscle,
    Phase,
    Weekday,
    posterior_share,
)
from app.planning.balancing import major_counts, settle_week, total_sets
from app.planning.context import Context, build_context
from app.planning.dosing import template_items
from app.planning.fitting import Draft, fit_session
from app.planning.periodisation import (
    Calendar,
    Drafter,
    WeekResult,
    WeekShape,
    nordic_for_week,
    plan_calendar,
    plan_phases,
)
from app.planning.render import render_session
from app.planning.rules import (
    DELOAD_SHARE,
    EVENT_NAMES,
    LAST_SESSION_DAYS,
    LEVEL_WEEKLY_SETS,
    NORDIC_MIN_MINUTES,
    NORDIC_MIN_WEEKS,
    OVERLOAD_STEP,
    RACE_WEEK_SHARE,
    TAPER_DAYS,
    NordicStep,
    Role,
)
from app.planning.scheduling import WEEKDAYS, choose_days, week_days
from app.planning.schemas import (
    GenerationRequest,
    Plan,
    PlanSummary,
    Prescription,
    Session,
    SetRange,
    Week,
)
from app.planning.selection import Stage, choose_template
from app.planning.words import FOCUS_WHY, week_ranges


def generate_routine(request: GenerationRequest, exercises: Sequence[Exercise]) -> Session:
    """One balanced leg session: every major group, a single-leg lift, hip-abductor work."""
    ctx = build_context(request, exercises)
    template = choose_template(ctx, Stage.base)
    draft = fit_session(
        template_items(template, ctx, heavy=False), ctx, keep_abductor=True, floor_cap=None
    )
    _low, high = LEVEL_WEEKLY_SETS[ctx.level]
    target = min(ctx.dose.sets[0] + 1, ctx.dose.sets[1])
    settle_week([draft], ctx, target=target, cap=high, max_total=None)
    title = f"Leg session: {ctx.focus.value} focus for the {EVENT_NAMES[ctx.event]}"
    return render_session(
        draft, ctx, title=title, rir=ctx.dose.rir[1], phase=Phase.base, day=None, weekday=None
    )


def generate_plan(request: GenerationRequest, exercises: Sequence[Exercise]) -> Plan:
    """A multi-week plan: base, build, peak and taper to race day (or `weeks` without one)."""
    ctx = build_context(request, exercises)
    calendar = plan_calendar(request)
    phases = plan_phases(calendar)
    pattern = choose_days(request.sessions_per_week, request.long_run_day, request.hard_run_days)
    low, high = LEVEL_WEEKLY_SETS[ctx.level]
    mid = (low + high) // 2
    templates = {
        Stage.base: choose_template(ctx, Stage.base),
        Stage.build: choose_template(ctx, Stage.build),
    }
    drafter = Drafter(ctx, templates, cap=high)
    k = request.sessions_per_week
    regular_weeks = sum(p in (Phase.base, Phase.build, Phase.deload) for p in phases)
    uses_nordic = (
        ctx.nordic is not None
        and k >= 2
        and request.session_minutes >= NORDIC_MIN_MINUTES
        and regular_weeks >= NORDIC_MIN_WEEKS
        and all(
            any(e.unilateral for r, e in t.majors if r is not Role.hamstrings)
            for t in templates.values()
        )
    )
    rationale: list[str] = []
    results: list[WeekResult] = []
    nordic_step = 0
    base_weeks = build_weeks = 0
    last_regular_total = 0
    used_before_final: set[str] = set()
    last_stage: Stage | None = None
    race = calendar.race
    final_from = race - timedelta(days=TAPER_DAYS) if race else None
    previous_target: int | None = None
    race_week_taken = False
    previous_drafts: list[Draft] = []
    prescriptions: dict[tuple[object, ...], Prescription] = {}
    previous_nordic: tuple[NordicStep | None, int, int] = (None, 0, 0)
    for index, phase in enumerate(phases):
        number = index + 1
        week_start = calendar.start + timedelta(days=7 * index) if calendar.start else None
        days, race_week_days = week_days(pattern, week_start, phase, race, race_week_taken)

        # Volume for the week.
        previous = results[-1] if results else None
        stage = (
            Stage.base
            if phase is Phase.base or (phase is Phase.deload and build_weeks == 0)
            else Stage.build
        )
        floor_cap: int | None = None
        max_total: int | None = None
        target = low
        rir = ctx.dose.rir[1]
        if phase is Phase.base:
            target = min(mid, low + base_weeks)
            base_weeks += 1
        elif phase is Phase.build:
            target = min(high, mid + 1 + build_weeks)
            build_weeks += 1
            rir = ctx.dose.rir[0]
        elif phase is Phase.peak:
            rir = ctx.dose.rir[0]
        elif phase is Phase.deload:
            floor_cap = 1
            rir = ctx.dose.rir[1] + 1
            if previous is not None:
                max_total = math.floor(previous.total * DELOAD_SHARE)
        else:  # taper
            floor_cap = 1
            if last_regular_total:
                max_total = math.floor(last_regular_total * DELOAD_SHARE)
        if (
            previous is not None
            and previous.phase is phase
            and phase in (Phase.base, Phase.build, Phase.peak)
        ):
            max_total = math.floor(previous.total * OVERLOAD_STEP)
        if phase is Phase.taper and results:
            stage = last_stage or Stage.build

        # Nordic progression (Mjølsnes 2004).
        nordic: NordicStep | None = None
        nordic_sessions = 0
        if uses_nordic:
            nordic_step, nordic, per_week = nordic_for_week(phase, nordic_step)
            nordic_sessions = min(per_week, max(len(days) - 1, 0))

        # Draft the sessions.
        finals = [
            final_from is not None and day is not None and day >= final_from for _, day in days
        ]
        if race_week_days and days:
            reference = max((r.total for r in results if r.phase is Phase.peak), default=0) or max(
                (r.total for r in results), default=0
            )
            max_total = math.floor(reference * RACE_WEEK_SHARE) if reference else None
            target = 0

        shape = WeekShape(
            stage=stage,
            finals=tuple(finals),
            light=tuple(d in race_week_days for _, d in days),
            floor_cap=floor_cap,
            max_total=max_total,
            known=frozenset(used_before_final) if any(finals) else None,
        )

        drafts = drafter.week(shape, target, nordic, nordic_sessions)
        if (
            previous is not None
            and previous.phase is phase
            and total_sets(drafts) < previous.total
            and previous_target is not None
        ):
            # Inside a phase weekly sets never fall: settle for last week's target instead.
            for wanted in (previous_target, *range(target + 1, high + 1)):
                retry = drafter.week(shape, wanted, nordic, nordic_sessions)
                if total_sets(retry) > total_sets(drafts):
                    drafts, target = retry, wanted
                if total_sets(drafts) >= previous.total:
                    break
            if total_sets(drafts) < previous.total:
                # Still fewer (a bigger Nordic step took the minutes): repeat last week's step.
                nordic, nordic_sessions, nordic_step = previous_nordic
                drafts = drafter.week(shape, previous_target, nordic, nordic_sessions)
                target = previous_target
            if total_sets(drafts) < previous.total and len(previous_drafts) == len(drafts):
                # Last week again (its Nordic step too): sets never fall inside a phase.
                drafts = list(previous_drafts)
                nordic, nordic_sessions, nordic_step = previous_nordic
        previous_target = target
        previous_nordic = (nordic, nordic_sessions, nordic_step)
        previous_drafts = list(drafts)
        race_week_taken = race_week_taken or any(d in race_week_days for _, d in days)
        total = total_sets(drafts)
        if max_total is not None and total > max_total and drafts:
            # Too little room even at one set each: fewer sessions (the rationale says so).
            while drafts and total_sets(drafts) > max_total:
                drafts.pop()
                days.pop()
                finals.pop()
            if drafts and not any(i.role is Role.abductors for i in drafts[0].items):
                drafts[0] = drafter.draft(
                    stage, heavy=False, nordic=None, known=None, keep_abductor=True, floor_cap=1
                )
                settle_week(drafts, ctx, target=0, cap=high, max_total=max_total, explain=False)
                if total_sets(drafts) > max_total:
                    drafts, days, finals = [], [], []
            total = total_sets(drafts)

        sessions: list[Session] = []
        for n, (draft, (day_number, day), final) in enumerate(
            zip(drafts, days, finals, strict=True)
        ):
            session_day = WEEKDAYS[day_number]
            label = "light race-week session" if day in race_week_days else f"{phase.value} session"
            title = f"Week {number} · session {n + 1} ({session_day.value}): {label}"
            session_rir = ctx.dose.rir[1] + 1 if day in race_week_days else rir
            sessions.append(
                render_session(
                    draft,
                    ctx,
                    title=title,
                    rir=session_rir,
                    phase=phase,
                    day=day,
                    weekday=session_day,
                    in_taper_days=final,
                    cache=prescriptions,
                )
            )
            if not final:
                used_before_final.update(i.exercise.slug for i in draft.items)
        counts = major_counts(drafts)
        for draft in drafts:
            for item in draft.items:
                if item.role in (Role.abductors, Role.accessory):
                    for m in item.exercise.primary_muscles:
                        counts[m] = counts.get(m, 0) + item.sets
        results.append(
            WeekResult(
                phase=phase,
                start=week_start,
                sessions=sessions,
                total=total,
                counts=counts,
                slugs={i.exercise.slug for d in drafts for i in d.items},
            )
        )
        if phase in (Phase.base, Phase.build, Phase.peak) and drafts:
            last_regular_total = total
        last_stage = stage if phase is not Phase.taper else last_stage
    return _assemble_plan(request, ctx, calendar, phases, pattern, results, rationale, uses_nordic)


def _assemble_plan(
    request: GenerationRequest,
    ctx: Context,
    calendar: Calendar,
    phases: Sequence[Phase],
    pattern: Sequence[int],
    results: Sequence[WeekResult],
    rationale: list[str],
    uses_nordic: bool,
) -> Plan:
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
        )
        for i, r in enumerate(results)
    ]
    active = [r for r in results if r.sessions]
    totals: dict[Muscle, int] = {}
    for r in active:
        for m, c in r.counts.items():
            totals[m] = totals.get(m, 0) + c
    event = EVENT_NAMES[ctx.event]
    weekday_names = ", ".join(list(Weekday)[d].value for d in sorted(pattern))
    rationale.append(
        f"Focus: {ctx.focus.value}"
        + (" (from the event)" if request.focus is None else " (as asked)")
        + f" — {FOCUS_WHY[ctx.focus].format(event=event)}. Never to failure: every set keeps "
        "reps in reserve."
    )
    rationale.append(
        f"Volume: {low}–{high} working sets per major group a week for a {ctx.level.value} "
        "(runners need far less than bodybuilders); glutes and hamstrings get 50–70% of them, "
        "because they drive running."
    )
    rationale.append(
        "Every session trains glutes, hamstrings, quads and calves, with at least one single-leg "
        "lift; every week has hip-abductor work. Big multi-joint lifts come first (ACSM 2009)."
    )
    schedule = f"Strength on {weekday_names}: never on consecutive days (48 h for the same muscles)"
    if request.long_run_day is not None:
        before = list(Weekday)[(request.long_run_day.number - 1) % 7].value
        schedule += (
            f", never on the long-run day ({request.long_run_day.value}) "
            f"nor the day before ({before})"
        )
    hard = [d for d in request.hard_run_days if d.number in pattern]
    if hard:
        schedule += (
            f"; on your hard-run days ({', '.join(d.value for d in hard)}), at least 6 hours after "
            "the run, to keep hard days hard and easy days easy"
        )
    elif request.hard_run_days:
        schedule += "; your hard-run days could not take a session without breaking those rules"
    rationale.append(schedule + ".")
    phase_text = [
        f"{phase.value} weeks {week_ranges(phases, phase)}"
        for phase in (Phase.base, Phase.build, Phase.peak, Phase.deload, Phase.taper)
        if phase in phases
    ]
    rationale.append(
        "Phases: " + "; ".join(phase_text) + ". Base teaches technique with lighter variations; "
        "build adds sets (never more than 20% a week) and heavier variations; peak keeps "
        "strength with 1–2 sessions a week."
    )
    if Phase.deload in phases:
        rationale.append(
            "Every 4th week of base and build is a deload: about 40–50% fewer sets, more reps in "
            "reserve, same days (Bell 2023)."
        )
    if calendar.race is not None:
        rationale.append(
            f"Taper: no new exercise and no Nordic or heavy eccentric work in the last "
            f"{TAPER_DAYS} days; race week has at most one light session, at least "
            f"{LAST_SESSION_DAYS} days before the race, with no more than half the sets of the "
            "peak week."
        )
        empty = [i + 1 for i, r in enumerate(results) if not r.sessions]
        if empty:
            rationale.append(
                "No session in week(s) " + ", ".join(map(str, empty)) + ": the days left there are "
                "too close to the race."
            )
    else:
        start = "dated from start_date" if calendar.start else "by weekday (no start_date given)"
        rationale.append(
            f"No race date: {calendar.weeks} weeks {start}, with deloads and no taper."
        )
    if uses_nordic:
        rationale.append(
            "Nordic hamstring curls follow Mjølsnes 2004 step by step (1×/week 2×5, then 2×/week "
            "2×6, 3×6–8, 3×8–10, then 12-10-8), never skipping a step, at most once a week in "
            "peak and taper, and stop 10 days before the race; they cut hamstring injuries by "
            "about half (van Dyk 2019)."
        )
    if any(s.notes for r in results for s in r.sessions):
        rationale.append(
            f"{request.session_minutes} minutes is short for this work, so sessions bend in this "
            "order: fewer sets (down to 2, then 1 for accessories), rests down to 30 s, supersets, "
            "a 3-minute warm-up, fewer accessories; a major group is never dropped. Each "
            "session's notes say what bent."
        )
    if request.sessions_per_week < 2:
        rationale.append("One session a week keeps strength, but two to three build it faster.")
    elif request.sessions_per_week == 3 and ctx.level is Level.beginner:
        rationale.append("Beginners usually start with two sessions a week; three stay short.")
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
