"""One hypothesis property per training rule (docs/training.md), over the whole input space."""

import math
from datetime import timedelta
from itertools import combinations, pairwise

from hypothesis import given

from app.catalog.models import Measure, Pattern
from app.enums import MAJOR_MUSCLES, Equipment, Focus, Muscle, Phase, Weekday
from app.planning.context import available_equipment, resolve_focus
from app.planning.rules import (
    BACKBONE,
    HOLDS_A_WEIGHT,
    LEVEL_WEEKLY_SETS,
    LOADS,
    NORDIC_STEPS,
    focus_dose,
)
from app.planning.schemas import GenerationRequest, Plan, Prescription, Session
from tests.planning.strategies import (
    BY_SLUG,
    plan_or_none,
    requests,
    routine_or_none,
    sessions_of,
)

WEEKDAYS = list(Weekday)


def generated(request: GenerationRequest) -> tuple[Plan | None, Session | None]:
    return plan_or_none(request), routine_or_none(request)


def all_sessions(plan: Plan | None, routine: Session | None) -> list[Session]:
    return (sessions_of(plan) if plan else []) + ([routine] if routine else [])


def major_sets(prescriptions: list[Prescription]) -> dict[Muscle, int]:
    counts = dict.fromkeys(MAJOR_MUSCLES, 0)
    for p in prescriptions:
        for m in p.primary_muscles:
            if m in counts:
                counts[m] += p.sets
    return counts


def week_prescriptions(sessions: list[Session]) -> list[Prescription]:
    return [p for s in sessions for p in s.exercises]


@given(requests())
def test_every_session_trains_each_major_group_and_one_leg(request: GenerationRequest) -> None:
    plan, routine = generated(request)
    for session in all_sessions(plan, routine):
        primaries = {m for p in session.exercises for m in p.primary_muscles}
        assert set(MAJOR_MUSCLES) <= primaries, session.title
        assert any(BY_SLUG[p.exercise].unilateral for p in session.exercises), session.title


@given(requests())
def test_every_week_has_hip_abductor_work(request: GenerationRequest) -> None:
    plan, routine = generated(request)
    for week in plan.weeks if plan else []:
        if week.sessions:
            assert any(
                Muscle.hip_abductors in p.primary_muscles for p in week_prescriptions(week.sessions)
            ), week.week
    if routine is not None:
        assert any(Muscle.hip_abductors in p.primary_muscles for p in routine.exercises)


@given(requests())
def test_posterior_share_is_50_to_70_percent_every_week(request: GenerationRequest) -> None:
    plan = plan_or_none(request)
    for week in plan.weeks if plan else []:
        if not week.sessions:
            continue
        counts = major_sets(week_prescriptions(week.sessions))
        share = (counts[Muscle.glutes] + counts[Muscle.hamstrings]) / sum(counts.values())
        assert 0.5 <= share <= 0.7, (
            request.model_dump_json(),
            week.week,
            [[(p.exercise, p.sets) for p in s.exercises] for s in week.sessions],
        )
        assert week.posterior_share == round(share, 3)


def can_add(p: Prescription, counts: dict[Muscle, int], high: int, most: int) -> bool:
    if p.exercise == "nordic-curl" or p.sets >= most:
        return False
    trial = dict(counts)
    for m in p.primary_muscles:
        if m in trial:
            trial[m] += 1
    share = (trial[Muscle.glutes] + trial[Muscle.hamstrings]) / sum(trial.values())
    return max(trial.values()) <= high and 0.5 <= share <= 0.7


@given(requests())
def test_weekly_sets_per_major_group_in_the_level_range(request: GenerationRequest) -> None:
    plan = plan_or_none(request)
    if plan is None:
        return
    low, high = LEVEL_WEEKLY_SETS[request.level]
    most = focus_dose(resolve_focus(request), request.level).sets[1]
    for week in plan.weeks:
        prescriptions = week_prescriptions(week.sessions)
        counts = major_sets(prescriptions)
        assert max(counts.values(), default=0) <= high, (week.week, counts)
        # The lower bound holds when the sessions allow it: a training week (not deload or
        # taper), nothing bent for time, and enough room at the focus table's most sets.
        if week.phase not in (Phase.base, Phase.build, Phase.peak):
            continue
        if any(s.notes and "minute" in " ".join(s.notes) for s in week.sessions):
            continue
        for muscle, count in counts.items():
            if count >= low:
                continue
            # Below the range only when no exercise could take one more set without breaking
            # the focus table's most sets, another group's cap or the posterior share.
            assert not any(
                can_add(p, counts, high, most) for p in prescriptions if muscle in p.primary_muscles
            ), (week.week, muscle, counts)


