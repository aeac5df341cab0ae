"""Choosing the exercises of a session template, role by role."""

import random
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from app.catalog.models import Exercise, Measure, Pattern
from app.enums import (
    Equipment,
    Focus,
    Level,
)
from app.planning.context import Context
from app.planning.rules import (
    BACKBONE,
    FIRST_CHOICES,
    HOLDS_A_WEIGHT,
    LOADS,
    MAJOR_ROLES,
    SOLEUS_EVENTS,
    SOLEUS_RAISES,
    Role,
)

# ---------------------------------------------------------------------------------------------
# Choosing exercises


class Stage(StrEnum):
    """Which exercise template: base is technique first, build is heavier."""

    base = "base"
    build = "build"


TARGET_DIFFICULTY = {Level.beginner: 1.0, Level.intermediate: 2.0, Level.advanced: 3.0}


def can_hold_weight(exercise: Exercise, ctx: Context) -> bool:
    """A bodyweight exercise the athlete can load with a held dumbbell or kettlebell."""
    return (
        exercise.pattern in HOLDS_A_WEIGHT
        and exercise.measure is Measure.reps
        and LOADS.isdisjoint(exercise.equipment)
        and not {Equipment.dumbbell, Equipment.kettlebell}.isdisjoint(ctx.available)
    )


def too_easy(exercise: Exercise, ctx: Context) -> bool:
    """A bilateral bodyweight exercise of difficulty 1 with no load to add: most runners would
    need 25+ reps to get near the target effort, so it is not a working set."""
    return (
        exercise.difficulty <= 1
        and not exercise.unilateral
        and exercise.measure is Measure.reps
        and LOADS.isdisjoint(exercise.equipment)
        and not can_hold_weight(exercise, ctx)
    )


def score(
    exercise: Exercise, role: Role, ctx: Context, stage: Stage, base: Exercise | None = None
) -> float:
    """Lower is better: near the level's difficulty (a step harder in build), the seed's own
    lifts first, something new in build, no too-easy or isometric work as a main lift."""
    target = TARGET_DIFFICULTY[ctx.level] + (1.0 if stage is Stage.build else 0.0)
    if ctx.focus in (Focus.strength, Focus.power) and ctx.level is not Level.beginner:
        target += 0.5
    value = abs(exercise.difficulty - target)
    if exercise.slug in FIRST_CHOICES.get(role, ()):
        # The seed's lifts; the glute bridge is first for beginners, one option among others later.
        value -= 1.0 if role is Role.hamstrings else 2.0 if ctx.level is Level.beginner else 0.5
    if role is Role.calves:
        if ctx.event in SOLEUS_EVENTS and exercise.slug in SOLEUS_RAISES:
            value -= 1.5  # the soleus carries most of the load in distance running (Dorn 2012)
        if exercise.pattern is Pattern.plyometric:
            # Power: plyometric contacts for the calves (Spurrs 2003); others get theirs apart.
            value += -2.0 if ctx.focus is Focus.power else 3.0
    if role in MAJOR_ROLES:
        if exercise.measure is Measure.seconds and ctx.focus is not Focus.resilience:
            value += 1.5  # a hold is not a main lift outside resilience work
        if too_easy(exercise, ctx):
            value += 1.0
    if base is not None and exercise.slug == base.slug:
        value += 1.5  # build brings a new, heavier variation where one is as suitable
    return value


def pick(
    candidates: Iterable[Exercise],
    role: Role,
    ctx: Context,
    stage: Stage,
    rng: random.Random,
    base: Exercise | None = None,
) -> Exercise:
    options = list(candidates)
    backbone = BACKBONE.get(role)
    if backbone is not None:
        # The multi-joint backbone wherever the equipment allows one.
        options = [e for e in options if e.slug in backbone] or options
    if role is Role.calves and ctx.event in SOLEUS_EVENTS and ctx.focus is not Focus.power:
        # Marathon and ultra load the soleus (Dorn 2012) wherever a bent-knee raise fits.
        options = [e for e in options if e.slug in SOLEUS_RAISES] or options
    scored = sorted((round(score(e, role, ctx, stage, base), 3), e.slug, e) for e in options)
    best = scored[0][0]
    # Equally suitable: within one difficulty step of the best; the seed picks among them.
    equal = [e for s, _, e in scored if s <= best + 1.0]
    return equal[rng.randrange(len(equal))] if ctx.seed else equal[0]


