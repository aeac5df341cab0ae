"""A plan to race day: the calendar, the phases and the week-by-week drafting."""

import math
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from app.catalog.models import Exercise
from app.enums import (
    Focus,
    Level,
    Muscle,
    Phase,
)
from app.errors import InvalidInput
from app.planning.balancing import major_counts, settle_week, total_sets, trim_session
from app.planning.context import Context
from app.planning.dosing import template_items
from app.planning.fitting import Draft, fit_session
from app.planning.render import RenderCache, SessionDose, render_session
from app.planning.rules import (
    DEFAULT_WEEKS,
    DELOAD_EVERY,
    DELOAD_SHARE,
    LAST_SESSION_DAYS,
    LEVEL_WEEKLY_SETS,
    MAINTENANCE_ONLY_DAYS,
    MAJOR_ROLES,
    MAX_REP_STEPS,
    MINOR_ROLES,
    NORDIC_MIN_MINUTES,
    NORDIC_MIN_WEEKS,
    NORDIC_STEPS,
    OVERLOAD_STEP,
    PLYOMETRIC_EVENTS,
    PLYOMETRIC_WEEKS_PER_STEP,
    RACE_WEEK_SHARE,
    TAPER_DAYS,
    NordicStep,
    Role,
)
from app.planning.scheduling import (
    WEEKDAYS,
    choose_days,
    day_after_long_run,
    long_run_days,
    week_days,
)
from app.planning.schemas import (
    GenerationRequest,
    Session,
)
from app.planning.selection import Stage, Template, choose_template
from app.planning.words import WeekWork, progression_claims, week_work

# ---------------------------------------------------------------------------------------------
# A plan to race day

# Named once: an enum member looked up in code run every week is slow (app.planning.rules).
TRAINING_PHASES = (Phase.base, Phase.build, Phase.peak)  # not a deload or the taper
BLOCK_PHASES = (Phase.base, Phase.build)  # weeks that progress inside a block


@dataclass(frozen=True, slots=True)
class WeekShape:
    """What a week's sessions depend on besides the sets wanted: one entry per session."""

    stage: Stage
    heavy: tuple[bool, ...]  # build's heavier backbone reps (never the day after the long run)
    nordic: tuple[bool, ...]  # takes this week's Nordic step
    plyometric: tuple[bool, ...]  # takes this week's plyometric drill
    finals: tuple[bool, ...]  # inside the last 10 days before the race
    light: tuple[bool, ...]  # the light race-week session
    floor_cap: int | None
    max_total: int | None
    known: frozenset[str] | None  # with final sessions: the exercises done before them


