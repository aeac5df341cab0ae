"""Drafts into the response models."""

import math
from datetime import date

from app.catalog.models import Measure
from app.enums import (
    Phase,
    Weekday,
)
from app.planning.context import Context
from app.planning.dosing import Item
from app.planning.fitting import Draft
from app.planning.schemas import (
    Effort,
    Prescription,
    RepRange,
    Session,
)
from app.planning.words import load_guidance, why


def prescription(
    item: Item, ctx: Context, rir: int, phase: Phase, in_taper_days: bool
) -> Prescription:
    ex = item.exercise
    return Prescription(
        exercise=ex.slug,
        name=ex.name,
        primary_muscles=list(ex.primary_muscles),
        sets=item.sets,
        reps=RepRange(min=item.reps[0], max=item.reps[1], unit=ex.measure),
        per_side=ex.unilateral or ex.measure is Measure.steps,
        rest_s=item.rest_s,
        work_s=item.work_s,
        superset=item.superset,
        effort=Effort(rpe=float(10 - rir), rir=rir),
        load_guidance=load_guidance(item, ctx, rir),
        cues=list(ex.cues),
        why=why(item, ctx, phase, in_taper_days),
    )


def cached_prescription(
    item: Item,
    ctx: Context,
    rir: int,
    phase: Phase,
    in_taper_days: bool,
    cache: dict[tuple[object, ...], Prescription] | None,
) -> Prescription:
    """Weeks that repeat share their (immutable once built) prescriptions."""
    if cache is None:
        return prescription(item, ctx, rir, phase, in_taper_days)
    key = (
        item.exercise.slug,
        item.role,
        item.sets,
        item.reps,
        item.rest_s,
        item.work_s,
        item.superset,
        item.nordic,
        rir,
        phase,
        in_taper_days,
    )
    found = cache.get(key)
    if found is None:
        found = cache[key] = prescription(item, ctx, rir, phase, in_taper_days)
    return found


def render_session(
    draft: Draft,
    ctx: Context,
    *,
    title: str,
    rir: int,
    phase: Phase,
    day: date | None,
    weekday: Weekday | None,
    in_taper_days: bool = False,
    cache: dict[tuple[object, ...], Prescription] | None = None,
) -> Session:
    seconds = draft.seconds()
    return Session(
        date=day,
        weekday=weekday,
        title=title,
        estimated_minutes=math.ceil(seconds / 60),
        warmup_minutes=draft.bend.warmup,
        exercises=[
            cached_prescription(i, ctx, rir, phase, in_taper_days, cache) for i in draft.items
        ],
        notes=list(draft.notes),
    )
