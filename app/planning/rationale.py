"""The plan's rationale: what a runner reads about the plan as a whole, true of the plan it
sits in."""

from collections.abc import Sequence

from app.enums import Level, Phase, Weekday
from app.planning.context import Context
from app.planning.periodisation import PlannedWeeks
from app.planning.rules import EVENT_NAMES, LAST_SESSION_DAYS, LEVEL_WEEKLY_SETS, TAPER_DAYS
from app.planning.schemas import GenerationRequest
from app.planning.words import FOCUS_WHY


def week_ranges(phases: Sequence[Phase], phase: Phase) -> str:
    weeks = [i + 1 for i, p in enumerate(phases) if p is phase]
    if not weeks:
        return ""
    spans: list[str] = []
    start = prev = weeks[0]
    for w in [*weeks[1:], None]:
        if w is not None and w == prev + 1:
            prev = w
            continue
        spans.append(f"{start}" if start == prev else f"{start}–{prev}")
        if w is not None:
            start = prev = w
    return ", ".join(spans)


def plan_rationale(request: GenerationRequest, ctx: Context, planned: PlannedWeeks) -> list[str]:
    """The plan's reasons, one paragraph each, about the plan they sit in."""
    calendar, phases, pattern = planned.calendar, planned.phases, planned.pattern
    results, uses_nordic = planned.results, planned.uses_nordic
    low, high = LEVEL_WEEKLY_SETS[ctx.level]
    rationale: list[str] = []
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
    return rationale
