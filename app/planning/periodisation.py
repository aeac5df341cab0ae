"""A plan to race day: the calendar, the phases and the week-by-week drafting."""

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta

from app.enums import (
    Level,
    Muscle,
    Phase,
)
from app.errors import InvalidInput
from app.planning.balancing import major_counts, settle_week, total_sets
from app.planning.context import Context
from app.planning.dosing import Item, template_items
from app.planning.fitting import Draft, fit_session
from app.planning.render import render_session
from app.planning.rules import (
    DEFAULT_WEEKS,
    DELOAD_EVERY,
    DELOAD_SHARE,
    LAST_SESSION_DAYS,
    LEVEL_WEEKLY_SETS,
    MAJOR_ROLES,
    NORDIC_MIN_MINUTES,
    NORDIC_MIN_WEEKS,
    NORDIC_STEPS,
    OVERLOAD_STEP,
    RACE_WEEK_SHARE,
    TAPER_DAYS,
    NordicStep,
    Role,
)
from app.planning.scheduling import WEEKDAYS, choose_days, week_days
from app.planning.schemas import (
    GenerationRequest,
    Prescription,
    Session,
)
from app.planning.selection import Stage, Template, choose_template

# ---------------------------------------------------------------------------------------------
# A plan to race day


@dataclass(frozen=True, slots=True)
class WeekShape:
    """What a week's sessions depend on, besides the sets wanted and the Nordic dose."""

    stage: Stage
    finals: tuple[bool, ...]  # per session: inside the last 10 days before the race
    light: tuple[bool, ...]  # per session: the light race-week session
    floor_cap: int | None
    max_total: int | None
    known: frozenset[str] | None  # with final sessions: the exercises done before them


class Drafter:
    """The sessions of one plan, fitted once and handed out as copies: most weeks repeat them."""

    def __init__(self, ctx: Context, templates: dict[Stage, Template], *, cap: int) -> None:
        self.ctx = ctx
        self.templates = templates
        self.cap = cap
        self._made: dict[tuple[object, ...], Item] = {}
        self._items: dict[tuple[object, ...], list[Item]] = {}
        self._fitted: dict[tuple[object, ...], Draft] = {}
        self._weeks: dict[tuple[object, ...], list[Draft]] = {}

    def week(
        self, shape: "WeekShape", target: int, nordic: NordicStep | None, nordic_sessions: int
    ) -> list[Draft]:
        """The week's sessions with their sets settled (toward `target` per major group, the
        Nordic dose in the first `nordic_sessions`). Most weeks of a phase repeat the same
        inputs: the answer is then a new list of the same drafts."""
        key = (shape, target, nordic, nordic_sessions)
        drafts = self._weeks.get(key)
        if drafts is None:
            drafts = self._weeks[key] = self._draft_week(shape, target, nordic, nordic_sessions)
        return list(drafts)

    def _draft_week(
        self, shape: "WeekShape", target: int, nordic: NordicStep | None, nordic_sessions: int
    ) -> list[Draft]:
        heavy = shape.stage is Stage.build and self.ctx.level is not Level.beginner
        drafts = [
            self.draft(
                shape.stage,
                heavy=heavy,
                nordic=nordic if n < nordic_sessions and not final else None,
                known=shape.known if final and shape.known else None,
                keep_abductor=n == 0,
                floor_cap=1 if light else shape.floor_cap,
            )
            for n, (final, light) in enumerate(zip(shape.finals, shape.light, strict=True))
        ]
        settle_week(
            drafts,
            self.ctx,
            target=target,
            cap=self.cap,
            max_total=shape.max_total,
            explain=shape.floor_cap is None,
        )
        return drafts

    def draft(
        self,
        stage: Stage,
        *,
        heavy: bool,
        nordic: NordicStep | None,
        known: frozenset[str] | None,
        keep_abductor: bool,
        floor_cap: int | None,
    ) -> Draft:
        """`fit_session` of the stage's template; with `known`, only the major lifts and the
        exercises in it (the last days before a race bring nothing new)."""
        items_key = (stage, heavy, nordic)
        items = self._items.get(items_key)
        if items is None:
            items = template_items(
                self.templates[stage], self.ctx, heavy=heavy, nordic=nordic, made=self._made
            )
            self._items[items_key] = items
        kept = (
            None
            if known is None
            else tuple(i.role in MAJOR_ROLES or i.exercise.slug in known for i in items)
        )
        key = (*items_key, kept, keep_abductor, floor_cap)
        fitted = self._fitted.get(key)
        if fitted is None:
            chosen = [item.copy() for n, item in enumerate(items) if kept is None or kept[n]]
            fitted = fit_session(chosen, self.ctx, keep_abductor=keep_abductor, floor_cap=floor_cap)
            self._fitted[key] = fitted
        return fitted.copy()


