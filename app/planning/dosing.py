"""Dosing one exercise: reps, work time, rest and its place in the session."""

from dataclasses import dataclass
from enum import IntEnum

from app.catalog.models import Exercise, Measure, Pattern
from app.enums import (
    Focus,
    Level,
    Muscle,
)
from app.planning.context import Context
from app.planning.rules import (
    BACKBONE,
    LOADS,
    MAJOR_ROLES,
    NORDIC_STEPS,
    PLYOMETRIC_SETS,
    NordicStep,
    Role,
)
from app.planning.selection import Template, can_hold_weight

# ---------------------------------------------------------------------------------------------
# Dosing one exercise


@dataclass(slots=True)
class Item:
    """An exercise in a session draft; `sets` is what the allocation settles on."""

    exercise: Exercise
    role: Role
    majors: tuple[Muscle, ...]
    max_sets: int
    reps: tuple[int, int]
    default_rest_s: int
    work_s: int
    tier: "Tier"
    nordic: NordicStep | None = None
    contacts: bool = False  # a distance runner's plyometric block: fixed sets of contacts
    sets: int = 0
    rest_s: int = 0
    superset: str | None = None

    @property
    def fixed(self) -> bool:
        return self.nordic is not None or self.contacts

    def copy(self) -> "Item":
        """The same dose as a new item: drafts never share items. Every field by keyword
        (`dataclasses.replace` costs 2.5× as much, and a plan makes ~500 copies); a test checks
        that a copy equals its original field for field."""
        return Item(
            exercise=self.exercise,
            role=self.role,
            majors=self.majors,
            max_sets=self.max_sets,
            reps=self.reps,
            default_rest_s=self.default_rest_s,
            work_s=self.work_s,
            tier=self.tier,
            nordic=self.nordic,
            contacts=self.contacts,
            sets=self.sets,
            rest_s=self.rest_s,
            superset=self.superset,
        )


class Tier(IntEnum):
    """Where an exercise sits in the session and how long its rest is (ACSM 2009)."""

    plyometric = 0  # after the warm-up, fresh
    main = 1  # Nordics and the multi-joint backbone
    assistance = 2  # other work for a major group
    accessory = 3  # single-joint small muscles and the trunk


def tier_of(exercise: Exercise, role: Role) -> Tier:
    if exercise.pattern is Pattern.plyometric:
        return Tier.plyometric
    if exercise.pattern is Pattern.nordic or exercise.slug in BACKBONE.get(role, ()):
        return Tier.main
    if role in MAJOR_ROLES:
        return Tier.assistance
    return Tier.accessory


def focus_reps(exercise: Exercise, role: Role, ctx: Context, heavy: bool) -> tuple[int, int]:
    """Reps (or steps, or seconds) per set from the focus table; `heavy` is the build phase of
    an intermediate or advanced athlete, whose backbone lifts go a step heavier."""
    if exercise.measure is Measure.steps:
        return (10, 15)  # band walks: 10–15 steps each way (the seed prescription)
    if exercise.measure is Measure.seconds:
        return (30, 45)  # isometric holds 30–45 s
    if exercise.pattern is Pattern.plyometric:
        return (6, 10) if ctx.focus is Focus.power else (10, 15)  # ground contacts
    focus = ctx.focus
    backbone = exercise.slug in BACKBONE.get(role, ())
    if role in (Role.abductors, Role.accessory) and focus in (Focus.strength, Focus.power):
        return (10, 15)  # small stabilisers are trained for control, not heavy
    if focus is Focus.endurance:
        if heavy and backbone:
            return (8, 12)  # moderate loading beats light-only work
        if exercise.pattern is Pattern.calf_raise:
            return (15, 20)
        return (12, 15)
    if ctx.level is not Level.beginner and backbone and not heavy:
        # Base: technique at moderate loads before the build's heavier sets.
        return (8, 12) if focus is Focus.strength else (6, 8)
    return ctx.dose.reps


def doable_reps(exercise: Exercise, reps: tuple[int, int], ctx: Context) -> tuple[int, int]:
    """Reps that reach the target effort with what the athlete has: an unloaded bodyweight
    exercise cannot be a set of 5–8 at 2 reps in reserve for most runners."""
    if (
        exercise.measure is not Measure.reps
        or exercise.pattern in (Pattern.plyometric, Pattern.nordic)
        or not LOADS.isdisjoint(exercise.equipment)
        or can_hold_weight(exercise, ctx)
    ):
        return reps
    if ctx.focus is Focus.resilience:
        # Slow lowering (4–5 s a rep) is what makes bodyweight reps hard enough here.
        return reps if exercise.unilateral else (max(reps[0], 8), max(reps[1], 12))
    if not exercise.unilateral:
        return (max(reps[0], 15), max(reps[1], 20))
    if exercise.difficulty <= 2:
        return (max(reps[0], 10), max(reps[1], 15))
    return (max(reps[0], 6), max(reps[1], 10))


