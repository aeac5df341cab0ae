"""Drafts into the response models."""

import math
from datetime import date
from typing import NamedTuple

from app.catalog.models import Exercise, Measure
from app.enums import Phase, Weekday
from app.planning.context import PRESCRIPTIONS_MAX, SESSIONS_MAX, Context
from app.planning.dosing import Item, Tier
from app.planning.fitting import Draft
from app.planning.rules import Role
from app.planning.schemas import Effort, Prescription, RepRange, Session, made
from app.planning.selection import alternatives, ladder
from app.planning.warmup import warmup_drills
from app.planning.words import load_guidance, why


class SessionDose(NamedTuple):
    """What a session's prescriptions share besides their sets: effort, phase, progression.
    A named tuple: it keys the render caches, and tuples hash and compare fastest."""

    rir: int
    phase: Phase
    in_taper_days: bool = False
    rep_step: int = 0  # the low end of the main lifts' rep ranges rises this many steps
    load_rise: bool = False  # the main lifts start 2–5 % heavier than last week


# Named once: an enum member looked up in code run for every item is slow (app.planning.rules).
PROGRESSING_TIERS = (Tier.main, Tier.assistance)


def progresses(item: Item) -> bool:
    """Main and assistance work carries the week's rep step and load rise."""
    return not item.fixed and item.tier in PROGRESSING_TIERS


def progressed_reps(item: Item, rep_step: int) -> tuple[int, int]:
    """The rep range with its low end raised `rep_step` steps (1 rep, or 5 s for holds), always
    leaving a range of at least one step: aim higher in the range week by week."""
    low, high = item.reps
    if not rep_step or not progresses(item):
        return item.reps
    step = 5 if item.exercise.measure is Measure.seconds else 1
    return (max(low, min(low + rep_step * step, high - step)), high)


def prescription(item: Item, ctx: Context, dose: SessionDose) -> Prescription:
    # Everything but the sets, rest, work time and superset depends on the exercise, its role
    # and dose and the session's: worked out once for the context.
    ex = item.exercise
    key = ("described", ex.slug, item.role, item.reps, item.tier, item.nordic, dose)
    fields, reps, effort, guidance, reason = ctx.remember(key, lambda: _described(item, ctx, dose))
    # Not validated (`made`): every value is the generator's own. The lists are this
    # prescription's: the context's values are shared.
    return made(
        Prescription,
        exercise=fields["exercise"],
        name=fields["name"],
        primary_muscles=list(fields["primary_muscles"]),  # type: ignore[call-overload]
        sets=item.sets,
        reps=reps,
        per_side=fields["per_side"],
        rest_s=item.rest_s,
        work_s=item.work_s,
        superset=item.superset,
        effort=effort,
        load_guidance=guidance,
        cues=list(fields["cues"]),  # type: ignore[call-overload]
        why=reason,
        end_point=None,
        load_kg=None,
        regression=fields["regression"],
        progression=fields["progression"],
        alternatives=list(fields["alternatives"]),  # type: ignore[call-overload]
    )


def _described(
    item: Item, ctx: Context, dose: SessionDose
) -> tuple[dict[str, object], RepRange, Effort, str, str]:
    """A prescription's fields but its sets, rest, work time and superset: the exercise's own
    (`_exercise_fields`), then its reps, effort, load guidance and why (a tuple: the context
    keeps one for each exercise, role, dose and session dose)."""
    ex = item.exercise
    low, high = progressed_reps(item, dose.rep_step)
    # The words depend on the exercise, its dose and the session's effort, phase and taper.
    load_key = ("load", ex.slug, item.nordic is not None, dose.rir, dose.load_rise)
    why_key = ("why", ex.slug, item.role, item.reps, item.tier, item.nordic, *dose[1:3])
    return (
        _exercise_fields(ex, item.role, ctx),
        ctx.remember(
            ("reps", low, high, ex.measure), lambda: RepRange(min=low, max=high, unit=ex.measure)
        ),
        ctx.remember(("effort", dose.rir), lambda: Effort(rpe=float(10 - dose.rir), rir=dose.rir)),
        ctx.remember(
            load_key, lambda: load_guidance(item, ctx, dose.rir, load_rise=dose.load_rise)
        ),
        ctx.remember(why_key, lambda: why(item, ctx, dose.phase, dose.in_taper_days)),
    )


