"""Choosing the exercises of a session template, role by role."""

import random
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from app.catalog.models import Exercise, Measure, Pattern
from app.enums import (
    Focus,
    Level,
)
from app.planning.context import Context
from app.planning.rules import ANCHORS, MAJOR_ROLES, ROLE_PREFERRED, Role

# ---------------------------------------------------------------------------------------------
# Choosing exercises


class Stage(StrEnum):
    """Which exercise template: base is technique first, build is heavier."""

    base = "base"
    build = "build"


TARGET_DIFFICULTY = {Level.beginner: 1.0, Level.intermediate: 2.0, Level.advanced: 3.0}


def score(exercise: Exercise, role: Role, ctx: Context, stage: Stage) -> float:
    target = TARGET_DIFFICULTY[ctx.level] + (1.0 if stage is Stage.build else 0.0)
    if ctx.focus in (Focus.strength, Focus.power) and ctx.level is not Level.beginner:
        target += 0.5
    score = abs(exercise.difficulty - target)
    if role in ROLE_PREFERRED and exercise.pattern not in ROLE_PREFERRED[role]:
        score += 1.5
    if role is Role.calves and ctx.focus is Focus.power and exercise.pattern is Pattern.plyometric:
        score -= 2.0  # power: plyometric contacts for the calves (Spurrs 2003)
    if role in MAJOR_ROLES:
        # Each extra major primary muscle makes weekly volumes harder to balance.
        score += 1.25 * (len(ctx.index.majors[exercise.slug]) - 1)
        if exercise.measure is Measure.seconds and ctx.focus is not Focus.resilience:
            score += 1.0
    anchor = ANCHORS.get(role)
    if exercise.slug == anchor and (role is Role.abductors or ctx.level is Level.beginner):
        score -= 2.0
    return score


def pick(
    candidates: Iterable[Exercise], role: Role, ctx: Context, stage: Stage, rng: random.Random
) -> Exercise:
    scored = sorted((round(score(e, role, ctx, stage), 3), e.slug, e) for e in candidates)
    best = scored[0][0]
    # Equally suitable: within half a difficulty step of the best; the seed picks among them.
    equal = [e for s, _, e in scored if s <= best + 0.5]
    return equal[rng.randrange(len(equal))] if ctx.seed else equal[0]


@dataclass(frozen=True, slots=True)
class Template:
    """The exercises of a session, by role."""

    stage: Stage
    majors: tuple[tuple[Role, Exercise], ...]
    abductor: Exercise
    accessory: Exercise | None


def choose_template(ctx: Context, stage: Stage) -> Template:
    """One exercise per major group, a hip-abductor and an accessory; ≥ 1 single-leg lift."""
    rng = random.Random(f"legwork:{ctx.seed}:{stage.value}")
    majors: list[tuple[Role, Exercise]] = []
    for role in MAJOR_ROLES:
        taken = {e.slug for _, e in majors}
        options = [e for e in ctx.pools[role] if e.slug not in taken] or list(ctx.pools[role])
        majors.append((role, pick(options, role, ctx, stage, rng)))
    if not any(e.unilateral for _, e in majors):
        # A single-leg lift in the first role that has one: quads, then hamstrings, glutes, calves.
        for role in (Role.quads, Role.hamstrings, Role.glutes, Role.calves):
            taken = {e.slug for r, e in majors if r is not role}
            options = [e for e in ctx.pools[role] if e.unilateral and e.slug not in taken]
            if options:
                chosen = pick(options, role, ctx, stage, rng)
                majors = [(r, chosen if r is role else e) for r, e in majors]
                break
    abductor = pick(ctx.pools[Role.abductors], Role.abductors, ctx, stage, rng)
    accessories = ctx.pools[Role.accessory]
    accessory = pick(accessories, Role.accessory, ctx, stage, rng) if accessories else None
    return Template(stage=stage, majors=tuple(majors), abductor=abductor, accessory=accessory)
