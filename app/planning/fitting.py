"""Fitting a session into its minutes: the bends, in order (docs/training.md)."""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from app.planning.context import Context
from app.planning.dosing import Item, order_key
from app.planning.rules import (
    ABDUCTOR_SETS,
    MAJOR_ROLES,
    SHORTEST_REST_S,
    WARMUP_MIN,
    WARMUP_SHORTEST,
    Role,
)

# ---------------------------------------------------------------------------------------------
# Fitting a session into its minutes (docs/training.md "Fitting a session into its minutes")


@dataclass(frozen=True, slots=True)
class Bend:
    level: int
    floor_major: int | None  # None: the focus table's minimum
    floor_other: int | None
    short_rest: bool
    supersets: bool
    warmup: int
    drop_accessories: bool


BENDS: tuple[Bend, ...] = (
    Bend(0, None, None, False, False, WARMUP_MIN, False),
    Bend(1, 2, 1, False, False, WARMUP_MIN, False),
    Bend(2, 2, 1, True, False, WARMUP_MIN, False),
    Bend(3, 2, 1, True, True, WARMUP_MIN, False),
    Bend(4, 2, 1, True, True, WARMUP_SHORTEST, False),
    Bend(5, 2, 1, True, True, WARMUP_SHORTEST, True),
    Bend(6, 1, 1, True, True, WARMUP_SHORTEST, True),
)
BEND_NOTES = (
    "",
    "fewer sets (down to 2, accessories 1)",
    f"rests cut to {SHORTEST_REST_S} s",
    "exercises paired as supersets so rest overlaps",
    f"warm-up shortened to {WARMUP_SHORTEST} min",
    "accessories left out",
    "main lifts down to 1 set (no major group dropped)",
)


def session_seconds(items: Sequence[Item], warmup_min: int) -> int:
    """Warm-up + Σ sets × (work + rest); inside a superset the rest comes once per round."""
    total = warmup_min * 60
    lead: Item | None = None  # the first of a superset pair, if the next item may be its partner
    for item in items:
        if lead is not None:
            if item.superset == lead.superset:
                total += lead.sets * lead.work_s + item.sets * item.work_s
                total += max(lead.sets, item.sets) * item.rest_s
                lead = None
                continue
            total += lead.sets * (lead.work_s + lead.rest_s)  # no partner: a set on its own
        lead = item if item.superset is not None else None
        if lead is None:
            total += item.sets * (item.work_s + item.rest_s)
    if lead is not None:
        total += lead.sets * (lead.work_s + lead.rest_s)
    return total


def apply_bend(items: list[Item], bend: Bend, ctx: Context) -> None:
    """Rest and supersets as the bend level says (sets are left alone)."""
    for item in items:
        item.rest_s = (
            min(item.default_rest_s, SHORTEST_REST_S) if bend.short_rest else item.default_rest_s
        )
        item.superset = None
    if bend.supersets:
        for n, i in enumerate(range(0, len(items) - 1, 2)):
            label = chr(ord("A") + n)
            items[i].superset = items[i + 1].superset = label
            items[i].rest_s = 0
            items[i + 1].rest_s = max(items[i + 1].rest_s, SHORTEST_REST_S)


@dataclass(slots=True)
class Draft:
    """A session being fitted: its items, the bend it needed and its notes."""

    items: list[Item]
    bend: Bend = BENDS[0]
    notes: list[str] = field(default_factory=list)

    def seconds(self) -> int:
        return session_seconds(self.items, self.bend.warmup)

    def copy(self) -> "Draft":
        return replace(self, items=[item.copy() for item in self.items], notes=[*self.notes])


def floor_sets(item: Item, bend: Bend, ctx: Context, floor_cap: int | None) -> int:
    if item.fixed:
        return item.sets
    major = item.role in MAJOR_ROLES
    wanted = bend.floor_major if major else bend.floor_other
    floor = ctx.dose.sets[0] if wanted is None else min(wanted, ctx.dose.sets[0])
    if item.role is Role.abductors and wanted is None:
        floor = max(floor, ABDUCTOR_SETS)  # the seed's lateral band walk, 3 × 10–15 steps
    return min(floor, floor_cap) if floor_cap is not None else floor


def fit_session(
    items: list[Item], ctx: Context, *, keep_abductor: bool, floor_cap: int | None
) -> Draft:
    """The lightest bend at which every exercise fits at its floor sets."""
    budget = ctx.minutes * 60
    ordered = sorted(items, key=order_key)
    draft = Draft(items=ordered)
    for bend in BENDS:
        kept = [
            item
            for item in ordered
            if not (
                bend.drop_accessories
                and (
                    item.role is Role.accessory
                    or (item.role is Role.abductors and not keep_abductor)
                )
            )
        ]
        for item in kept:
            item.sets = floor_sets(item, bend, ctx, floor_cap)
        apply_bend(kept, bend, ctx)
        draft = Draft(items=kept, bend=bend)
        if draft.seconds() <= budget:
            break
    if draft.bend.level:
        bent = "; ".join(BEND_NOTES[1 : draft.bend.level + 1])
        draft.notes.append(
            f"A {ctx.minutes}-minute session is shortened, in this order: {bent}. "
            "Every major group stays in."
        )
    return draft