def reps_for(exercise: Exercise, role: Role, ctx: Context, heavy: bool) -> tuple[int, int]:
    return doable_reps(exercise, focus_reps(exercise, role, ctx, heavy), ctx)


def work_seconds(exercise: Exercise, reps: tuple[int, int], tempo_s: float) -> int:
    """Seconds of work in one set (both sides), plus 10 s to set up."""
    top = reps[1]
    if exercise.measure is Measure.steps:
        seconds = top * 2 * 1.0  # each way
    elif exercise.measure is Measure.seconds:
        seconds = float(top)
    else:
        seconds = top * (1.0 if exercise.pattern is Pattern.plyometric else tempo_s)
    if exercise.unilateral and exercise.measure is not Measure.steps:
        seconds *= 2
    return int(seconds) + 10


def rest_for(tier: Tier, reps: tuple[int, int], ctx: Context) -> int:
    """Rest by role (ACSM 2009): 2–3 min after heavy multi-joint sets and plyometrics, 1–2 min
    after assistance, 30–60 s after light accessories, holds and endurance sets; Nordics ≥ 90 s."""
    if tier is Tier.plyometric:
        return 120 if ctx.focus is Focus.power else 90
    if tier is Tier.accessory:
        return 30
    top = reps[1]
    if tier is Tier.main:
        return 150 if top <= 8 else 90 if top <= 12 else 60
    return 90 if top <= 8 else 60 if top <= 12 else 45


def make_item(
    exercise: Exercise,
    role: Role,
    ctx: Context,
    *,
    heavy: bool,
    nordic: NordicStep | None = None,
    contacts: bool = False,
) -> Item:
    """An exercise dosed for this athlete, before its sets are settled; with `contacts`, a
    distance runner's plyometric drill (fixed sets of ground contacts)."""
    reps = nordic.reps if nordic else reps_for(exercise, role, ctx, heavy)
    slow = nordic is not None or ctx.focus is Focus.resilience
    tier = tier_of(exercise, role)
    return Item(
        exercise=exercise,
        role=role,
        majors=ctx.index.majors[exercise.slug],
        max_sets=nordic.sets if nordic else ctx.dose.sets[1],
        reps=reps,
        default_rest_s=120 if nordic else rest_for(tier, reps, ctx),
        # A Nordic is timed at the last step's reps, so the session time holds every week.
        work_s=work_seconds(
            exercise, NORDIC_STEPS[-1].reps if nordic else reps, 5.0 if slow else 3.0
        ),
        tier=tier,
        nordic=nordic,
        contacts=contacts,
        sets=nordic.sets if nordic else PLYOMETRIC_SETS if contacts else 0,
    )


ROLE_ORDER = {role: n for n, role in enumerate(Role)}


def order_key(item: Item) -> tuple[int, int, int]:
    """Plyometrics, then Nordics and the backbone, then assistance, then single-joint and trunk;
    inside a tier harder before easier, large muscles before small (ACSM 2009)."""
    return (item.tier, -item.exercise.difficulty, ROLE_ORDER[item.role])


def template_items(
    template: Template,
    ctx: Context,
    *,
    heavy: bool,
    nordic: NordicStep | None = None,
    plyometric: Exercise | None = None,
    shared: bool = False,
) -> list[Item]:
    """The template's exercises dosed, with the week's Nordic step and plyometric drill on top.
    With `shared`, each dosed exercise is made once for the context and shared by every list
    that holds it: never change one (copy it)."""

    def make(
        exercise: Exercise, role: Role, nordic: NordicStep | None = None, contacts: bool = False
    ) -> Item:
        if not shared:
            return make_item(exercise, role, ctx, heavy=heavy, nordic=nordic, contacts=contacts)
        key = ("item", exercise.slug, role, heavy, nordic, contacts)
        return ctx.remember(
            key,
            lambda: make_item(exercise, role, ctx, heavy=heavy, nordic=nordic, contacts=contacts),
        )

    items = [make(exercise, role) for role, exercise in template.majors]
    if nordic is not None and ctx.nordic is not None:
        # On top of the hinge: every session keeps its multi-joint backbone.
        items.append(make(ctx.nordic, Role.hamstrings, nordic))
    if plyometric is not None:
        items.append(make(plyometric, Role.calves, contacts=True))
    items.append(make(template.abductor, Role.abductors))
    if template.accessory is not None:
        items.append(make(template.accessory, Role.accessory))
    return items
