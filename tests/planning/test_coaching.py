"""What a strength coach checks in a plan (docs/training.md "Choosing the exercises", "The week
around running", "Periodisation to race day"): one property per rule, plus a sweep."""

import json
import random
import re
from datetime import timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from app.catalog.models import Pattern
from app.enums import Event, Focus, Level, Muscle, Phase, Weekday
from app.planning.context import available_equipment, resolve_focus
from app.planning.rules import BACKBONE, LEVEL_WEEKLY_SETS, Role
from app.planning.schemas import GenerationRequest, Plan, Session
from app.responses import json_bytes
from tests.planning.strategies import (
    BY_SLUG,
    EXERCISES,
    plan_or_none,
    requests,
    routine_or_none,
    sessions_of,
)
from tests.planning.sweep import allowed_somewhere, backbone_counts

WEEKDAYS = list(Weekday)
HINGES = BACKBONE[Role.hamstrings]
KNEES = BACKBONE[Role.quads]
PLYOMETRIC_EVENTS = {Event.five_k, Event.ten_k, Event.half_marathon, Event.marathon}


def fits(slug: str, request: GenerationRequest) -> bool:
    exercise = BY_SLUG[slug]
    return (
        available_equipment(request).issuperset(exercise.equipment)
        and exercise.level.rank <= request.level.rank
        and slug not in request.exclude_exercises
    )


def all_sessions(plan: Plan | None, routine: Session | None) -> list[Session]:
    return (sessions_of(plan) if plan else []) + ([routine] if routine else [])


def test_sweep_every_backbone_lift_the_equipment_allows_is_chosen() -> None:
    counts, plans = backbone_counts()
    never = sorted(slug for slug in allowed_somewhere() if counts[slug] == 0)
    assert not never, f"never chosen in {plans} plans: {never}"


@given(requests())
def test_every_session_has_a_hinge_and_a_knee_lift_where_equipment_allows(
    request: GenerationRequest,
) -> None:
    plan, routine = plan_or_none(request), routine_or_none(request)
    hinge_possible = any(fits(s, request) for s in HINGES)
    knee_possible = any(fits(s, request) for s in KNEES)
    for session in all_sessions(plan, routine):
        slugs = {p.exercise for p in session.exercises}
        if hinge_possible:
            assert slugs & HINGES, (session.title, slugs)
        if knee_possible:
            assert slugs & KNEES, (session.title, slugs)


@given(requests())
def test_each_base_and_build_week_says_what_rose_and_it_did(request: GenerationRequest) -> None:
    plan = plan_or_none(request)
    if plan is None:
        return
    previous = None
    for week in plan.weeks:
        if week.phase not in (Phase.base, Phase.build) or not week.sessions:
            if week.phase is not Phase.deload:
                previous = None if week.phase in (Phase.peak, Phase.taper) else previous
            continue
        if previous is None:
            previous = week
            continue
        assert week.progression, (week.week, week.phase)
        before = {p.exercise: p for s in previous.sessions for p in s.exercises}
        most: dict[str, int] = {}
        for s in previous.sessions:
            for p in s.exercises:
                most[p.exercise] = max(most.get(p.exercise, 0), p.sets)
        for claim in week.progression:
            sets = re.fullmatch(r"(.+): (\d+) → (\d+) sets\.", claim)
            if sets:
                name, old, new = sets.group(1), int(sets.group(2)), int(sets.group(3))
                slug = next(
                    p.exercise for s in week.sessions for p in s.exercises if p.name == name
                )
                assert most[slug] == old
                assert (
                    max(p.sets for s in week.sessions for p in s.exercises if p.exercise == slug)
                    == new
                )
                assert new > old
            total = re.fullmatch(r"Working sets: (\d+) → (\d+) in the week\.", claim)
            if total:
                assert int(total.group(1)) == previous.total_sets
                assert int(total.group(2)) == week.total_sets > previous.total_sets
            if claim.startswith("Load:"):
                assert any(
                    "than last week" in p.load_guidance
                    for s in week.sessions
                    for p in s.exercises
                    if p.exercise in before
                ), claim
        previous = week


