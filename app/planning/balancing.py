"""Settling a week's sets: the level's range, the posterior share, the minutes, the totals."""

from collections.abc import Iterable, Sequence

from app.enums import (
    MAJOR_MUSCLES,
    POSTERIOR_MUSCLES,
    Muscle,
)
from app.planning.context import Context
from app.planning.dosing import Item
from app.planning.fitting import Draft, apply_bend
from app.planning.rules import MAJOR_ROLES, POSTERIOR_SHARE_RANGE, Role

# ---------------------------------------------------------------------------------------------
# Settling the sets of a week: level range, posterior share, minutes, totals


def major_counts(drafts: Sequence[Draft]) -> dict[Muscle, int]:
    counts = dict.fromkeys(MAJOR_MUSCLES, 0)
    for draft in drafts:
        for item in draft.items:
            for muscle in item.majors:
                counts[muscle] += item.sets
    return counts


GLUTES, HAMSTRINGS, QUADS, CALVES = MAJOR_MUSCLES
ANTERIOR: tuple[Muscle, ...] = (Muscle.quads, Muscle.calves)


def posterior_of(counts: dict[Muscle, int]) -> float | None:
    """`posterior_share` of a week's counts (which hold every major group)."""
    posterior = counts[GLUTES] + counts[HAMSTRINGS]
    major = posterior + counts[QUADS] + counts[CALVES]
    return posterior / major if major else None


def share_ok(counts: dict[Muscle, int]) -> bool:
    share = posterior_of(counts)
    return share is not None and POSTERIOR_SHARE_RANGE[0] <= share <= POSTERIOR_SHARE_RANGE[1]


def share_distance(counts: dict[Muscle, int]) -> float:
    share = posterior_of(counts) or 0.0
    low, high = POSTERIOR_SHARE_RANGE
    return max(low - share, share - high, 0.0)


def total_sets(drafts: Sequence[Draft]) -> int:
    return sum([item.sets for draft in drafts for item in draft.items])