@dataclass(frozen=True, slots=True)
class Calendar:
    """How many weeks, when they start, and where the race falls."""

    weeks: int
    start: date | None
    race: date | None


def plan_calendar(request: GenerationRequest) -> Calendar:
    """Weeks from `start_date` to `race_date` (or `weeks`); 422 naming the field at fault."""
    if request.race_date is None:
        return Calendar(weeks=request.weeks or DEFAULT_WEEKS, start=request.start_date, race=None)
    if request.start_date is None:
        raise InvalidInput(
            "start_date",
            "Required with race_date: the service never guesses today's date, and the plan "
            "counts its weeks from start_date",
        )
    days = (request.race_date - request.start_date).days
    if days < 0:
        raise InvalidInput("race_date", "The race is before start_date")
    if days < LAST_SESSION_DAYS:
        raise InvalidInput(
            "race_date",
            f"The race is {days} day(s) after start_date; the last strength session comes "
            f"at least {LAST_SESSION_DAYS} days before a race, so there is no room for one",
        )
    weeks = days // 7 + 1
    if weeks > 52:
        raise InvalidInput("race_date", f"The race is {weeks} weeks after start_date; at most 52")
    if request.weeks is not None and request.weeks != weeks:
        raise InvalidInput(
            "weeks",
            f"start_date to race_date spans {weeks} weeks, not {request.weeks}; "
            "leave weeks out or make it match",
        )
    return Calendar(weeks=weeks, start=request.start_date, race=request.race_date)


def plan_phases(calendar: Calendar) -> list[Phase]:
    """Base (~45%), build (~40%), peak, taper (the weeks holding the last 10 days); a deload
    every 4th week of base and build."""
    n = calendar.weeks
    taper = 0
    if calendar.race is not None and calendar.start is not None:
        first_taper_day = calendar.race - timedelta(days=TAPER_DAYS)
        taper = n - max(0, (first_taper_day - calendar.start).days // 7)
        taper = min(n, max(taper, 1))
    rest = n - taper
    if calendar.race is None:
        base = max(1, math.floor(rest * 0.5 + 0.5)) if rest else 0
        build, peak = rest - base, 0
    else:
        base = max(1, math.floor(rest * 0.45 + 0.5)) if rest else 0
        build = min(rest - base, math.floor(rest * 0.4 + 0.5))
        peak = rest - base - build
    phases = (
        [Phase.base] * base + [Phase.build] * build + [Phase.peak] * peak + [Phase.taper] * taper
    )
    for i in range(DELOAD_EVERY - 1, base + build, DELOAD_EVERY):
        phases[i] = Phase.deload
    return phases


@dataclass(slots=True)
class WeekResult:
    phase: Phase
    start: date | None
    sessions: list[Session]
    total: int
    counts: dict[Muscle, int]
    slugs: set[str]


def nordic_for_week(phase: Phase, step: int) -> tuple[int, NordicStep | None, int]:
    """(new step, dose, sessions per week at most) for the Nordic progression this week."""
    if phase is Phase.deload:
        return step, None, 0  # the progression pauses; the next week picks up where it was
    if phase is Phase.taper:
        return step, None, 0  # tapers keep heavy eccentric work out
    step = min(step + 1, len(NORDIC_STEPS))
    dose = NORDIC_STEPS[step - 1]
    if phase is Phase.peak:
        return step, replace(dose, per_week=1), 1
    return step, dose, dose.per_week


@dataclass(frozen=True, slots=True)
class PlannedWeeks:
    """The drafted weeks and what the words about them need."""

    calendar: Calendar
    phases: list[Phase]
    pattern: tuple[int, ...]
    results: list[WeekResult]
    uses_nordic: bool


def plan_weeks(request: GenerationRequest, ctx: Context) -> PlannedWeeks:
    """Every week of the plan drafted: base, build, peak and taper to race day (or `weeks`)."""
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
    return PlannedWeeks(calendar, phases, pattern, results, uses_nordic)
