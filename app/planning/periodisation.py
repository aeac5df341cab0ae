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
from app.planning.balancing import settle_week
from app.planning.context import Context
from app.planning.dosing import Item, template_items
from app.planning.fitting import Draft, fit_session
from app.planning.rules import (
    DEFAULT_WEEKS,
    DELOAD_EVERY,
    LAST_SESSION_DAYS,
    MAJOR_ROLES,
    NORDIC_STEPS,
    TAPER_DAYS,
    NordicStep,
)
from app.planning.schemas import (
    GenerationRequest,
    Session,
)
from app.planning.selection import Stage, Template

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