@given(requests())
def test_only_available_allowed_and_suitable_exercises(request: GenerationRequest) -> None:
    plan, routine = generated(request)
    available = available_equipment(request)
    assert Equipment.bodyweight in available
    for session in all_sessions(plan, routine):
        for p in session.exercises:
            exercise = BY_SLUG[p.exercise]
            assert set(exercise.equipment) <= available, p.exercise
            assert p.exercise not in request.exclude_exercises
            # No progression above the level is generated (stricter than the rule allows).
            assert exercise.level.rank <= request.level.rank, p.exercise
            assert p.primary_muscles == list(exercise.primary_muscles)


def unloaded(p: Prescription, available: frozenset[Equipment]) -> bool:
    """Bodyweight only, with no dumbbell or kettlebell the athlete could hold for it."""
    exercise = BY_SLUG[p.exercise]
    if LOADS & set(exercise.equipment):
        return False
    can_hold = (
        exercise.pattern in HOLDS_A_WEIGHT
        and {Equipment.dumbbell, Equipment.kettlebell} & available
    )
    return not can_hold


def tier(p: Prescription) -> int:
    """Session order by role: jumps, then Nordics and the backbone, assistance, accessories."""
    exercise = BY_SLUG[p.exercise]
    if exercise.pattern is Pattern.plyometric:
        return 0
    if exercise.pattern is Pattern.nordic or any(p.exercise in s for s in BACKBONE.values()):
        return 1
    if set(exercise.primary_muscles) & set(MAJOR_MUSCLES):
        return 2
    return 3


def check_doable(p: Prescription, available: frozenset[Equipment], focus: Focus) -> None:
    exercise = BY_SLUG[p.exercise]
    reps = (p.reps.min, p.reps.max)
    assert reps[0] <= reps[1], (p.exercise, reps)
    if exercise.measure is Measure.steps:
        assert reps == (10, 15)
    elif exercise.measure is Measure.seconds:
        assert reps[1] == 45
        assert reps[0] in (30, 35, 40)
    elif exercise.pattern is Pattern.nordic:
        assert any(reps == step.reps for step in NORDIC_STEPS)
    elif exercise.pattern is Pattern.plyometric:
        assert reps == ((6, 10) if focus is Focus.power else (10, 15))  # ground contacts
    elif unloaded(p, available) and focus is Focus.resilience:
        # Slow lowering makes bodyweight hard enough; two-legged work still takes 8+.
        assert exercise.unilateral or reps[0] >= 8, (p.exercise, reps)
    elif unloaded(p, available):
        # Bodyweight reps that can reach 2–4 in reserve: no "5–8 at RIR 2" squats.
        low = 6 if exercise.difficulty >= 3 else 10 if exercise.unilateral else 15
        assert reps[0] >= low, (p.exercise, reps)
        assert reps[1] >= (20 if low == 15 else low + 4), (p.exercise, reps)
    else:
        assert 3 <= reps[0] < reps[1] <= 20, (p.exercise, reps)


def check_rest(p: Prescription) -> None:
    """Rest by role (ACSM 2009): 2–3 min after heavy multi-joint sets, 1–2 min after
    assistance, 30–60 s after accessories, holds and endurance sets; Nordics ≥ 90 s."""
    exercise = BY_SLUG[p.exercise]
    if exercise.pattern in (Pattern.nordic, Pattern.plyometric):
        assert p.rest_s >= 90
    elif tier(p) == 3 or exercise.measure is not Measure.reps:
        assert p.rest_s <= 60
    elif tier(p) == 1 and p.reps.max <= 8:
        assert p.rest_s >= 120
    elif p.reps.min >= 12:
        assert p.rest_s <= 60  # endurance sets
    assert p.rest_s <= 180


@given(requests())
def test_sets_reps_rest_and_effort_follow_the_rules(request: GenerationRequest) -> None:
    plan, routine = generated(request)
    focus = resolve_focus(request)
    dose = focus_dose(focus, request.level)
    available = available_equipment(request)
    weeks = [(w.phase, s) for w in plan.weeks for s in w.sessions] if plan else []
    for phase, session in [*weeks, *([(Phase.base, routine)] if routine else [])]:
        light = phase in (Phase.deload, Phase.taper)
        tiers = [tier(p) for p in session.exercises]
        assert tiers == sorted(tiers), [p.exercise for p in session.exercises]
        for p in session.exercises:
            exercise = BY_SLUG[p.exercise]
            assert p.reps.unit is exercise.measure
            check_doable(p, available, focus)
            assert p.per_side == (exercise.unilateral or exercise.measure is Measure.steps)
            if (
                exercise.pattern in (Pattern.nordic, Pattern.plyometric)
                and focus is not Focus.power
            ):
                assert 1 <= p.sets <= 3
            else:
                assert 1 <= p.sets <= dose.sets[1]
            # Never to failure; more in reserve on deloads and in race week, never less.
            assert p.effort.rir >= max(1, dose.rir[0])
            assert p.effort.rir <= dose.rir[1] + (1 if light else 0)
            assert p.effort.rpe == 10 - p.effort.rir
            if p.superset is not None and p.rest_s == 0:
                continue  # straight on to the partner: the rest comes after it
            assert p.rest_s >= 30
            if not session.notes:
                check_rest(p)
        if "lateral-band-walk" in [p.exercise for p in session.exercises]:
            walk = next(p for p in session.exercises if p.exercise == "lateral-band-walk")
            assert walk.reps.unit is Measure.steps