def _exercise_fields(ex: Exercise, role: Role, ctx: Context) -> dict[str, object]:
    """What every prescription of `ex` in `role` says alike for this athlete (the values are
    shared: `prescription` copies the lists into each)."""

    def make() -> dict[str, object]:
        regression, progression = ladder(ex, ctx)
        return {
            "exercise": ex.slug,
            "name": ex.name,
            "primary_muscles": ex.primary_muscles,
            "per_side": ex.unilateral or ex.measure is Measure.steps,
            "cues": ex.cues,
            "regression": regression,
            "progression": progression,
            "alternatives": alternatives(ex, role, ctx),
        }

    return ctx.remember(("prescribed", ex.slug, role), make)


class RenderCache:
    """Rendered prescriptions (they are never changed once built): for a plan, its context's
    (`Context.prescriptions`, `Context.sessions`), which every plan of the context shares (a
    24-week plan with the same context: 2.0 → 1.7 ms of CPU). A draft's items are never changed
    once settled, and drafts handed out again by the drafter hold the same list of them, in
    every plan of the context: a repeated session costs one lookup; other sessions look up
    exercise by exercise."""

    def __init__(
        self,
        by_item: dict[tuple[object, ...], Prescription] | None = None,
        by_items: dict[int, tuple[list[Item], dict[SessionDose, list[Prescription]]]] | None = None,
    ) -> None:
        # By what a prescription depends on: the item's exercise, role and dose, and the
        # session's dose (plain for work that does not progress).
        self.by_item = {} if by_item is None else by_item
        # id(items) → (items, {dose: their prescriptions}); holding the list keeps its id unique.
        self.by_items = {} if by_items is None else by_items

    def session(self, draft: Draft, ctx: Context, dose: SessionDose) -> list[Prescription]:
        """The draft's prescriptions: the same list for the same items and dose (never change
        it; a session holds a copy)."""
        items = draft.items
        held = self.by_items.get(id(items))
        if held is None:
            if len(self.by_items) >= SESSIONS_MAX:
                self.by_items.clear()
            held = self.by_items[id(items)] = (items, {})
        found = held[1].get(dose)
        if found is None:
            # Only main and assistance work shows the week's rep step and load rise (a week
            # without either shows every item its dose).
            rises = dose.rep_step or dose.load_rise
            plain = SessionDose(dose.rir, dose.phase, dose.in_taper_days) if rises else dose
            by_item = self.by_item
            found = held[1][dose] = []
            for i in items:
                shown = dose if not rises or progresses(i) else plain
                key = (
                    i.exercise.slug,
                    i.role,
                    i.sets,
                    i.reps,
                    i.rest_s,
                    i.work_s,
                    i.superset,
                    i.nordic,
                    i.tier,
                    shown,
                )
                p = by_item.get(key)
                if p is None:
                    if len(by_item) >= PRESCRIPTIONS_MAX:
                        by_item.clear()
                    p = by_item[key] = prescription(i, ctx, shown)
                found.append(p)
        return found


def render_session(
    draft: Draft,
    ctx: Context,
    dose: SessionDose,
    *,
    title: str,
    day: date | None,
    weekday: Weekday | None,
    cache: RenderCache | None = None,
) -> Session:
    seconds = draft.seconds()
    first = draft.items[0].exercise if draft.items else None
    # Not validated (`made`): every value is the generator's own. The lists are the
    # session's: the drills, prescriptions and notes are shared.
    return made(
        Session,
        date=day,
        weekday=weekday,
        title=title,
        estimated_minutes=math.ceil(seconds / 60),
        warmup_minutes=draft.bend.warmup,
        warmup=list(warmup_drills(draft.bend.warmup, ctx.available, first)),
        exercises=list((cache or RenderCache()).session(draft, ctx, dose)),
        notes=list(draft.notes),
    )