@given(requests())
def test_no_nordics_or_jumps_the_day_after_the_long_run(request: GenerationRequest) -> None:
    plan = plan_or_none(request)
    if plan is None or request.long_run_day is None:
        return
    after = WEEKDAYS[(WEEKDAYS.index(request.long_run_day) + 1) % 7]
    for week in plan.weeks:
        if len(week.sessions) < 2:
            continue
        for session in week.sessions:
            if session.weekday is after:
                for p in session.exercises:
                    assert BY_SLUG[p.exercise].pattern is not Pattern.nordic, session.title
                    if resolve_focus(request) is not Focus.power:
                        assert BY_SLUG[p.exercise].pattern is not Pattern.plyometric, session.title


@given(requests())
def test_plyometrics_for_distance_runners_one_step_at_a_time(request: GenerationRequest) -> None:
    plan = plan_or_none(request)
    if plan is None or resolve_focus(request) is Focus.power:
        return
    ladder = [
        s
        for s in ("pogo-hops", "skipping", "bounding", "single-leg-hops", "drop-jumps")
        if fits(s, request)
    ]
    steps: list[int] = []
    for week in plan.weeks:
        jumps = {
            p.exercise
            for s in week.sessions
            for p in s.exercises
            if BY_SLUG[p.exercise].pattern is Pattern.plyometric
        }
        if week.phase is not Phase.build:
            assert not jumps, (week.week, week.phase, jumps)
            continue
        assert len(jumps) <= 1  # never two steps in a week
        steps.extend(ladder.index(j) for j in jumps)
        for s in week.sessions:
            contacts = [p for p in s.exercises if BY_SLUG[p.exercise].pattern is Pattern.plyometric]
            for p in contacts:
                per_session = p.sets * p.reps.max
                assert p.sets * p.reps.min >= 30
                assert per_session <= 80 * (1 + p.per_side)
                assert s.exercises[0] is p  # first, after the warm-up
    assert all(b - a in (0, 1) for a, b in pairwise(steps)), (steps, request.model_dump_json())
    gets_them = (
        request.event in PLYOMETRIC_EVENTS
        and request.level is not Level.beginner
        and any(fits(s, request) for s in ladder)
    )
    if not gets_them:
        assert not steps


@given(requests(), st.randoms(use_true_random=False))
def test_list_fields_in_any_order_give_the_same_bytes(
    request: GenerationRequest, rnd: random.Random
) -> None:
    body = request.model_dump(mode="json")
    for key in ("hard_run_days", "equipment", "exclude_exercises"):
        rnd.shuffle(body[key])
    shuffled = GenerationRequest.model_validate(body)
    a, b = plan_or_none(request), plan_or_none(shuffled)
    if a is not None and b is not None:
        assert json_bytes(a) == json_bytes(b)
    r, s = routine_or_none(request), routine_or_none(shuffled)
    if r is not None and s is not None:
        assert json_bytes(r) == json_bytes(s)


@given(requests())
def test_swaps_and_warmups_fit_the_athlete(request: GenerationRequest) -> None:
    plan, routine = plan_or_none(request), routine_or_none(request)
    available = available_equipment(request)
    for session in all_sessions(plan, routine):
        seconds = sum(d.seconds or 40 for d in session.warmup)
        assert session.warmup, session.title
        assert seconds <= session.warmup_minutes * 60 + 60
        for p in session.exercises:
            assert p.load_kg is None
            assert len(p.alternatives) <= 3
            assert p.exercise not in p.alternatives
            for slug in p.alternatives:
                assert fits(slug, request), slug
            if p.regression is not None:
                assert fits(p.regression, request)
                assert BY_SLUG[p.exercise].regression == p.regression
            if p.progression is not None:
                assert available.issuperset(BY_SLUG[p.progression].equipment)
                assert BY_SLUG[p.exercise].progression == p.progression


JARGON = ("focus table", "domain", "bend", "a advanced", "a intermediate", "docs/", ".md")


