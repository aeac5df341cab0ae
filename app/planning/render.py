"""Drafts into the response models."""

import math
from dataclasses import dataclass
from datetime import date

from app.catalog.models import Measure
from app.enums import Phase, Weekday
from app.planning.context import Context
from app.planning.dosing import Item, Tier
from app.planning.fitting import Draft
from app.planning.schemas import Effort, Prescription, RepRange, Session
from app.planning.selection import alternatives, ladder
from app.planning.warmup import warmup_drills
from app.planning.words import load_guidance, why


@dataclass(frozen=True, slots=True)
class SessionDose:
    """What a session's prescriptions share besides their sets: effort, phase, progression."""

    rir: int
    phase: Phase
    in_taper_days: bool = False
    rep_step: int = 0  # the low end of the main lifts' rep ranges rises this many steps
    load_rise: bool = False  # the main lifts start 2–5 % heavier than last week


def progressed_reps(item: Item, rep_step: int) -> tuple[int, int]:
    """The rep range with its low end raised `rep_step` steps (1 rep, or 5 s for holds), always
    leaving a range of at least one step: aim higher in the range week by week."""
    low, high = item.reps
    if not rep_step or item.fixed or item.tier not in (Tier.main, Tier.assistance):
        return item.reps
    step = 5 if item.exercise.measure is Measure.seconds else 1
    return (max(low, min(low + rep_step * step, high - step)), high)


def prescription(item: Item, ctx: Context, dose: SessionDose) -> Prescription:
    ex = item.exercise
    low, high = progressed_reps(item, dose.rep_step)
    regression, progression = ladder(ex, ctx)
    return Prescription(
        exercise=ex.slug,
        name=ex.name,
        primary_muscles=list(ex.primary_muscles),
        sets=item.sets,
        reps=RepRange(min=low, max=high, unit=ex.measure),
        per_side=ex.unilateral or ex.measure is Measure.steps,
        rest_s=item.rest_s,
        work_s=item.work_s,
        superset=item.superset,
        effort=Effort(rpe=float(10 - dose.rir), rir=dose.rir),
        load_guidance=load_guidance(item, ctx, dose.rir, load_rise=dose.load_rise),
        cues=list(ex.cues),
        why=why(item, ctx, dose.phase, dose.in_taper_days),
        regression=regression,
        progression=progression,
        alternatives=alternatives(ex, item.role, ctx),
    )


def cached_prescription(
    item: Item,
    ctx: Context,
    dose: SessionDose,
    cache: dict[tuple[object, ...], Prescription] | None,
) -> Prescription:
    """Weeks that repeat share their (immutable once built) prescriptions."""
    if cache is None:
        return prescription(item, ctx, dose)
    key = (
        item.exercise.slug,
        item.role,
        item.sets,
        item.reps,
        item.rest_s,
        item.work_s,
        item.superset,
        item.nordic,
        item.tier,
        dose,
    )
    found = cache.get(key)
    if found is None:
        found = cache[key] = prescription(item, ctx, dose)
    return found


def render_session(
    draft: Draft,
    ctx: Context,
    dose: SessionDose,
    *,
    title: str,
    day: date | None,
    weekday: Weekday | None,
    cache: dict[tuple[object, ...], Prescription] | None = None,
) -> Session:
    seconds = draft.seconds()
    first = draft.items[0].exercise if draft.items else None
    return Session(
        date=day,
        weekday=weekday,
        title=title,
        estimated_minutes=math.ceil(seconds / 60),
        warmup_minutes=draft.bend.warmup,
        warmup=warmup_drills(draft.bend.warmup, ctx.available, first),
        exercises=[cached_prescription(i, ctx, dose, cache) for i in draft.items],
        notes=list(draft.notes),
    )