def estimate_seconds(session: Session) -> int:
    total = session.warmup_minutes * 60
    items = session.exercises
    i = 0
    while i < len(items):
        p = items[i]
        if p.superset and i + 1 < len(items) and items[i + 1].superset == p.superset:
            q = items[i + 1]
            total += p.sets * p.work_s + q.sets * q.work_s + max(p.sets, q.sets) * q.rest_s
            i += 2
        else:
            total += p.sets * (p.work_s + p.rest_s)
            i += 1
    return total


@given(requests())
def test_estimated_minutes_fit_the_session(request: GenerationRequest) -> None:
    plan, routine = generated(request)
    for session in all_sessions(plan, routine):
        assert session.estimated_minutes <= request.session_minutes, request.model_dump_json()
        assert session.estimated_minutes == math.ceil(estimate_seconds(session) / 60)
        assert 3 <= session.warmup_minutes <= 5
        if session.warmup_minutes < 5 or any(p.superset for p in session.exercises):
            assert session.notes  # the bend is explained


def best_hard_day_hits(request: GenerationRequest) -> int:
    banned: set[int] = set()
    if request.long_run_day is not None:
        i = WEEKDAYS.index(request.long_run_day)
        banned = {i, (i - 1) % 7}
    hard = {WEEKDAYS.index(d) for d in request.hard_run_days}
    after = None if request.long_run_day is None else (WEEKDAYS.index(request.long_run_day) + 1) % 7
    # "Prefer hard days" gives way first: to keeping the day after the long run free.
    best = (1, 0)
    for combo in combinations([d for d in range(7) if d not in banned], request.sessions_per_week):
        if all((b - a) % 7 not in (1, 6) for a, b in combinations(combo, 2)):
            best = min(best, (int(after in combo), -len(hard & set(combo))))
    return -best[1]


@given(requests())
def test_schedule_respects_the_running_week(request: GenerationRequest) -> None:
    plan = plan_or_none(request)
    if plan is None:
        return
    sessions = sessions_of(plan)
    assert all(s.weekday is not None for s in sessions)
    days = {WEEKDAYS.index(s.weekday) for s in sessions if s.weekday}
    if request.long_run_day is not None:
        i = WEEKDAYS.index(request.long_run_day)
        assert not days & {i, (i - 1) % 7}
    # No consecutive days, Sunday → Monday included: one weekly pattern, no neighbours in it.
    assert all((b - a) % 7 not in (1, 6) for a, b in combinations(sorted(days), 2)), days
    if request.start_date is not None:
        dates = [s.date for s in sessions]
        assert all(d is not None for d in dates)
        assert dates == sorted(dates)  # type: ignore[type-var]
        for a, b in pairwise(dates):
            assert a is not None
            assert b is not None
            assert (b - a).days >= 2
            assert a.weekday() == WEEKDAYS.index(sessions[dates.index(a)].weekday)  # type: ignore[arg-type]
    # Hard-run days preferred: the weekly pattern uses as many as any legal pattern could.
    full = [w for w in plan.weeks if w.phase in (Phase.base, Phase.build, Phase.deload)]
    if full and request.hard_run_days:
        pattern = {WEEKDAYS.index(s.weekday) for s in full[0].sessions if s.weekday}
        if len(pattern) == request.sessions_per_week:
            hard = {WEEKDAYS.index(d) for d in request.hard_run_days}
            assert len(hard & pattern) == best_hard_day_hits(request)


