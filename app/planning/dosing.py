"""Dosing one exercise: reps, work time, rest and its place in the session."""

from dataclasses import dataclass, replace

from app.catalog.models import Exercise, Measure, Pattern
from app.enums import (
    Focus,
    Muscle,
)
from app.planning.context import Context
from app.planning.rules import NORDIC_STEPS, SINGLE_JOINT, NordicStep, Role
from app.planning.selection import Template

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
    nordic: NordicStep | None = None
    fallback: "Item | None" = None  # what replaces a Nordic when the week cannot hold it
    sets: int = 0
    rest_s: int = 0
    superset: str | None = None

    @property
    def fixed(self) -> bool:
        return self.nordic is not None

    def copy(self) -> "Item":
        """The same dose as a new item (with a new fallback): drafts never share items."""
        return replace(self, fallback=None if self.fallback is None else self.fallback.copy())


def reps_for(exercise: Exercise, role: Role, ctx: Context, heavy: bool) -> tuple[int, int]:
    """Reps (or steps, or seconds) per set from the focus table."""
    if exercise.measure is Measure.steps:
        return (10, 15)  # band walks: 10–15 steps each way (the seed prescription)
    if exercise.measure is Measure.seconds:
        return (30, 45)  # isometric holds 30–45 s
    focus = ctx.focus
    if role in (Role.abductors, Role.accessory) and focus in (Focus.strength, Focus.power):
        return (10, 15)  # small stabilisers are trained for control, not heavy
    if focus is Focus.endurance:
        if heavy and exercise.pattern in (Pattern.hinge, Pattern.squat, Pattern.lunge):
            return (8, 12)  # moderate loading beats light-only work
        if exercise.pattern is Pattern.calf_raise:
            return (15, 20)
        return (12, 15)
    if focus is Focus.power and exercise.pattern is Pattern.plyometric:
        return (6, 10)  # plyometric contacts
    return ctx.dose.reps


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


def default_rest(ctx: Context) -> int:
    return 45 if ctx.focus is Focus.endurance else ctx.dose.rest_s[0]


def make_item(
    exercise: Exercise, role: Role, ctx: Context, *, heavy: bool, nordic: NordicStep | None = None
) -> Item:
    """An exercise dosed for this athlete, before its sets are settled."""
    reps = nordic.reps if nordic else reps_for(exercise, role, ctx, heavy)
    slow = nordic is not None or ctx.focus is Focus.resilience
    return Item(
        exercise=exercise,
        role=role,
        majors=ctx.index.majors[exercise.slug],
        max_sets=nordic.sets if nordic else ctx.dose.sets[1],
        reps=reps,
        default_rest_s=default_rest(ctx),
        # A Nordic is timed at the last step's reps, so the session time holds every week.
        work_s=work_seconds(
            exercise, NORDIC_STEPS[-1].reps if nordic else reps, 5.0 if slow else 3.0
        ),
        nordic=nordic,
        sets=nordic.sets if nordic else 0,
    )


ROLE_ORDER = {role: n for n, role in enumerate(Role)}


def order_key(item: Item) -> tuple[int, int, int]:
    # ACSM 2009: multi-joint before single-joint, harder before easier, large before small.
    ex = item.exercise
    power_first = 0 if ex.pattern is Pattern.plyometric else 1
    single = 1 if ex.pattern in SINGLE_JOINT else 0
    small = ROLE_ORDER[item.role]
    return (power_first * 2 + single, -ex.difficulty, small)


def template_items(
    template: Template,
    ctx: Context,
    *,
    heavy: bool,
    nordic: NordicStep | None = None,
    made: dict[tuple[object, ...], Item] | None = None,
) -> list[Item]:
    """The template's exercises dosed; `made` keeps each dosed exercise for copies later."""

    def make(exercise: Exercise, role: Role, nordic: NordicStep | None = None) -> Item:
        if made is None:
            return make_item(exercise, role, ctx, heavy=heavy, nordic=nordic)
        key = (exercise.slug, role, heavy, nordic)
        item = made.get(key)
        if item is None:
            item = made[key] = make_item(exercise, role, ctx, heavy=heavy, nordic=nordic)
        return item.copy()

    items: list[Item] = []
    for role, exercise in template.majors:
        if role is Role.hamstrings and nordic is not None and ctx.nordic is not None:
            item = make(ctx.nordic, role, nordic)
            item.fallback = make(exercise, role)
            items.append(item)
        else:
            items.append(make(exercise, role))
    items.append(make(template.abductor, Role.abductors))
    if template.accessory is not None:
        items.append(make(template.accessory, Role.accessory))
    return items