class WeekBalance:
    """The sets of one week's drafts being settled, with the per-group counts kept in step."""

    def __init__(self, drafts: list[Draft], ctx: Context, *, cap: int, max_total: int | None):
        self.drafts = drafts
        self.ctx = ctx
        self.cap = cap
        self.max_total = max_total
        self.budget = ctx.minutes * 60
        self.counts = major_counts(drafts)
        # (position of its draft, draft, item) for every item of the week, in session order.
        self.items = [(n, d, item) for n, d in enumerate(drafts) for item in d.items]
        # `decrement`'s items for its muscles (and `only`), while `items` holds.
        self._candidates: dict[tuple[object, ...], list[tuple[int, Item]]] = {}

    def forget(self, item: Item) -> None:
        """Take a dropped item out of `items` and its sets out of the counts."""
        del self.items[next(n for n, (_, _, i) in enumerate(self.items) if i is item)]
        self._candidates.clear()
        for m in item.majors:
            self.counts[m] -= item.sets

    @staticmethod
    def can_drop(draft: Draft, item: Item) -> bool:
        rest = [i for i in draft.items if i is not item]
        # Jumps on top of the template never stand in for a group's strength exercise.
        covered = {m for i in rest if not i.contacts for m in i.majors}
        return set(MAJOR_MUSCLES) <= covered and any(
            i.exercise.unilateral for i in rest if i.role in MAJOR_ROLES
        )

    def decrement(
        self, muscles: tuple[Muscle, ...], *, only: tuple[Muscle, ...] | None = None
    ) -> bool:
        """One set fewer on the biggest item training one of `muscles` (the last session's
        first, on a tie)."""
        candidates = self._candidates.get((muscles, only))
        if candidates is None:
            # The items that may give a set, in order: which they are changes only when an item
            # is dropped (`forget`).
            wanted = frozenset(muscles)
            allowed = frozenset(only) if only is not None else None
            candidates = self._candidates[muscles, only] = [
                (p, i)
                for p, _, i in self.items
                if not wanted.isdisjoint(i.majors)
                and (allowed is None or allowed.issuperset(i.majors))
                and not i.fixed
            ]
        chosen: Item | None = None
        most, last = 0, -1
        for p, i in candidates:
            sets = i.sets
            if sets > 1 and (sets > most or (sets == most and p > last)):
                chosen, most, last = i, sets, p
        if chosen is None:
            return False
        chosen.sets -= 1
        for m in chosen.majors:
            self.counts[m] -= 1
        return True

    def increment(self, muscles: Iterable[Muscle]) -> bool:
        """One set more on the smallest item training only `muscles`, if everything allows."""
        wanted = frozenset(muscles)
        if self.max_total is not None and total_sets(self.drafts) >= self.max_total:
            return False
        options = sorted(
            (i.sets, p, n)
            for n, (p, _, i) in enumerate(self.items)
            if not i.fixed
            and i.majors
            and wanted.issuperset(i.majors)
            and i.sets < i.max_sets
            and all(self.counts[m] < self.cap for m in i.majors)
        )
        for _, _, n in options:
            _, draft, item = self.items[n]
            item.sets += 1
            if draft.seconds() > self.budget:
                item.sets -= 1
                continue
            for m in item.majors:
                self.counts[m] += 1
            return True
        return False

    def drop_extra(self, *, nordic: bool) -> bool:
        """Last resort: a fixed dose on top of the template (the Nordic step, or the jumps) does
        not fit this week's share; leave it out."""
        for _, draft, item in self.items:
            if (item.nordic is not None) if nordic else item.contacts:
                draft.items.remove(item)
                self.forget(item)
                apply_bend(draft.items, draft.bend, self.ctx)
                return True
        return False

    def drop_redundant(self, muscles: Iterable[Muscle]) -> bool:
        """Leave out an item training only `muscles` whose session stays balanced without it."""
        wanted = frozenset(muscles)
        for _, draft, item in reversed(self.items):
            if (
                item.majors
                and wanted.issuperset(item.majors)
                and not item.fixed
                and self.can_drop(draft, item)
            ):
                draft.items.remove(item)
                self.forget(item)
                return True
        return False

    def trim_to_total(self) -> None:
        """The total may be capped (deloads, tapers): trim the biggest items first."""
        if self.max_total is None:
            return
        total = total_sets(self.drafts)
        while total > self.max_total:
            options = [i for _, _, i in self.items if not i.fixed and i.sets > 1]
            if not options:
                break
            item = max(options, key=lambda i: (i.sets, i.role in MAJOR_ROLES))
            item.sets -= 1
            total -= 1
            for m in item.majors:
                self.counts[m] -= 1

    def cap_groups(self) -> None:
        """No major group above the level's weekly range."""
        for muscle in MAJOR_MUSCLES:
            while self.counts[muscle] > self.cap:
                if self.decrement((muscle,)):
                    continue
                droppable = [
                    (d, i)
                    for _, d, i in self.items
                    if muscle in i.majors and not i.fixed and self.can_drop(d, i)
                ]
                if not droppable:
                    break
                draft, item = droppable[-1]
                draft.items.remove(item)
                self.forget(item)

    def hold_share(self) -> None:
        """Posterior share inside 0.50–0.70."""
        for _ in range(64):
            share = posterior_of(self.counts)
            if share is None or share_ok(self.counts):
                break
            if share > POSTERIOR_SHARE_RANGE[1]:
                moved = (
                    self.decrement(POSTERIOR_MUSCLES, only=POSTERIOR_MUSCLES)
                    or self.increment(ANTERIOR)
                    or self.decrement(POSTERIOR_MUSCLES)
                    or self.drop_redundant(POSTERIOR_MUSCLES)
                    or self.drop_extra(nordic=True)
                )
            else:
                moved = (
                    self.decrement(ANTERIOR, only=ANTERIOR)
                    or self.increment(POSTERIOR_MUSCLES)
                    or self.decrement(ANTERIOR)
                    or self.drop_redundant(ANTERIOR)
                    or self.drop_extra(nordic=False)
                )
            if not moved:
                break

    def add_toward_target(self, target: int) -> set[Muscle]:
        """Step 4 of `settle_week`: one set at a time to the group furthest behind `target`, while
        the share moves toward (or stays in) its range and the session keeps inside its minutes.
        Updates `counts`; answers the groups that ran out of minutes."""
        total = total_sets(self.drafts)
        blocked: set[int] = set()
        out_of_time: set[Muscle] = set()
        # The items that may take a set for each group, by their place in `items` (which does
        # not change here).
        trains: dict[Muscle, list[tuple[int, int, Item]]] = {m: [] for m in MAJOR_MUSCLES}
        for n, (p, _, i) in enumerate(self.items):
            if not i.fixed:
                for m in i.majors:
                    trains[m].append((n, p, i))
        while self.max_total is None or total < self.max_total:
            behind = sorted(
                (self.counts[m] - target, n, m)
                for n, m in enumerate(MAJOR_MUSCLES)
                if self.counts[m] < target
            )
            if not behind:
                break
            # Nothing changes in this round until a set is added (and then the round ends).
            before = share_distance(self.counts)
            added = False
            for _, _, muscle in behind:
                choices = sorted(
                    (i.sets, p, n)
                    for n, p, i in trains[muscle]
                    if i.sets < i.max_sets and n not in blocked
                )
                for _, _, n in choices:
                    _, draft, item = self.items[n]
                    full = [m for m in item.majors if self.counts[m] + 1 > self.cap]
                    donor: Item | None = None
                    if full:
                        # Room for this group by taking a set from an item that trains only the full
                        # muscle (a glute-only bridge makes room for a lunge that also hits glutes).
                        donors = [
                            i
                            for _, _, i in self.items
                            if len(full) == 1
                            and i.majors == (full[0],)
                            and not i.fixed
                            and i.sets > 1
                        ]
                        if not donors:
                            blocked.add(n)
                            continue
                        donor = max(donors, key=lambda i: i.sets)
                    trial = dict(self.counts)
                    for m in item.majors:
                        trial[m] += 1
                    if donor is not None:
                        trial[full[0]] -= 1
                    after = share_distance(trial)
                    if after > 0 and after >= before:
                        continue
                    item.sets += 1
                    if donor is not None:
                        donor.sets -= 1
                    if draft.seconds() > self.budget:
                        item.sets -= 1
                        if donor is not None:
                            donor.sets += 1
                        blocked.add(n)
                        out_of_time.add(muscle)
                        continue
                    self.counts.update(trial)
                    total += 0 if donor is not None else 1
                    added = True
                    break
                if added:
                    break
            if not added:
                break
        return out_of_time