@given(requests())
def test_periodisation_deloads_and_progressive_overload(request: GenerationRequest) -> None:
    plan = plan_or_none(request)
    if plan is None:
        return
    phases = [w.phase for w in plan.weeks]
    order = {Phase.base: 0, Phase.build: 1, Phase.peak: 2, Phase.taper: 3}
    ranks = [order[p] for p in phases if p is not Phase.deload]
    assert ranks == sorted(ranks), phases
    if request.race_date is None:
        assert Phase.taper not in phases
        assert Phase.peak not in phases
    else:
        assert phases[-1] is Phase.taper
    regular = [i for i, p in enumerate(phases) if p in (Phase.base, Phase.build, Phase.deload)]
    for i in regular:
        assert (phases[i] is Phase.deload) == ((i + 1) % 4 == 0), phases
    for prev, week in zip(plan.weeks, plan.weeks[1:], strict=False):
        if week.phase is Phase.deload:
            assert week.total_sets <= 0.6 * prev.total_sets, (week.week, prev.total_sets)
            # Same frequency, unless even one set per exercise would break the 60% (then rest).
            assert len(week.sessions) <= len(prev.sessions)
        if week.phase is prev.phase and week.phase in (Phase.base, Phase.build, Phase.peak):
            assert prev.total_sets <= week.total_sets <= 1.2 * prev.total_sets, (
                week.week,
                prev.total_sets,
                week.total_sets,
            )
        assert week.total_sets == sum(p.sets for s in week.sessions for p in s.exercises)


def session_sets(session: Session) -> int:
    return sum(p.sets for p in session.exercises)


@given(requests())
def test_taper_into_race_day(request: GenerationRequest) -> None:
    plan = plan_or_none(request)
    if plan is None or request.race_date is None or request.start_date is None:
        return
    race, start = request.race_date, request.start_date
    sessions = sessions_of(plan)
    assert all(s.date is not None and s.date <= race - timedelta(days=4) for s in sessions)
    final = [s for s in sessions if s.date and s.date >= race - timedelta(days=10)]
    before = {p.exercise for s in sessions if s not in final for p in s.exercises}
    for session in final:
        for p in session.exercises:
            assert not BY_SLUG[p.exercise].heavy_eccentric, p.exercise
            if resolve_focus(request) is not Focus.power and before:
                assert BY_SLUG[p.exercise].pattern is not Pattern.plyometric, p.exercise
            if before:
                assert p.exercise in before, (p.exercise, session.date)
    race_week = [s for s in sessions if s.date and s.date >= race - timedelta(days=6)]
    assert len(race_week) <= 1
    days_out = (race - start).days
    if days_out <= 10:
        # Too late to build: the plan is one light session of one set each.
        assert len(sessions) <= 1
        assert all(p.sets == 1 for s in sessions for p in s.exercises)
        return
    if days_out <= 21:
        assert {w.phase for w in plan.weeks} <= {Phase.peak, Phase.taper}
    for light in race_week:
        assert light.date is not None
        sets = session_sets(light)
        # At most half an average peak session, and no more than any session of the week before.
        peak = [session_sets(s) for w in plan.weeks if w.phase is Phase.peak for s in w.sessions]
        earlier = [session_sets(s) for s in sessions if s is not light]
        reference = sum(peak) / len(peak) if peak else max(earlier, default=0)
        week_before = [
            session_sets(s)
            for s in sessions
            if s.date and light.date - timedelta(days=7) <= s.date < light.date
        ]
        floor = len(light.exercises)  # one set of each is the least a session can be
        if reference:
            assert sets <= max(floor, 0.5 * reference), (sets, reference)
        assert all(sets <= max(floor, other) for other in week_before), (sets, week_before)
        assert not any(p.exercise in ("nordic-curl",) for p in light.exercises)
    if request.sessions_per_week == 1 and request.long_run_day is None and days_out >= 14:
        # A one-session week still gets its light race-week session: a day 4–6 days out is free.
        assert race_week, (request.model_dump_json(), [s.date for s in sessions])


STEP_OF = {(s.sets, s.reps): s.step for s in NORDIC_STEPS}


@given(requests())
def test_nordic_curls_follow_the_mjolsnes_progression(request: GenerationRequest) -> None:
    plan = plan_or_none(request)
    if plan is None:
        return
    highest = 0
    for week in plan.weeks:
        nordics = [p for s in week.sessions for p in s.exercises if p.exercise == "nordic-curl"]
        if not nordics:
            continue
        dose = nordics[0]
        assert all(p.sets == dose.sets and p.reps == dose.reps for p in nordics)
        reps = (dose.reps.min, dose.reps.max)
        assert week.phase is not Phase.deload  # the progression pauses in deloads
        step = STEP_OF[(dose.sets, reps)]
        assert step <= highest + 1, "a Nordic step was skipped"
        highest = max(highest, step)
        per_week = NORDIC_STEPS[step - 1].per_week
        if week.phase in (Phase.peak, Phase.taper):
            per_week = 1  # at most once a week in season and taper
        assert len(nordics) <= per_week


@given(requests())
def test_same_request_same_answer(request: GenerationRequest) -> None:
    first, second = plan_or_none(request), plan_or_none(request)
    assert (first is None) == (second is None)
    if first is not None and second is not None:
        assert first.model_dump_json() == second.model_dump_json()