@dataclass(frozen=True, slots=True)
class Template:
    """The exercises of a session, by role."""

    stage: Stage
    majors: tuple[tuple[Role, Exercise], ...]
    abductor: Exercise
    accessory: Exercise | None


def choose_template(ctx: Context, stage: Stage, base: Template | None = None) -> Template:
    """One exercise per major group, a hip-abductor and an accessory; ≥ 1 single-leg lift.
    With `base` (the build template), each role prefers a new variation to base's."""
    return ctx.remember(("template", stage, base), lambda: _choose_template(ctx, stage, base))


def _choose_template(ctx: Context, stage: Stage, base: Template | None) -> Template:
    rng = random.Random(f"legwork:{ctx.seed}:{ctx.event.value}:{ctx.level.value}:{stage.value}")
    before = dict(base.majors) if base is not None else {}
    majors: list[tuple[Role, Exercise]] = []
    for role in MAJOR_ROLES:
        taken = {e.slug for _, e in majors}
        options = [e for e in ctx.pools[role] if e.slug not in taken] or list(ctx.pools[role])
        majors.append((role, pick(options, role, ctx, stage, rng, before.get(role))))
    if not any(e.unilateral for _, e in majors):
        # A single-leg lift in the first role that has one: quads, then hamstrings, glutes, calves.
        for role in (Role.quads, Role.hamstrings, Role.glutes, Role.calves):
            taken = {e.slug for r, e in majors if r is not role}
            options = [e for e in ctx.pools[role] if e.unilateral and e.slug not in taken]
            if options:
                chosen = pick(options, role, ctx, stage, rng, before.get(role))
                majors = [(r, chosen if r is role else e) for r, e in majors]
                break
    abductor = pick(ctx.pools[Role.abductors], Role.abductors, ctx, stage, rng)
    accessories = ctx.pools[Role.accessory]
    accessory = pick(accessories, Role.accessory, ctx, stage, rng) if accessories else None
    return Template(stage=stage, majors=tuple(majors), abductor=abductor, accessory=accessory)


def ladder(exercise: Exercise, ctx: Context) -> tuple[str | None, str | None]:
    """The catalog's easier and harder neighbours that the athlete's equipment allows (the
    easier one also at their level)."""
    by_slug = ctx.index.by_slug
    easier = by_slug.get(exercise.regression) if exercise.regression else None
    harder = by_slug.get(exercise.progression) if exercise.progression else None
    return (
        easier.slug if easier is not None and ctx.fits(easier) else None,
        harder.slug if harder is not None and ctx.fits(harder, any_level=True) else None,
    )


def alternatives(exercise: Exercise, role: Role, ctx: Context) -> list[str]:
    """Up to 3 other exercises for the same role with this athlete's equipment and level: the
    backbone's own kind for a backbone lift, the nearest in difficulty first."""
    key = ("alternatives", exercise.slug, role)
    return list(ctx.remember(key, lambda: _alternatives(exercise, role, ctx)))


def _alternatives(exercise: Exercise, role: Role, ctx: Context) -> tuple[str, ...]:
    pool = ctx.pools.get(role, ())
    if exercise.pattern is Pattern.nordic or exercise.pattern is Pattern.plyometric:
        return ()
    backbone = BACKBONE.get(role)
    same_kind = [
        e
        for e in pool
        if e.slug != exercise.slug
        and (backbone is None or (e.slug in backbone) == (exercise.slug in backbone))
        and (e.measure is Measure.seconds) == (exercise.measure is Measure.seconds)
    ]
    same_kind.sort(key=lambda e: (abs(e.difficulty - exercise.difficulty), e.slug))
    return tuple(e.slug for e in same_kind[:3])