def settle_week(
    drafts: list[Draft],
    ctx: Context,
    *,
    target: int,
    cap: int,
    max_total: int | None,
    explain: bool = True,
) -> None:
    """Settle every item's sets: within the cap per group, the posterior share in 0.50–0.70,
    each session inside its minutes, at most `max_total` sets; then add sets toward `target`
    per major group, the group furthest behind first."""
    week = WeekBalance(drafts, ctx, cap=cap, max_total=max_total)
    week.trim_to_total()
    week.cap_groups()
    week.hold_share()
    counts = week.counts
    out_of_time = week.add_toward_target(target)
    short = [m.value for m in MAJOR_MUSCLES if m in out_of_time and counts[m] < target]
    if explain and short and drafts:
        drafts[0].notes.append(
            f"{ctx.minutes} minutes a session leave no room for more {', '.join(short)} sets "
            f"this week ({target} wanted); longer sessions would reach the range for your level."
        )
    if explain:
        usual = ctx.dose.sets[0]
        for draft in drafts:
            few = [i.exercise.name for i in draft.items if i.sets < usual and not i.fixed]
            if few and not draft.bend.level:
                draft.notes.append(
                    f"Fewer sets than usual on {', '.join(few)}: this week already has the "
                    f"most sets per muscle group for your level ({cap}), or glutes and "
                    "hamstrings would get more than 70% of the work."
                )


def trim_session(draft: Draft, cap: int | None, ctx: Context) -> None:
    """A light session: no accessories, Nordics or jumps, then one set fewer on the biggest
    exercise until at most `cap` sets (never below one set of each exercise left)."""
    draft.items = [i for i in draft.items if i.role is not Role.accessory and not i.fixed]
    if cap is None:
        cap = len(draft.items)  # nothing earlier to halve: one set of each
    while sum(i.sets for i in draft.items) > cap:
        options = [i for i in draft.items if i.sets > 1]
        if not options:
            break
        counts = major_counts([draft])
        min(options, key=lambda item: _trim_cost(item, counts)).sets -= 1
    apply_bend(draft.items, draft.bend, ctx)


def _trim_cost(item: Item, counts: dict[Muscle, int]) -> tuple[float, int, bool]:
    """Keep the glute-and-hamstring share in range; then take from the biggest exercise."""
    trial = dict(counts)
    for m in item.majors:
        trial[m] -= 1
    return (share_distance(trial), -item.sets, item.role not in MAJOR_ROLES)