class Drafter:
    """The sessions of one plan, fitted and settled once: most weeks repeat them. Fitted
    sessions and settled weeks depend on the context alone, which remembers them
    (`Context.memo`) for every plan made with it; each plan gets its own drafts over a settled
    week's items (which are never changed)."""

    def __init__(self, ctx: Context, templates: dict[Stage, Template], *, cap: int) -> None:
        self.ctx = ctx
        self.templates = templates
        self.cap = cap
        self._weeks: dict[tuple[object, ...], list[Draft]] = {}

    def week(
        self,
        shape: WeekShape,
        target: int,
        nordic: NordicStep | None,
        plyometric: Exercise | None,
    ) -> list[Draft]:
        """The week's sessions with their sets settled toward `target` per major group. Most
        weeks of a phase repeat the same inputs: the answer is then a new list of the same
        drafts. Their items are shared with every plan of the context: never change one (copy
        the draft), nor a draft's list of them (replace it, as `_fewer_sessions` does)."""
        key = (shape, target, nordic, plyometric.slug if plyometric else None)
        drafts = self._weeks.get(key)
        if drafts is None:
            # Settling a week is a third of a plan's work, and the same week comes back in every
            # plan of the context with the same schedule: the context keeps it (~4 KB). This
            # plan's own drafts hold its items.
            settled = self.ctx.remember_week(
                key, lambda: self._draft_week(shape, target, nordic, plyometric)
            )
            drafts = self._weeks[key] = [replace(draft) for draft in settled]
        return list(drafts)

    def _draft_week(
        self,
        shape: WeekShape,
        target: int,
        nordic: NordicStep | None,
        plyometric: Exercise | None,
    ) -> tuple[Draft, ...]:
        drafts = [
            self.draft(
                shape.stage,
                heavy=shape.heavy[n],
                nordic=nordic if shape.nordic[n] else None,
                plyometric=plyometric if shape.plyometric[n] else None,
                known=shape.known if shape.finals[n] and shape.known else None,
                keep_abductor=n == 0,
                floor_cap=1 if shape.light[n] else shape.floor_cap,
            )
            for n in range(len(shape.finals))
        ]
        settle_week(
            drafts,
            self.ctx,
            target=target,
            cap=self.cap,
            max_total=shape.max_total,
            explain=shape.floor_cap is None,
        )
        return tuple(drafts)

    def draft(
        self,
        stage: Stage,
        *,
        heavy: bool,
        nordic: NordicStep | None,
        plyometric: Exercise | None = None,
        known: frozenset[str] | None,
        keep_abductor: bool,
        floor_cap: int | None,
    ) -> Draft:
        """`fit_session` of the stage's template; with `known`, only the major lifts and the
        exercises in it (the last days before a race bring nothing new)."""
        ctx = self.ctx
        items_key = (
            "template items",
            stage,
            heavy,
            nordic,
            plyometric.slug if plyometric else None,
        )
        items = ctx.remember(
            items_key,
            lambda: template_items(
                self.templates[stage],
                ctx,
                heavy=heavy,
                nordic=nordic,
                plyometric=plyometric,
                shared=True,
            ),
        )
        kept = (
            None
            if known is None
            else tuple(
                (i.role in MAJOR_ROLES and not i.fixed) or i.exercise.slug in known for i in items
            )
        )
        fitted = ctx.remember(
            ("fitted", *items_key[1:], kept, keep_abductor, floor_cap),
            lambda: fit_session(
                [item.copy() for n, item in enumerate(items) if kept is None or kept[n]],
                ctx,
                keep_abductor=keep_abductor,
                floor_cap=floor_cap,
            ),
        )
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
    every 4th week of base and build. A plan starting at most 3 weeks before the race is
    maintenance only (peak, then taper); at most 10 days before, taper only."""
    n = calendar.weeks
    taper = 0
    if calendar.race is not None and calendar.start is not None:
        days = (calendar.race - calendar.start).days
        if days <= TAPER_DAYS:
            return [Phase.taper] * n
        first_taper_day = calendar.race - timedelta(days=TAPER_DAYS)
        taper = n - max(0, (first_taper_day - calendar.start).days // 7)
        taper = min(n, max(taper, 1))
        if days <= MAINTENANCE_ONLY_DAYS:
            return [Phase.peak] * (n - taper) + [Phase.taper] * taper
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
    progression: list[str] = field(default_factory=list)


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
    uses_plyometrics: bool
    late_start: bool  # the plan is only the light race-week session


@dataclass(slots=True)
class Progress:
    """Where the week-over-week progression stands inside a block (a phase between deloads)."""

    block_start: int = 0  # index of the block's first week
    rep_step: int = 0
    last_regular: int | None = None  # index of the last base/build week


class PlanBuilder:
    """Drafts a plan week by week: volume, Nordic and plyometric steps, the race week, what
    rose. One instance per request."""

    def __init__(self, request: GenerationRequest, ctx: Context) -> None:
        self.request = request
        self.ctx = ctx
        self.calendar = plan_calendar(request)
        self.phases = plan_phases(self.calendar)
        self.pattern = choose_days(
            request.sessions_per_week, request.long_run_day, request.hard_run_days
        )
        self.forbidden = long_run_days(request.long_run_day)
        self.after_long = day_after_long_run(request.long_run_day)
        self.low, self.high = LEVEL_WEEKLY_SETS[ctx.level]
        base_template = choose_template(ctx, Stage.base)
        self.templates = {
            Stage.base: base_template,
            Stage.build: choose_template(ctx, Stage.build, base_template),
        }
        self.drafter = Drafter(ctx, self.templates, cap=self.high)
        regular_weeks = sum(p in (Phase.base, Phase.build, Phase.deload) for p in self.phases)
        self.uses_nordic = (
            ctx.nordic is not None
            and request.sessions_per_week >= 2
            and request.session_minutes >= NORDIC_MIN_MINUTES
            and regular_weeks >= NORDIC_MIN_WEEKS
        )
        self.uses_plyometrics = (
            ctx.focus is not Focus.power
            and ctx.event in PLYOMETRIC_EVENTS
            and ctx.level is not Level.beginner
            and bool(ctx.plyometrics)
            and Phase.build in self.phases
        )
        race = self.calendar.race
        self.final_from = race - timedelta(days=TAPER_DAYS) if race else None
        self.late_start = (
            race is not None
            and self.calendar.start is not None
            and (race - self.calendar.start).days <= TAPER_DAYS
        )
        self.results: list[WeekResult] = []
        self.prescriptions = RenderCache(ctx.prescriptions, ctx.sessions)
        self.used_before_final: set[str] = set()
        self._shapes: dict[tuple[object, ...], WeekShape] = {}
        self._work: dict[int, WeekWork] = {}  # by week index, for the progression claims
        self.race_week_taken = False
        self.nordic_step = 0
        self.base_weeks = self.build_weeks = 0
        self.last_regular_total = 0
        self.progress = Progress()
        self.plyometric_step = 0  # where on the athlete's plyometric ladder the plan stands
        self.plyometric_weeks = 0  # weeks done on that step

    def plan(self) -> PlannedWeeks:
        previous_target: int | None = None
        previous_drafts: list[Draft] = []
        previous_nordic: tuple[NordicStep | None, int] = (None, 0)
        for index, phase in enumerate(self.phases):
            week_start = (
                self.calendar.start + timedelta(days=7 * index) if self.calendar.start else None
            )
            days, race_week_days = week_days(
                self.pattern,
                week_start,
                phase,
                self.calendar.race,
                self.race_week_taken,
                self.forbidden,
            )
            if self.late_start:
                days = [wd for wd in days if wd[1] in race_week_days] or days[:1]
                days = days[:1] if not self.race_week_taken else []
                race_week_days = {d for _, d in days if d is not None}
            stage, target, rir, floor_cap, max_total = self._volume(phase, index)
            if race_week_days:
                # The light session has its own cap (`light_cap`); the rest of the week holds.
                target, max_total = 0, None
            nordic, plyometric = self._steps(phase)
            shape = self._shape(stage, phase, days, race_week_days, floor_cap, max_total, nordic)
            drafts = self.drafter.week(shape, target, nordic, plyometric)
            previous = self.results[-1] if self.results else None
            if (
                previous is not None
                and previous.phase is phase
                and phase in TRAINING_PHASES
                and total_sets(drafts) < previous.total
                and previous_target is not None
            ):
                # Inside a phase weekly sets never fall: settle for last week's target instead.
                for wanted in (previous_target, *range(target + 1, self.high + 1)):
                    retry = self.drafter.week(shape, wanted, nordic, plyometric)
                    if total_sets(retry) > total_sets(drafts):
                        drafts, target = retry, wanted
                    if total_sets(drafts) >= previous.total:
                        break
                if total_sets(drafts) < previous.total:
                    # Still fewer (a bigger Nordic step took the minutes): repeat last week's.
                    nordic, self.nordic_step = previous_nordic
                    drafts = self.drafter.week(shape, previous_target, nordic, plyometric)
                    target = previous_target
                if total_sets(drafts) < previous.total and len(previous_drafts) == len(drafts):
                    drafts = list(previous_drafts)
                    nordic, self.nordic_step = previous_nordic
            previous_target = target
            previous_nordic = (nordic, self.nordic_step)
            previous_drafts = list(drafts)
            drafts = self._light_sessions(drafts, days, race_week_days)
            if max_total is not None and total_sets(drafts) > max_total and drafts:
                drafts, days = self._fewer_sessions(drafts, days, stage, max_total)
            self.race_week_taken = self.race_week_taken or any(d in race_week_days for _, d in days)
            self._record(index, phase, rir, days, race_week_days, drafts)
        return PlannedWeeks(
            self.calendar,
            self.phases,
            self.pattern,
            self.results,
            self.uses_nordic,
            self.uses_plyometrics,
            self.late_start,
        )

    # -- one week's inputs ------------------------------------------------------------------

    def _volume(self, phase: Phase, index: int) -> tuple[Stage, int, int, int | None, int | None]:
        """(stage, sets wanted per major group, RIR, floor cap, most sets in the week)."""
        ctx = self.ctx
        previous = self.results[-1] if self.results else None
        mid = (self.low + self.high) // 2
        # Build's template once build has begun; a plan without build weeks keeps base's.
        stage = Stage.build if phase is Phase.build or self.build_weeks else Stage.base
        floor_cap: int | None = None
        max_total: int | None = None
        target = self.low
        rir = ctx.dose.rir[1]
        if phase is Phase.base:
            target = min(mid, self.low + self.base_weeks)
            self.base_weeks += 1
        elif phase is Phase.build:
            # Never below where base ended: build is the heavier phase.
            target = min(self.high, mid + 1 + self.build_weeks)
            self.build_weeks += 1
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
            if self.last_regular_total:
                max_total = math.floor(self.last_regular_total * DELOAD_SHARE)
        if previous is not None and previous.phase is phase and phase in TRAINING_PHASES:
            max_total = math.floor(previous.total * OVERLOAD_STEP)
        if self.late_start:
            stage, floor_cap = Stage.base, 1
        return stage, target, rir, floor_cap, max_total

    def _steps(self, phase: Phase) -> tuple[NordicStep | None, Exercise | None]:
        """This week's Nordic step (Mjølsnes 2004) and plyometric drill (one ladder step at a
        time, build weeks only)."""
        nordic: NordicStep | None = None
        if self.uses_nordic:
            self.nordic_step, nordic, _ = nordic_for_week(phase, self.nordic_step)
        plyometric: Exercise | None = None
        if self.uses_plyometrics and phase is Phase.build:
            ladder = self.ctx.plyometrics
            step = self.plyometric_step
            if self.plyometric_weeks >= PLYOMETRIC_WEEKS_PER_STEP and step + 1 < len(ladder):
                step += 1  # one step up the ladder, after two weeks on the last one
            plyometric = ladder[step]
        return nordic, plyometric

    def _shape(
        self,
        stage: Stage,
        phase: Phase,
        days: list[tuple[int, date | None]],
        race_week_days: set[date],
        floor_cap: int | None,
        max_total: int | None,
        nordic: NordicStep | None,
    ) -> WeekShape:
        """Which session takes what: the Nordic and the jumps go to the first sessions that are
        not the day after the long run (nor in the last 10 days); that day's hinge stays light.
        Weeks alike in what this depends on share one shape."""
        finals = tuple(
            self.final_from is not None and day is not None and day >= self.final_from
            for _, day in days
        )
        light = tuple(day in race_week_days for _, day in days)
        per_week = 0 if nordic is None else (1 if phase is Phase.peak else nordic.per_week)
        known = frozenset(self.used_before_final) if any(finals) else None
        weekdays = tuple(weekday for weekday, _ in days)
        key = (stage, weekdays, finals, light, per_week, floor_cap, max_total, known)
        shape = self._shapes.get(key)
        if shape is None:
            shape = self._shapes[key] = self._new_shape(*key)
        return shape

    def _new_shape(
        self,
        stage: Stage,
        weekdays: tuple[int, ...],
        finals: tuple[bool, ...],
        light: tuple[bool, ...],
        per_week: int,
        floor_cap: int | None,
        max_total: int | None,
        known: frozenset[str] | None,
    ) -> WeekShape:
        after_long = tuple(weekday == self.after_long for weekday in weekdays)
        # Sessions in the week's own order of preference (hard days first, the day after the
        # long run last) decide who takes the Nordic and the jumps.
        order = sorted(
            range(len(weekdays)),
            key=lambda n: self.pattern.index(weekdays[n]) if weekdays[n] in self.pattern else 7,
        )
        free = [n for n in order if not finals[n] and not light[n]]
        fresh = [n for n in free if not after_long[n]] or free[:0]
        nordic_sessions = set(fresh[: min(per_week, max(len(weekdays) - 1, 0))])
        plyometric_sessions = set(fresh[:1])
        heavy_stage = stage is Stage.build and self.ctx.level is not Level.beginner
        sessions = range(len(weekdays))
        return WeekShape(
            stage=stage,
            heavy=tuple(heavy_stage and not after_long[n] and not light[n] for n in sessions),
            nordic=tuple(n in nordic_sessions for n in sessions),
            plyometric=tuple(n in plyometric_sessions for n in sessions),
            finals=finals,
            light=light,
            floor_cap=floor_cap,
            max_total=max_total,
            known=known,
        )

    # -- the race week ----------------------------------------------------------------------

    def light_cap(self) -> int | None:
        """Most sets in the race-week session: half an average peak session (or of the
        biggest session so far without a peak), and no more than any session of the week
        before."""
        peak = [
            len(s.exercises) and sum(p.sets for p in s.exercises)
            for r in self.results
            if r.phase is Phase.peak
            for s in r.sessions
        ]
        sessions = [sum(p.sets for p in s.exercises) for r in self.results for s in r.sessions]
        if peak:
            cap = math.floor(sum(peak) / len(peak) * RACE_WEEK_SHARE)
        elif sessions:
            cap = math.floor(max(sessions) * RACE_WEEK_SHARE)
        else:
            return None
        last = next((r for r in reversed(self.results) if r.sessions), None)
        if last is not None:
            cap = min(cap, *(session_sets(s) for s in last.sessions))
        return cap

    def _light_sessions(
        self, drafts: list[Draft], days: list[tuple[int, date | None]], race_week_days: set[date]
    ) -> list[Draft]:
        """The race-week session trimmed to its cap: one set each and no accessories at most."""
        if not race_week_days:
            return drafts
        cap = self.light_cap()
        out: list[Draft] = []
        for draft, (_, day) in zip(drafts, days, strict=True):
            if day in race_week_days:
                draft = draft.copy()
                trim_session(draft, cap, self.ctx)
            out.append(draft)
        return out

    def _fewer_sessions(
        self, drafts: list[Draft], days: list[tuple[int, date | None]], stage: Stage, max_total: int
    ) -> tuple[list[Draft], list[tuple[int, date | None]]]:
        """Too little room even at one set each: fewer sessions (the rationale says so)."""
        drafts, days = list(drafts), list(days)
        while drafts and total_sets(drafts) > max_total:
            drafts.pop()
            days.pop()
        if drafts and not any(i.role is Role.abductors for i in drafts[0].items):
            drafts[0] = self.drafter.draft(
                stage, heavy=False, nordic=None, known=None, keep_abductor=True, floor_cap=1
            )
            # The others are the drafter's (`Drafter.week`), whose items are the context's:
            # settle copies, then give the drafts the copies' items, so that a later week
            # handed the same drafts sees them settled, as it always has.
            settled = [drafts[0], *(draft.copy() for draft in drafts[1:])]
            settle_week(
                settled, self.ctx, target=0, cap=self.high, max_total=max_total, explain=False
            )
            for draft, copy in zip(drafts[1:], settled[1:], strict=True):
                draft.items = copy.items
            if total_sets(drafts) > max_total:
                drafts, days = [], []
        return drafts, days

    # -- the week as the answer shows it ----------------------------------------------------

    def _record(
        self,
        index: int,
        phase: Phase,
        rir: int,
        days: list[tuple[int, date | None]],
        race_week_days: set[date],
        drafts: list[Draft],
    ) -> None:
        ctx = self.ctx
        total = total_sets(drafts)
        rep_step, load_rise, since = self._progression(index, phase, total)
        sessions: list[Session] = []
        for n, (draft, (day_number, day)) in enumerate(zip(drafts, days, strict=True)):
            session_day = WEEKDAYS[day_number]
            light = day in race_week_days
            final = self.final_from is not None and day is not None and day >= self.final_from
            label = "light race-week session" if light else f"{phase.value} session"
            dose = SessionDose(
                rir=ctx.dose.rir[1] + 1 if light else rir,
                phase=phase,
                in_taper_days=final,
                rep_step=rep_step,
                load_rise=load_rise,
            )
            sessions.append(
                render_session(
                    draft,
                    ctx,
                    dose,
                    title=f"Week {index + 1} · session {n + 1} ({session_day.value}): {label}",
                    day=day,
                    weekday=session_day,
                    cache=self.prescriptions,
                )
            )
            if not final and self.final_from is not None:  # no race: no final days to ask
                self.used_before_final.update(i.exercise.slug for i in draft.items)
        self._note_plyometrics(drafts)
        counts = major_counts(drafts)
        for draft in drafts:
            for item in draft.items:
                if item.role in MINOR_ROLES:
                    for m in item.exercise.primary_muscles:
                        counts[m] = counts.get(m, 0) + item.sets
        claims: list[str] = []
        if since is not None:
            work = self._work[index] = week_work(sessions)
            claims = progression_claims(
                self._week_work(since), work, since_week=since + 1, load_rise=load_rise
            )
        self.results.append(
            WeekResult(
                phase=phase,
                start=(
                    self.calendar.start + timedelta(days=7 * index) if self.calendar.start else None
                ),
                sessions=sessions,
                total=total,
                counts=counts,
                progression=claims,
            )
        )
        if phase in TRAINING_PHASES and drafts:
            self.last_regular_total = total

    def _week_work(self, index: int) -> WeekWork:
        """What week `index` holds, worked out once: a week is compared with the next too."""
        work = self._work.get(index)
        if work is None:
            work = self._work[index] = week_work(self.results[index].sessions)
        return work

    def _note_plyometrics(self, drafts: list[Draft]) -> None:
        """The ladder moves by what the week really holds (a week may repeat the last one)."""
        done = {i.exercise.slug for d in drafts for i in d.items if i.contacts}
        for step, exercise in enumerate(self.ctx.plyometrics):
            if exercise.slug in done:
                same = step == self.plyometric_step
                self.plyometric_step = step
                self.plyometric_weeks = self.plyometric_weeks + 1 if same else 1
                return

    def _progression(self, index: int, phase: Phase, total: int) -> tuple[int, bool, int | None]:
        """(rep step, whether load rises, the week compared with) for a base or build week.

        Inside a block the week adds sets when the volume rule allows, else the low end of the
        rep ranges rises a rep; after two such steps, or after a deload, the load rises by
        2–5 % and the reps start again from the bottom (double progression, NSCA)."""
        progress = self.progress
        if phase not in BLOCK_PHASES:
            return 0, False, None
        last = progress.last_regular
        progress.last_regular = index
        if last is None:
            progress.rep_step = 0
            return 0, False, None
        previous = self.results[last]
        if previous.phase is not phase:
            progress.rep_step = 0  # a new phase: new exercises, heavier reps
            return 0, False, last
        if last != index - 1:
            progress.rep_step = 0  # back from a deload: the same work, heavier
            return 0, True, last
        if total > previous.total:
            return progress.rep_step, False, last
        if progress.rep_step < MAX_REP_STEPS:
            progress.rep_step += 1
            return progress.rep_step, False, last
        progress.rep_step = 0
        return 0, True, last


def session_sets(session: Session) -> int:
    return sum(p.sets for p in session.exercises)


def plan_weeks(request: GenerationRequest, ctx: Context) -> PlannedWeeks:
    """Every week of the plan drafted: base, build, peak and taper to race day (or `weeks`)."""
    return PlanBuilder(request, ctx).plan()