@given(requests())
def test_the_words_are_for_a_runner_and_true_of_the_plan(request: GenerationRequest) -> None:
    plan = plan_or_none(request)
    if plan is None:
        return
    text = json.dumps(plan.rationale).lower() + " ".join(
        p.why.lower() for s in sessions_of(plan) for p in s.exercises
    )
    for word in JARGON:  # whole words: "knee benders" is plain English, "bend" is ours
        assert not re.search(rf"\b{re.escape(word)}\b", text), word
    for session in sessions_of(plan):
        whys = [p.why for p in session.exercises]
        assert len(set(whys)) == len(whys), whys  # specific to each exercise
    said = " ".join(plan.rationale)
    race = request.race_date
    light = [s for s in sessions_of(plan) if race and s.date and s.date >= race - timedelta(days=6)]
    if light:
        assert f"one light session on {light[0].date}" in said
    if request.long_run_day is not None:
        after = WEEKDAYS[(WEEKDAYS.index(request.long_run_day) + 1) % 7]
        on_after = any(s.weekday is after for s in sessions_of(plan))
        assert ("the day after the long run: it has" in said) == on_after
    build = [w for w in plan.weeks if w.phase is Phase.build and w.sessions]
    base = [w for w in plan.weeks if w.phase is Phase.base and w.sessions]
    match = re.search(r"Build brings ([^.]*?)(?: and takes| and adds|\.)", said)
    if match and build and base:
        names_in_build = {p.name for s in build[0].sessions for p in s.exercises}
        names_in_base = {p.name for s in base[-1].sessions for p in s.exercises}
        for name in match.group(1).split(", "):
            assert name in names_in_build
            assert name not in names_in_base


def test_exercise_catalog_still_covers_the_backbone() -> None:
    slugs = {e.slug for e in EXERCISES}
    assert slugs >= HINGES
    assert slugs >= KNEES


def test_an_item_copy_is_equal_field_for_field_and_independent() -> None:
    from dataclasses import fields

    from app.planning.context import build_context
    from app.planning.dosing import make_item

    ctx = build_context(GenerationRequest.model_validate({"event": "10k"}), EXERCISES)
    item = make_item(ctx.pools[Role.quads][0], Role.quads, ctx, heavy=True)
    item.sets, item.rest_s, item.superset, item.contacts = 3, 45, "A", True
    copy = item.copy()
    assert copy is not item
    assert all(getattr(copy, f.name) == getattr(item, f.name) for f in fields(item))
    copy.sets = 1
    assert item.sets == 3


@given(requests())
def test_marathon_and_ultra_plans_load_the_soleus(request: GenerationRequest) -> None:
    plan = plan_or_none(request)
    if plan is None or request.event not in (Event.marathon, Event.ultra):
        return
    if resolve_focus(request) is Focus.power:
        return  # power focus asked for: the calf slot is jumps
    soleus = {"bent-knee-calf-raise", "seated-calf-raise"}
    if not any(fits(s, request) for s in soleus):
        return
    chosen = {p.exercise for s in sessions_of(plan) for p in s.exercises}
    if not chosen:
        return  # no session at all (the race is days away)
    assert chosen & soleus, (sorted(chosen), request.model_dump_json())


@given(requests())
def test_the_volume_sentence_is_true(request: GenerationRequest) -> None:
    plan = plan_or_none(request)
    if plan is None:
        return
    said = next((r for r in plan.rationale if r.startswith("Volume: ")), None)
    main = [w for w in plan.weeks if w.phase in (Phase.base, Phase.build) and w.sessions]
    if not main:
        assert said is None
        return
    assert said is not None
    match = re.match(
        r"Volume: (\d+)(?:–(\d+))? working sets .*?, (inside|partly below|below) ", said
    )
    assert match, said
    fewest, most = int(match.group(1)), int(match.group(2) or match.group(1))
    counts = [
        w.sets_by_muscle.get(m, 0)
        for w in main
        for m in (Muscle.glutes, Muscle.hamstrings, Muscle.quads, Muscle.calves)
    ]
    assert (min(counts), max(counts)) == (fewest, most)
    low, high = LEVEL_WEEKLY_SETS[request.level]
    where = (
        "inside" if low <= fewest and most <= high else "partly below" if most >= low else "below"
    )
    assert match.group(3) == where
