"""The plan's rationale: what a runner reads about the plan as a whole. Every sentence is
worked out from the plan it sits in, so it only says true things about it."""

from collections.abc import Sequence

from app.enums import MAJOR_MUSCLES, Focus, Level, Phase, Weekday
from app.planning.context import Context
from app.planning.periodisation import PlannedWeeks, WeekResult, session_sets
from app.planning.rules import (
    BACKBONE,
    DELOAD_EVERY,
    EVENT_NAMES,
    LAST_SESSION_DAYS,
    LEVEL_WEEKLY_SETS,
    MAINTENANCE_ONLY_DAYS,
    TAPER_DAYS,
)
from app.planning.scheduling import WEEKDAYS, day_after_long_run, no_easy_day
from app.planning.schemas import GenerationRequest, Prescription

_FOCUS_WORDS = {
    Focus.endurance: (
        "distance running leans on slow-twitch fibres, so moderate sets of 12–20 reps build "
        "the fatigue resistance that keeps your form late in the race"
    ),
    Focus.strength: (
        "moderate-heavy sets with long rests make each stride cheaper (running economy, "
        "Blagrove 2018)"
    ),
    Focus.power: (
        "few fast reps and jumps train the fast fibres and stiffen the tendons (Rønnestad & "
        "Mujika 2014)"
    ),
    Focus.resilience: "slow lowering and holds toughen tendons and muscles against injury",
}
_BACKBONE_LIFTS = frozenset().union(*BACKBONE.values())
_DAY_NAMES = {d: d.value.capitalize() for d in Weekday}


def _days(numbers: Sequence[int]) -> str:
    names = [_DAY_NAMES[WEEKDAYS[d]] for d in sorted(numbers)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def span(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}–{high}"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


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
    """The plan's reasons, one paragraph each."""
    results = planned.results
    shown = _first_shown(planned)
    event = EVENT_NAMES[ctx.event]
    rationale = [
        f"{ctx.focus.value.capitalize()} focus"
        + (f" for the {event}" if request.focus is None else " (as you asked)")
        + f": {_FOCUS_WORDS[ctx.focus]}. No set goes to failure: every one keeps reps in reserve."
    ]
    if planned.late_start:
        days = (planned.calendar.race - planned.calendar.start).days  # type: ignore[operator]
        rationale.append(
            f"The race is {days} days away: too close to build strength, so the plan is one "
            "light session of familiar movements at least "
            f"{LAST_SESSION_DAYS} days before it. Start building strength after the race."
        )
    else:
        rationale.extend(_volume(ctx, planned, shown))
    rationale.append(_schedule(request, planned))
    if not planned.late_start:
        rationale.extend(_phases(ctx, planned))
    if planned.calendar.race is not None:
        rationale.extend(_taper(planned))
    else:
        start = "dated from start_date" if planned.calendar.start else "by weekday"
        rationale.append(
            f"No race date: {planned.calendar.weeks} weeks {start}, with deloads and no taper."
        )
    if planned.uses_nordic and "nordic-curl" in shown:
        rationale.append(
            "Nordic hamstring curls follow Mjølsnes 2004 step by step (1×/week 2×5, then 2×/week "
            "2×6, 3×6–8, 3×8–10, then 12-10-8), never skipping a step, at most once a week in "
            f"peak weeks and none in the last {TAPER_DAYS} days; they cut hamstring injuries by "
            "about half (van Dyk 2019)."
        )
    ladder_slugs = {e.slug for e in ctx.plyometrics}
    jumps = [p.name for slug, p in shown.items() if slug in ladder_slugs]
    if planned.uses_plyometrics and jumps:
        ladder = list(dict.fromkeys(jumps))
        rationale.append(
            "Build weeks add one plyometric drill to one session a week ("
            + " → ".join(ladder)
            + "), 30–45 ground contacts, first in the session after the warm-up; one step up "
            "the ladder at a time, never on the day after the long run and none in the taper "
            "(Spurrs 2003; Saunders 2006)."
        )
    bent = [s for r in results for s in r.sessions if s.notes and "shortened" in s.notes[0]]
    if bent:
        rationale.append(
            f"{plural(len(bent), 'session')} had to fit {request.session_minutes} minutes and "
            "were shortened in this order: fewer sets (down to 2, then 1 for accessories), rests "
            "down to 30 s, supersets, a 3-minute warm-up, fewer accessories; a major group is "
            "never dropped. Each of those sessions' notes says what was cut."
        )
    if request.sessions_per_week < 2:
        rationale.append("One session a week keeps strength; two or three build it faster.")
    elif request.sessions_per_week == 3 and ctx.level is Level.beginner:
        rationale.append("Beginners usually start with two sessions a week; three stay short.")
    return rationale


def _volume(ctx: Context, planned: PlannedWeeks, shown: dict[str, Prescription]) -> list[str]:
    low, high = LEVEL_WEEKLY_SETS[ctx.level]
    main = [r for r in planned.results if r.phase in (Phase.base, Phase.build) and r.sessions]
    said: list[str] = []
    if main:
        per_group = [r.counts.get(m, 0) for r in main for m in MAJOR_MUSCLES]
        fewest, most = min(per_group), max(per_group)
        inside = low <= fewest and most <= high
        where = "inside" if inside else "partly below" if most >= low else "below"
        said.append(
            f"Volume: {span(fewest, most)} working sets a week per major muscle group in the "
            f"main weeks, {where} the {ctx.level.value} range of {low}–{high} (runners need far "
            "less than bodybuilders); glutes and hamstrings get 50–70% of them, because they "
            "drive running."
            + ("" if inside else " More sessions a week, or longer ones, would reach the range.")
        )
    backbone = _backbone_names(shown)
    said.append(
        "Every session trains glutes, hamstrings, quads and calves with at least one single-leg "
        "lift, and every week has hip-abductor work. Each session opens with its multi-joint "
        f"lifts ({backbone}); smaller muscles and the trunk come last (ACSM 2009)."
    )
    return said


def _backbone_names(shown: dict[str, Prescription]) -> str:
    names = dict.fromkeys(p.name for slug, p in shown.items() if slug in _BACKBONE_LIFTS)
    return ", ".join(names) if names else "where the equipment allows"


def _first_shown(planned: PlannedWeeks) -> dict[str, Prescription]:
    """Each exercise of the plan by slug, as it is first shown, in that order: what the
    sentences about the exercises read, rather than every session again."""
    shown: dict[str, Prescription] = {}
    for r in planned.results:
        for s in r.sessions:
            for p in s.exercises:
                shown.setdefault(p.exercise, p)
    return shown


def _schedule(request: GenerationRequest, planned: PlannedWeeks) -> str:
    pattern = planned.pattern
    text = f"Strength on {_days(pattern)}: never on consecutive days (48 h for the same muscles)"
    long_run = request.long_run_day
    if long_run is not None:
        before = WEEKDAYS[(long_run.number - 1) % 7]
        text += (
            f", never on the long-run day ({_DAY_NAMES[long_run]}) nor the day before "
            f"({_DAY_NAMES[before]})"
        )
    hard = sorted({d.number for d in request.hard_run_days} & set(pattern))
    if hard:
        text += (
            f"; on your hard-run days ({_days(hard)}), at least 6 hours after the run, to keep "
            "hard days hard and easy days easy"
        )
    elif request.hard_run_days:
        text += "; your hard-run days could not take a session without breaking those rules"
    text += "."
    after = day_after_long_run(long_run)
    on_after = any(
        s.weekday is not None and s.weekday.number == after
        for r in planned.results
        for s in r.sessions
    )
    if after is not None and on_after:
        text += (
            f" The {_DAY_NAMES[WEEKDAYS[after]]} session comes the day after the long run: "
            "it has no Nordics, jumps or heavy hinges."
        )
    if no_easy_day(pattern, long_run, request.hard_run_days):
        text += (
            " With strength, hard runs and the long run, no day of your week is easy; two "
            "strength sessions a week would leave room to recover."
        )
    return text


def _phases(ctx: Context, planned: PlannedWeeks) -> list[str]:
    phases = planned.phases
    present = (Phase.base, Phase.build, Phase.peak, Phase.deload, Phase.taper)
    text = "Phases: " + "; ".join(
        f"{p.value} weeks {week_ranges(phases, p)}" for p in present if p in phases
    )
    said: list[str] = []
    days_out = (
        (planned.calendar.race - planned.calendar.start).days
        if planned.calendar.race and planned.calendar.start
        else None
    )
    if days_out is not None and days_out <= MAINTENANCE_ONLY_DAYS:
        said.append(
            text + f". The race is {days_out} days away: too close to build strength, so the "
            "plan only maintains it with short, familiar sessions; build strength after the race."
        )
        return said
    parts = [text + "."]
    if Phase.base in phases:
        parts.append("Base teaches the movements at moderate effort.")
    if Phase.build in phases:
        parts.append("Build " + _build_changes(ctx, planned) + ".")
    if Phase.peak in phases:
        parts.append("Peak keeps the strength with fewer sets.")
    parts.append(
        "Inside base and build, every week adds a set, a rep or load; each week lists what rose."
    )
    said.append(" ".join(parts))
    if Phase.deload in phases:
        said.append(
            f"Every {DELOAD_EVERY}th week of base and build is a deload: about 40–50% fewer "
            "sets, more reps in reserve, same days (Bell 2023)."
        )
    return said


def _build_changes(ctx: Context, planned: PlannedWeeks) -> str:
    """What build changes, from the weeks themselves."""
    base = _last(planned, Phase.base)
    build = _first(planned, Phase.build)
    if base is None or build is None:
        return "is the heavier phase"
    old = {p.exercise: p for s in base.sessions for p in s.exercises}
    new = {p.exercise: p for s in build.sessions for p in s.exercises}
    changes: list[str] = []
    swapped = [p.name for slug, p in new.items() if slug not in old]
    if swapped:
        changes.append("brings " + ", ".join(swapped))
    heavier = [p.name for slug, p in new.items() if slug in old and p.reps.max < old[slug].reps.max]
    if heavier:
        changes.append("takes " + ", ".join(heavier) + " to fewer, heavier reps")
    if not changes or ctx.level is Level.beginner:
        changes.append("adds load once you beat the top of a rep range")
    return " and ".join(changes)


def _first(planned: PlannedWeeks, phase: Phase) -> WeekResult | None:
    return next((r for r in planned.results if r.phase is phase and r.sessions), None)


def _last(planned: PlannedWeeks, phase: Phase) -> WeekResult | None:
    return next((r for r in reversed(planned.results) if r.phase is phase and r.sessions), None)


def _taper(planned: PlannedWeeks) -> list[str]:
    results = planned.results
    race = planned.calendar.race
    light = [
        (r, s)
        for r in results
        for s in r.sessions
        if s.date is not None and race is not None and (race - s.date).days <= 6
    ]
    said = [
        f"Taper: no new exercise and no Nordics or jumps in the last {TAPER_DAYS} days before "
        "the race; tapers cut volume and keep intensity (Bosquet 2007)."
    ]
    if light and race is not None:
        _, session = light[0]
        sets = session_sets(session)
        others = [session_sets(s) for r in results for s in r.sessions if s is not session]
        lightest = "the lightest of the plan" if all(sets <= o for o in others) else "a light one"
        said.append(
            f"Race week has one light session on {session.date}, "
            f"{(race - session.date).days} days before the race "  # type: ignore[operator]
            f"({sets} sets, {lightest})."
        )
    else:
        said.append("Race week has no strength session: no day 4–6 days before the race is free.")
    empty = [i + 1 for i, r in enumerate(results) if not r.sessions]
    if empty:
        said.append(
            ("No session in week " if len(empty) == 1 else "No session in weeks ")
            + ", ".join(map(str, empty))
            + ": the days left there are within 3 days of the race."
        )
    return said
