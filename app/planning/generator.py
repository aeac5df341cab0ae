"""Routine and plan generation: pure functions over the catalog's exercises (docs/training.md).

Nothing here knows about HTTP or a database: the router passes the exercise tuple in. The same
request and exercises always give the same answer; `seed` only picks among equally suitable
exercises (through `random.Random(str)`, which hashes with SHA-512 and so is stable across
processes).
"""

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from itertools import combinations

from app.catalog.models import Exercise, Measure, Pattern
from app.enums import (
    MAJOR_MUSCLES,
    POSTERIOR_MUSCLES,
    SETTING_EQUIPMENT,
    Equipment,
    Event,
    Focus,
    Level,
    Muscle,
    Phase,
    Weekday,
    posterior_share,
)
from app.errors import InvalidInput
from app.planning.schemas import (
    Effort,
    GenerationRequest,
    Plan,
    PlanSummary,
    Prescription,
    RepRange,
    Session,
    SetRange,
    Week,
)

# ---------------------------------------------------------------------------------------------
# The science, as tables (docs/training.md)

DEFAULT_FOCUS: dict[Event, Focus] = {
    Event.sprint: Focus.power,
    Event.middle_distance: Focus.strength,
    Event.five_k: Focus.strength,
    Event.ten_k: Focus.strength,
    Event.half_marathon: Focus.endurance,
    Event.marathon: Focus.endurance,
    Event.ultra: Focus.endurance,
}

# Weekly working sets per major group ⚠ (runners need far less than hypertrophy volumes).
LEVEL_WEEKLY_SETS: dict[Level, tuple[int, int]] = {
    Level.beginner: (4, 8),
    Level.intermediate: (6, 10),
    Level.advanced: (8, 14),
}

POSTERIOR_SHARE_RANGE = (0.5, 0.7)
WARMUP_MIN, WARMUP_SHORTEST = 5, 3
SHORTEST_REST_S = 30
DEFAULT_WEEKS = 8
DELOAD_EVERY = 4
DELOAD_SHARE = 0.6  # a deload week holds at most 60% of the previous week's sets (Bell 2023)
OVERLOAD_STEP = 1.2  # at most 20% more sets week over week inside a phase
RACE_WEEK_SHARE = 0.5  # race week: at most half the peak week's sets
LAST_SESSION_DAYS = 4  # the race-week session ends at least 4 days before the race
TAPER_DAYS = 10  # no new exercise and no heavy eccentric work in the last 10 days
NORDIC_MIN_WEEKS = 4  # base + build weeks needed before a Nordic progression is started
NORDIC_MIN_MINUTES = 30  # shorter sessions have no room for the progression's growing sets


@dataclass(frozen=True, slots=True)
class FocusDose:
    """One row of the focus table (docs/training.md "Focus and prescription"), for one level."""

    sets: tuple[int, int]
    reps: tuple[int, int]
    rir: tuple[int, int]
    rest_s: tuple[int, int]


def focus_dose(focus: Focus, level: Level) -> FocusDose:
    """The working-set prescription of a focus (docs/training.md "Focus and prescription")."""
    if focus is Focus.endurance:
        return FocusDose(sets=(2, 3), reps=(12, 20), rir=(2, 3), rest_s=(30, 60))
    if focus is Focus.strength:
        if level is Level.beginner:
            return FocusDose(sets=(2, 3), reps=(8, 12), rir=(2, 3), rest_s=(120, 180))
        return FocusDose(sets=(3, 4), reps=(5, 8), rir=(2, 3), rest_s=(120, 180))
    if focus is Focus.power:
        return FocusDose(sets=(3, 5), reps=(3, 6), rir=(3, 4), rest_s=(120, 180))
    return FocusDose(sets=(2, 3), reps=(5, 8), rir=(2, 3), rest_s=(60, 90))


@dataclass(frozen=True, slots=True)
class NordicStep:
    """One step of the Mjølsnes 2004 Nordic progression."""

    step: int
    per_week: int
    sets: int
    reps: tuple[int, int]


# Week 1: 1×/week 2×5; week 2: 2×/week 2×6; week 3: 3×6–8; week 4: 3×8–10; then 12, 10, 8.
NORDIC_STEPS: tuple[NordicStep, ...] = (
    NordicStep(1, 1, 2, (5, 5)),
    NordicStep(2, 2, 2, (6, 6)),
    NordicStep(3, 3, 3, (6, 8)),
    NordicStep(4, 3, 3, (8, 10)),
    NordicStep(5, 3, 3, (8, 12)),
)


class Role(StrEnum):
    """The job an exercise does in a session."""

    glutes = "glutes"
    hamstrings = "hamstrings"
    quads = "quads"
    calves = "calves"
    abductors = "abductors"
    accessory = "accessory"


MAJOR_ROLES = (Role.glutes, Role.hamstrings, Role.quads, Role.calves)
_ROLE_MUSCLE = {
    Role.glutes: Muscle.glutes,
    Role.hamstrings: Muscle.hamstrings,
    Role.quads: Muscle.quads,
    Role.calves: Muscle.calves,
}
_ROLE_PATTERNS: dict[Role, frozenset[Pattern]] = {
    Role.glutes: frozenset({Pattern.bridge, Pattern.hinge}),
    Role.hamstrings: frozenset({Pattern.hinge, Pattern.leg_curl, Pattern.bridge}),
    Role.quads: frozenset({Pattern.squat, Pattern.lunge, Pattern.step_up, Pattern.leg_extension}),
    Role.calves: frozenset({Pattern.calf_raise, Pattern.plyometric}),
}
# What each role prefers first (the seed's "a hamstring hinge", a bridge for the glutes).
_ROLE_PREFERRED: dict[Role, frozenset[Pattern]] = {
    Role.glutes: frozenset({Pattern.bridge}),
    Role.hamstrings: frozenset({Pattern.hinge}),
    Role.quads: frozenset({Pattern.squat, Pattern.lunge, Pattern.step_up}),
    Role.calves: frozenset({Pattern.calf_raise}),
}
# The seed prescriptions to keep: glute bridge for beginners, lateral band walk for everyone.
_ANCHORS: dict[Role, str] = {Role.glutes: "glute-bridge", Role.abductors: "lateral-band-walk"}
_SINGLE_JOINT = frozenset(
    {
        Pattern.bridge,
        Pattern.leg_curl,
        Pattern.leg_extension,
        Pattern.calf_raise,
        Pattern.abduction,
        Pattern.adduction,
        Pattern.core,
        Pattern.nordic,
    }
)
_EVENT_NAMES = {
    Event.sprint: "sprint",
    Event.middle_distance: "middle-distance race",
    Event.five_k: "5k",
    Event.ten_k: "10k",
    Event.half_marathon: "half marathon",
    Event.marathon: "marathon",
    Event.ultra: "ultra",
}


# ---------------------------------------------------------------------------------------------
# Context: the request normalised, the exercises sorted into roles


@dataclass(frozen=True, slots=True)
class Context:
    level: Level
    focus: Focus
    event: Event
    available: frozenset[Equipment]
    minutes: int
    seed: int
    pools: dict[Role, tuple[Exercise, ...]]
    nordic: Exercise | None
    dose: FocusDose
    index: "CatalogIndex"


def available_equipment(request: GenerationRequest) -> frozenset[Equipment]:
    """The setting's list ∪ the listed equipment; bodyweight always."""
    base = SETTING_EQUIPMENT[request.setting] if request.setting is not None else frozenset()
    return frozenset({Equipment.bodyweight, *base, *request.equipment})


def resolve_focus(request: GenerationRequest) -> Focus:
    return request.focus if request.focus is not None else DEFAULT_FOCUS[request.event]


def _role_of(exercise: Exercise, role: Role, focus: Focus) -> bool:
    if role is Role.abductors:
        return Muscle.hip_abductors in exercise.primary_muscles
    if role is Role.accessory:
        return exercise.pattern in (Pattern.core, Pattern.adduction)
    if exercise.pattern not in _ROLE_PATTERNS[role]:
        return False
    if exercise.pattern is Pattern.plyometric and not (
        role is Role.calves and focus is Focus.power
    ):
        return False
    return _ROLE_MUSCLE[role] in exercise.primary_muscles


@dataclass(frozen=True, slots=True)
class CatalogIndex:
    """What every request reads from the catalog, worked out once per catalog."""

    slugs: frozenset[str]
    # The exercises that can do each role under each focus (`_role_of`), in catalog order.
    roles: dict[tuple[Role, Focus], tuple[Exercise, ...]]
    nordics: tuple[Exercise, ...]  # every Nordic, in catalog order
    majors: dict[str, tuple[Muscle, ...]]  # slug → the major groups among its primary muscles


def _index_catalog(exercises: Sequence[Exercise]) -> CatalogIndex:
    return CatalogIndex(
        slugs=frozenset(e.slug for e in exercises),
        roles={
            (role, focus): tuple(e for e in exercises if _role_of(e, role, focus))
            for role in Role
            for focus in Focus
        },
        nordics=tuple(e for e in exercises if e.pattern is Pattern.nordic),
        majors={
            e.slug: tuple(m for m in e.primary_muscles if m in MAJOR_MUSCLES) for e in exercises
        },
    )


# Catalog tuples (immutable) and their index; held here, a tuple cannot be freed and its id reused.
_INDEXES: dict[int, tuple[Sequence[Exercise], CatalogIndex]] = {}


def catalog_index(exercises: Sequence[Exercise]) -> CatalogIndex:
    """The index of the exercises: made once for a catalog tuple, afresh for anything else."""
    if type(exercises) is not tuple:  # a list may change between two calls
        return _index_catalog(exercises)
    found = _INDEXES.get(id(exercises))
    if found is not None and found[0] is exercises:
        return found[1]
    index = _index_catalog(exercises)
    if len(_INDEXES) >= 8:
        _INDEXES.clear()
    _INDEXES[id(exercises)] = (exercises, index)
    return index


def build_context(request: GenerationRequest, exercises: Sequence[Exercise]) -> Context:
    """Check the request against the catalog and sort the usable exercises into roles."""
    index = catalog_index(exercises)
    for i, slug in enumerate(request.exclude_exercises):
        if slug not in index.slugs:
            raise InvalidInput(f"exclude_exercises[{i}]", f"'{slug}' is not a catalog exercise")
    excluded = frozenset(request.exclude_exercises)
    available = available_equipment(request)
    focus = resolve_focus(request)
    level = request.level

    def fits(exercise: Exercise, *, ignore_exclusions: bool = False) -> bool:
        return (
            available.issuperset(exercise.equipment)
            and exercise.level.rank <= level.rank
            and (ignore_exclusions or exercise.slug not in excluded)
            # Heavy eccentrics (heel drops) are rehab only; Nordics are handled on their own.
            and not exercise.heavy_eccentric
        )

    pools = {role: tuple(e for e in index.roles[role, focus] if fits(e)) for role in Role}
    for role in (*MAJOR_ROLES, Role.abductors):
        if pools[role]:
            continue
        ignoring = [
            e for e in exercises if fits(e, ignore_exclusions=True) and _role_of(e, role, focus)
        ]
        what = "hip abductor" if role is Role.abductors else _ROLE_MUSCLE[role].value
        if ignoring:
            slugs = ", ".join(e.slug for e in ignoring)
            first = min(request.exclude_exercises.index(e.slug) for e in ignoring)
            raise InvalidInput(
                f"exclude_exercises[{first}]",
                f"Every {what} exercise that fits the equipment and level is excluded ({slugs}); "
                f"each session needs one",
            )
        raise InvalidInput(
            "equipment",
            f"No {what} exercise fits this equipment ({', '.join(sorted(available))}) at the "
            f"{level.value} level; each session needs one",
        )
    if not any(e.unilateral for role in MAJOR_ROLES for e in pools[role]):
        raise InvalidInput(
            "exclude_exercises" if excluded else "equipment",
            "No single-leg exercise is left for the glutes, hamstrings, quads or calves; "
            "each session needs one",
        )
    nordic = next(
        (
            e
            for e in index.nordics
            if e.slug not in excluded
            and available.issuperset(e.equipment)
            and e.level.rank <= level.rank
        ),
        None,
    )
    return Context(
        level=level,
        focus=focus,
        event=request.event,
        available=available,
        minutes=request.session_minutes,
        seed=request.seed,
        pools=pools,
        nordic=nordic,
        dose=focus_dose(focus, level),
        index=index,
    )


# ---------------------------------------------------------------------------------------------
# Choosing exercises


class Stage(StrEnum):
    """Which exercise template: base is technique first, build is heavier."""

    base = "base"
    build = "build"


_TARGET_DIFFICULTY = {Level.beginner: 1.0, Level.intermediate: 2.0, Level.advanced: 3.0}


def _score(exercise: Exercise, role: Role, ctx: Context, stage: Stage) -> float:
    target = _TARGET_DIFFICULTY[ctx.level] + (1.0 if stage is Stage.build else 0.0)
    if ctx.focus in (Focus.strength, Focus.power) and ctx.level is not Level.beginner:
        target += 0.5
    score = abs(exercise.difficulty - target)
    if role in _ROLE_PREFERRED and exercise.pattern not in _ROLE_PREFERRED[role]:
        score += 1.5
    if role is Role.calves and ctx.focus is Focus.power and exercise.pattern is Pattern.plyometric:
        score -= 2.0  # power: plyometric contacts for the calves (Spurrs 2003)
    if role in MAJOR_ROLES:
        # Each extra major primary muscle makes weekly volumes harder to balance.
        score += 1.25 * (len(ctx.index.majors[exercise.slug]) - 1)
        if exercise.measure is Measure.seconds and ctx.focus is not Focus.resilience:
            score += 1.0
    anchor = _ANCHORS.get(role)
    if exercise.slug == anchor and (role is Role.abductors or ctx.level is Level.beginner):
        score -= 2.0
    return score


def _pick(
    candidates: Iterable[Exercise], role: Role, ctx: Context, stage: Stage, rng: random.Random
) -> Exercise:
    scored = sorted((round(_score(e, role, ctx, stage), 3), e.slug, e) for e in candidates)
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
        majors.append((role, _pick(options, role, ctx, stage, rng)))
    if not any(e.unilateral for _, e in majors):
        # A single-leg lift in the first role that has one: quads, then hamstrings, glutes, calves.
        for role in (Role.quads, Role.hamstrings, Role.glutes, Role.calves):
            taken = {e.slug for r, e in majors if r is not role}
            options = [e for e in ctx.pools[role] if e.unilateral and e.slug not in taken]
            if options:
                chosen = _pick(options, role, ctx, stage, rng)
                majors = [(r, chosen if r is role else e) for r, e in majors]
                break
    abductor = _pick(ctx.pools[Role.abductors], Role.abductors, ctx, stage, rng)
    accessories = ctx.pools[Role.accessory]
    accessory = _pick(accessories, Role.accessory, ctx, stage, rng) if accessories else None
    return Template(stage=stage, majors=tuple(majors), abductor=abductor, accessory=accessory)


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
        return Item(
            self.exercise,
            self.role,
            self.majors,
            self.max_sets,
            self.reps,
            self.default_rest_s,
            self.work_s,
            self.nordic,
            None if self.fallback is None else self.fallback.copy(),
            self.sets,
            self.rest_s,
            self.superset,
        )


def _reps(exercise: Exercise, role: Role, ctx: Context, heavy: bool) -> tuple[int, int]:
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


def _work_seconds(exercise: Exercise, reps: tuple[int, int], tempo_s: float) -> int:
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


def _default_rest(ctx: Context) -> int:
    return 45 if ctx.focus is Focus.endurance else ctx.dose.rest_s[0]


def make_item(
    exercise: Exercise, role: Role, ctx: Context, *, heavy: bool, nordic: NordicStep | None = None
) -> Item:
    """An exercise dosed for this athlete, before its sets are settled."""
    reps = nordic.reps if nordic else _reps(exercise, role, ctx, heavy)
    slow = nordic is not None or ctx.focus is Focus.resilience
    return Item(
        exercise=exercise,
        role=role,
        majors=ctx.index.majors[exercise.slug],
        max_sets=nordic.sets if nordic else ctx.dose.sets[1],
        reps=reps,
        default_rest_s=_default_rest(ctx),
        # A Nordic is timed at the last step's reps, so the session time holds every week.
        work_s=_work_seconds(
            exercise, NORDIC_STEPS[-1].reps if nordic else reps, 5.0 if slow else 3.0
        ),
        nordic=nordic,
        sets=nordic.sets if nordic else 0,
    )


_ROLE_ORDER = {role: n for n, role in enumerate(Role)}


def _order_key(item: Item) -> tuple[int, int, int]:
    # ACSM 2009: multi-joint before single-joint, harder before easier, large before small.
    ex = item.exercise
    power_first = 0 if ex.pattern is Pattern.plyometric else 1
    single = 1 if ex.pattern in _SINGLE_JOINT else 0
    small = _ROLE_ORDER[item.role]
    return (power_first * 2 + single, -ex.difficulty, small)


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
_BEND_NOTES = (
    "",
    "fewer sets than the focus table asks (down to 2, accessories 1)",
    f"rests cut to {SHORTEST_REST_S} s",
    "exercises paired as supersets so rest overlaps",
    f"warm-up shortened to {WARMUP_SHORTEST} min",
    "accessories left out",
    "main lifts down to 1 set (no major group dropped)",
)


def session_seconds(items: Sequence[Item], warmup_min: int) -> int:
    """Warm-up + Σ sets × (work + rest); inside a superset the rest comes once per round."""
    total = warmup_min * 60
    i = 0
    while i < len(items):
        item = items[i]
        if (
            item.superset is not None
            and i + 1 < len(items)
            and items[i + 1].superset == item.superset
        ):
            partner = items[i + 1]
            total += item.sets * item.work_s + partner.sets * partner.work_s
            total += max(item.sets, partner.sets) * partner.rest_s
            i += 2
            continue
        total += item.sets * (item.work_s + item.rest_s)
        i += 1
    return total


def _apply_bend(items: list[Item], bend: Bend, ctx: Context) -> None:
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
        return Draft(
            items=[item.copy() for item in self.items], bend=self.bend, notes=[*self.notes]
        )


def _floor(item: Item, bend: Bend, ctx: Context, floor_cap: int | None) -> int:
    if item.fixed:
        return item.sets
    major = item.role in MAJOR_ROLES
    wanted = bend.floor_major if major else bend.floor_other
    floor = ctx.dose.sets[0] if wanted is None else min(wanted, ctx.dose.sets[0])
    return min(floor, floor_cap) if floor_cap is not None else floor


def fit_session(
    items: list[Item], ctx: Context, *, keep_abductor: bool, floor_cap: int | None
) -> Draft:
    """The lightest bend at which every exercise fits at its floor sets."""
    budget = ctx.minutes * 60
    ordered = sorted(items, key=_order_key)
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
            item.sets = _floor(item, bend, ctx, floor_cap)
        _apply_bend(kept, bend, ctx)
        draft = Draft(items=kept, bend=bend)
        if draft.seconds() <= budget:
            break
    if draft.bend.level:
        bent = "; ".join(_BEND_NOTES[1 : draft.bend.level + 1])
        draft.notes.append(
            f"A {ctx.minutes}-minute session is shortened, in this order: {bent}. "
            "Every major group stays in."
        )
    return draft


# ---------------------------------------------------------------------------------------------
# Settling the sets of a week: level range, posterior share, minutes, totals


def _counts(drafts: Sequence[Draft]) -> dict[Muscle, int]:
    counts = dict.fromkeys(MAJOR_MUSCLES, 0)
    for draft in drafts:
        for item in draft.items:
            for muscle in item.majors:
                counts[muscle] += item.sets
    return counts


_GLUTES, _HAMSTRINGS, _QUADS, _CALVES = MAJOR_MUSCLES
_ANTERIOR: tuple[Muscle, ...] = (Muscle.quads, Muscle.calves)


def _share(counts: dict[Muscle, int]) -> float | None:
    """`posterior_share` of a week's counts (which hold every major group)."""
    posterior = counts[_GLUTES] + counts[_HAMSTRINGS]
    major = posterior + counts[_QUADS] + counts[_CALVES]
    return posterior / major if major else None


def _share_ok(counts: dict[Muscle, int]) -> bool:
    share = _share(counts)
    return share is not None and POSTERIOR_SHARE_RANGE[0] <= share <= POSTERIOR_SHARE_RANGE[1]


def _share_distance(counts: dict[Muscle, int]) -> float:
    share = _share(counts) or 0.0
    low, high = POSTERIOR_SHARE_RANGE
    return max(low - share, share - high, 0.0)


def _total(drafts: Sequence[Draft]) -> int:
    return sum([item.sets for draft in drafts for item in draft.items])


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
    budget = ctx.minutes * 60
    counts = _counts(drafts)
    # (position of its draft, draft, item) for every item of the week, in session order.
    items = [(n, d, item) for n, d in enumerate(drafts) for item in d.items]

    def forget(item: Item) -> None:
        """Take a dropped item out of `items` and its sets out of the counts."""
        del items[next(n for n, (_, _, i) in enumerate(items) if i is item)]
        for m in item.majors:
            counts[m] -= item.sets

    def can_drop(draft: Draft, item: Item) -> bool:
        rest = [i for i in draft.items if i is not item]
        covered = {m for i in rest for m in i.majors}
        return set(MAJOR_MUSCLES) <= covered and any(
            i.exercise.unilateral for i in rest if i.role in MAJOR_ROLES
        )

    def decrement(muscles: Iterable[Muscle], *, only: Iterable[Muscle] | None = None) -> bool:
        """One set fewer on the biggest item training one of `muscles`."""
        wanted = frozenset(muscles)
        allowed = frozenset(only) if only is not None else None
        options = [
            (p, i)
            for p, _, i in items
            if not i.fixed
            and i.sets > 1
            and not wanted.isdisjoint(i.majors)
            and (allowed is None or allowed.issuperset(i.majors))
        ]
        if not options:
            return False
        _, item = max(options, key=lambda pair: (pair[1].sets, pair[0]))
        item.sets -= 1
        for m in item.majors:
            counts[m] -= 1
        return True

    def increment(muscles: Iterable[Muscle]) -> bool:
        """One set more on the smallest item training only `muscles`, if everything allows."""
        wanted = frozenset(muscles)
        if max_total is not None and _total(drafts) >= max_total:
            return False
        options = sorted(
            (i.sets, p, n)
            for n, (p, _, i) in enumerate(items)
            if not i.fixed
            and i.majors
            and wanted.issuperset(i.majors)
            and i.sets < i.max_sets
            and all(counts[m] < cap for m in i.majors)
        )
        for _, _, n in options:
            _, draft, item = items[n]
            item.sets += 1
            if draft.seconds() > budget:
                item.sets -= 1
                continue
            for m in item.majors:
                counts[m] += 1
            return True
        return False

    def swap_nordic() -> bool:
        """Last resort: the Nordic's fixed dose does not fit this week; its fallback does."""
        for n, (p, draft, item) in enumerate(items):
            if item.fallback is not None:
                replacement = item.fallback
                replacement.sets = 1
                draft.items[_position(draft.items, item)] = replacement
                items[n] = (p, draft, replacement)
                for m in item.majors:
                    counts[m] -= item.sets
                for m in replacement.majors:
                    counts[m] += 1
                _apply_bend(draft.items, draft.bend, ctx)
                return True
        return False

    def drop_redundant(muscles: Iterable[Muscle]) -> bool:
        """Leave out an item training only `muscles` whose session stays balanced without it."""
        wanted = frozenset(muscles)
        for _, draft, item in reversed(items):
            if (
                item.majors
                and wanted.issuperset(item.majors)
                and not item.fixed
                and can_drop(draft, item)
            ):
                draft.items.remove(item)
                forget(item)
                return True
        return False

    # 1. The total may be capped (deloads, tapers): trim the biggest items first.
    if max_total is not None:
        total = _total(drafts)
        while total > max_total:
            options = [i for _, _, i in items if not i.fixed and i.sets > 1]
            if not options:
                break
            item = max(options, key=lambda i: (i.sets, i.role in MAJOR_ROLES))
            item.sets -= 1
            total -= 1
            for m in item.majors:
                counts[m] -= 1
    # 2. No major group above the level's weekly range.
    for muscle in MAJOR_MUSCLES:
        while counts[muscle] > cap:
            if decrement([muscle]):
                continue
            droppable = [
                (d, i) for _, d, i in items if muscle in i.majors and not i.fixed and can_drop(d, i)
            ]
            if not droppable:
                break
            draft, item = droppable[-1]
            draft.items.remove(item)
            forget(item)
    # 3. Posterior share inside 0.50–0.70.
    for _ in range(64):
        share = _share(counts)
        if share is None or _share_ok(counts):
            break
        if share > POSTERIOR_SHARE_RANGE[1]:
            moved = (
                decrement(POSTERIOR_MUSCLES, only=POSTERIOR_MUSCLES)
                or increment(_ANTERIOR)
                or decrement(POSTERIOR_MUSCLES)
                or drop_redundant(POSTERIOR_MUSCLES)
                or swap_nordic()
            )
        else:
            moved = (
                decrement(_ANTERIOR, only=_ANTERIOR)
                or increment(POSTERIOR_MUSCLES)
                or decrement(_ANTERIOR)
                or drop_redundant(_ANTERIOR)
            )
        if not moved:
            break

    # 4. Add sets toward the target, the group furthest behind first.
    out_of_time = _add_toward_target(drafts, items, counts, target, cap, max_total, budget)
    short = [m.value for m in MAJOR_MUSCLES if m in out_of_time and counts[m] < target]
    if explain and short and drafts:
        drafts[0].notes.append(
            f"{ctx.minutes} minutes a session leave no room for more {', '.join(short)} sets "
            f"this week ({target} wanted); longer sessions would reach the level's range."
        )
    if explain:
        for draft in drafts:
            few = [
                i.exercise.name for i in draft.items if not i.fixed and i.sets < ctx.dose.sets[0]
            ]
            if few and not draft.bend.level:
                draft.notes.append(
                    f"Fewer sets than the focus table on {', '.join(few)}: the week already "
                    f"holds the {ctx.level.value} range of at most {cap} sets per major group, "
                    "or the 50–70% glute-and-hamstring share."
                )


def _position(items: list[Item], item: Item) -> int:
    return next(n for n, i in enumerate(items) if i is item)


def _add_toward_target(
    drafts: list[Draft],
    items: list[tuple[int, Draft, Item]],
    counts: dict[Muscle, int],
    target: int,
    cap: int,
    max_total: int | None,
    budget: int,
) -> set[Muscle]:
    """Step 4 of `settle_week`: one set at a time to the group furthest behind `target`, while
    the share moves toward (or stays in) its range and the session keeps inside its minutes.
    Updates `counts`; answers the groups that ran out of minutes."""
    total = _total(drafts)
    blocked: set[int] = set()
    out_of_time: set[Muscle] = set()
    while max_total is None or total < max_total:
        behind = sorted(
            (counts[m] - target, n, m) for n, m in enumerate(MAJOR_MUSCLES) if counts[m] < target
        )
        if not behind:
            break
        # Nothing changes in this round until a set is added (and then the round ends).
        before = _share_distance(counts)
        added = False
        for _, _, muscle in behind:
            choices = sorted(
                (i.sets, p, n)
                for n, (p, _, i) in enumerate(items)
                if n not in blocked and muscle in i.majors and not i.fixed and i.sets < i.max_sets
            )
            for _, _, n in choices:
                _, draft, item = items[n]
                full = [m for m in item.majors if counts[m] + 1 > cap]
                donor: Item | None = None
                if full:
                    # Room for this group by taking a set from an item that trains only the full
                    # muscle (a glute-only bridge makes room for a lunge that also hits glutes).
                    donors = [
                        i
                        for _, _, i in items
                        if len(full) == 1 and i.majors == (full[0],) and not i.fixed and i.sets > 1
                    ]
                    if not donors:
                        blocked.add(n)
                        continue
                    donor = max(donors, key=lambda i: i.sets)
                trial = dict(counts)
                for m in item.majors:
                    trial[m] += 1
                if donor is not None:
                    trial[full[0]] -= 1
                after = _share_distance(trial)
                if after > 0 and after >= before:
                    continue
                item.sets += 1
                if donor is not None:
                    donor.sets -= 1
                if draft.seconds() > budget:
                    item.sets -= 1
                    if donor is not None:
                        donor.sets += 1
                    blocked.add(n)
                    out_of_time.add(muscle)
                    continue
                counts.update(trial)
                total += 0 if donor is not None else 1
                added = True
                break
            if added:
                break
        if not added:
            break
    return out_of_time


# ---------------------------------------------------------------------------------------------
# The week around running

WEEKDAYS: tuple[Weekday, ...] = tuple(Weekday)


def choose_days(
    sessions: int, long_run_day: Weekday | None, hard_run_days: Iterable[Weekday]
) -> tuple[int, ...]:
    """Weekday indexes (0 = Monday) for the sessions, hard-run days first.

    Never on consecutive days, counting Sunday → Monday across weeks; never on the long-run day
    or the day before it. Among the patterns that obey that, the most hard-run days win, then the
    most even spacing, then the earliest days.
    """
    forbidden: set[int] = set()
    if long_run_day is not None:
        forbidden = {long_run_day.number, (long_run_day.number - 1) % 7}
    hard = {day.number for day in hard_run_days}
    allowed = [d for d in range(7) if d not in forbidden]
    best: tuple[tuple[int, int, tuple[int, ...]], tuple[int, ...]] | None = None
    for combo in combinations(allowed, sessions):
        gaps = [(combo[(i + 1) % sessions] - combo[i]) % 7 or 7 for i in range(sessions)]
        if min(gaps) < 2:
            continue
        key = (-len(hard & set(combo)), -min(gaps), combo)
        if best is None or key < best[0]:
            best = (key, combo)
    if best is None:
        where = f" with the long run on {long_run_day.value}" if long_run_day else ""
        raise InvalidInput(
            "sessions_per_week",
            f"{sessions} sessions do not fit in a week{where}: strength never goes on "
            "consecutive days, on the long-run day or on the day before it",
        )
    combo = best[1]
    return tuple(sorted(combo, key=lambda d: (d not in hard, d)))


# ---------------------------------------------------------------------------------------------
# Building the response


_ROLE_WHY = {
    Role.glutes: "Glutes drive hip extension and keep the hips level",
    Role.hamstrings: "Hamstrings extend the hip and bend the knee at push-off",
    Role.quads: "Quads straighten the knee and absorb every landing",
    Role.calves: "Calves steady the ankle and push you off the ground",
    Role.abductors: (
        "Hip abductors (glute medius) keep the pelvis level on each one-leg landing; "
        "every week has some (Distefano 2009, Lewis 2018)"
    ),
    Role.accessory: "Trunk and inner-thigh control keeps the legs' force going where you run",
}
_FOCUS_WHY = {
    Focus.endurance: (
        "endurance focus for the {event}: slow-twitch fibres dominate, so sets of 12–20 at "
        "2–3 reps in reserve build fatigue resistance"
    ),
    Focus.strength: (
        "strength focus for the {event}: moderate-heavy sets with long rests improve running "
        "economy (Blagrove 2018)"
    ),
    Focus.power: (
        "power focus for the {event}: few fast reps and plyometric contacts train fast fibres "
        "and stiffen tendons (Rønnestad & Mujika 2014)"
    ),
    Focus.resilience: (
        "resilience focus: slow eccentrics and holds toughen tendons and muscles against injury"
    ),
}


def _why(item: Item, ctx: Context, phase: Phase, in_taper_days: bool) -> str:
    parts = [_ROLE_WHY[item.role]]
    if item.role is Role.glutes and ctx.focus is Focus.endurance:
        parts = [f"Glute endurance keeps your hips level late in a {_EVENT_NAMES[ctx.event]}"]
    if item.nordic is not None:
        parts = [
            "Nordic curls cut hamstring injuries by about half (van Dyk 2019); dosed by the "
            f"Mjølsnes 2004 progression, step {item.nordic.step} ({item.nordic.per_week}×/week "
            f"at most), never skipping a step"
        ]
    elif item.role in (*MAJOR_ROLES, Role.abductors, Role.accessory):
        parts.append(_FOCUS_WHY[ctx.focus].format(event=_EVENT_NAMES[ctx.event]))
    if item.exercise.unilateral and item.role in MAJOR_ROLES:
        parts.append("one leg at a time, as in running, evens out left and right")
    if item.reps == (8, 12) and ctx.focus is Focus.endurance:
        parts.append("build phase: the main lift goes heavier, 8–12 reps")
    if phase is Phase.deload:
        parts.append("deload week: fewer sets and more in reserve so the body absorbs the work")
    elif phase is Phase.taper:
        parts.append("taper: light and familiar so your legs are fresh on race day")
    elif in_taper_days:
        parts.append("last 10 days before the race: only exercises you already know")
    return "; ".join(parts) + "."


def _load_guidance(item: Item, ctx: Context, rir: int) -> str:
    ex = item.exercise
    if item.nordic is not None:
        return (
            "Bodyweight; lower as slowly as you can, catch yourself with the hands, push back up."
        )
    if ex.measure is Measure.seconds:
        return f"Hold with good form; stop the set with about {rir} seconds' worth of effort left."
    if ex.pattern is Pattern.plyometric:
        return "Bodyweight; quick, springy contacts — stop the set as soon as contacts slow."
    loaded = set(ex.equipment) & {
        Equipment.dumbbell,
        Equipment.kettlebell,
        Equipment.barbell,
        Equipment.machine,
        Equipment.cable,
    }
    if loaded:
        return (
            f"Pick a load you could lift {rir} more times than asked; once you beat the top "
            "of the range by 2 reps in two sessions in a row, add 2–10% (NSCA 2-for-2)."
        )
    if Equipment.band in ex.equipment:
        return (
            f"A band that leaves about {rir} reps in reserve; a lower band works the glutes more."
        )
    return (
        f"Bodyweight, leaving {rir} reps in reserve; when the top of the range feels easy, "
        "slow the lowering or hold a weight."
    )


def _prescription(
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
        load_guidance=_load_guidance(item, ctx, rir),
        cues=list(ex.cues),
        why=_why(item, ctx, phase, in_taper_days),
    )


def _cached_prescription(
    item: Item,
    ctx: Context,
    rir: int,
    phase: Phase,
    in_taper_days: bool,
    cache: dict[tuple[object, ...], Prescription] | None,
) -> Prescription:
    """Weeks that repeat share their (immutable once built) prescriptions."""
    if cache is None:
        return _prescription(item, ctx, rir, phase, in_taper_days)
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
        found = cache[key] = _prescription(item, ctx, rir, phase, in_taper_days)
    return found


def _session(
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
            _cached_prescription(i, ctx, rir, phase, in_taper_days, cache) for i in draft.items
        ],
        notes=list(draft.notes),
    )


# ---------------------------------------------------------------------------------------------
# A single routine


def _template_items(
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


def generate_routine(request: GenerationRequest, exercises: Sequence[Exercise]) -> Session:
    """One balanced leg session: every major group, a single-leg lift, hip-abductor work."""
    ctx = build_context(request, exercises)
    template = choose_template(ctx, Stage.base)
    draft = fit_session(
        _template_items(template, ctx, heavy=False), ctx, keep_abductor=True, floor_cap=None
    )
    _low, high = LEVEL_WEEKLY_SETS[ctx.level]
    target = min(ctx.dose.sets[0] + 1, ctx.dose.sets[1])
    settle_week([draft], ctx, target=target, cap=high, max_total=None)
    title = f"Leg session: {ctx.focus.value} focus for the {_EVENT_NAMES[ctx.event]}"
    return _session(
        draft, ctx, title=title, rir=ctx.dose.rir[1], phase=Phase.base, day=None, weekday=None
    )


# ---------------------------------------------------------------------------------------------
# A plan to race day


@dataclass(frozen=True, slots=True)
class WeekShape:
    """What a week's sessions depend on, besides the sets wanted and the Nordic dose."""

    stage: Stage
    finals: tuple[bool, ...]  # per session: inside the last 10 days before the race
    light: tuple[bool, ...]  # per session: the light race-week session
    floor_cap: int | None
    max_total: int | None
    known: frozenset[str] | None  # with final sessions: the exercises done before them


def _week_days(
    pattern: Sequence[int],
    week_start: date | None,
    phase: Phase,
    race: date | None,
    race_week_taken: bool,
) -> tuple[list[tuple[int, date | None]], set[date]]:
    """This week's (weekday, date) sessions in date order, and the dates in race week."""
    # The days of this week, hard-run days first.
    days: list[tuple[int, date | None]] = []
    for weekday in pattern:
        day = None
        if week_start is not None:
            day = week_start + timedelta(days=(weekday - week_start.weekday()) % 7)
        days.append((weekday, day))
    if race is not None:
        days = [
            (w, d)
            for w, d in days
            if d is not None and d <= race - timedelta(days=LAST_SESSION_DAYS)
        ]
        if phase in (Phase.peak, Phase.taper):
            days = days[:2]  # maintenance: 1–2 sessions a week
        # The 7 days ending on race day (which may straddle two plan weeks): one session.
        in_race_week = sorted(
            ((w, d) for w, d in days if d is not None and d >= race - timedelta(days=6)),
            key=lambda wd: wd[1] or date.min,
        )
        keep = in_race_week[:1] if not race_week_taken else []
        days = [wd for wd in days if wd not in in_race_week or wd in keep]
    elif phase is Phase.peak:
        days = days[:2]
    race_week_days = {
        d for _, d in days if race is not None and d is not None and d >= race - timedelta(days=6)
    }
    days.sort(key=lambda wd: (wd[1] or date.min, wd[0]))
    return days, race_week_days


class Drafter:
    """The sessions of one plan, fitted once and handed out as copies: most weeks repeat them."""

    def __init__(self, ctx: Context, templates: dict[Stage, Template], *, cap: int) -> None:
        self.ctx = ctx
        self.templates = templates
        self.cap = cap
        self._made: dict[tuple[object, ...], Item] = {}
        self._items: dict[tuple[object, ...], list[Item]] = {}
        self._fitted: dict[tuple[object, ...], Draft] = {}
        self._weeks: dict[tuple[object, ...], list[Draft]] = {}

    def week(
        self, shape: "WeekShape", target: int, nordic: NordicStep | None, nordic_sessions: int
    ) -> list[Draft]:
        """The week's sessions with their sets settled (toward `target` per major group, the
        Nordic dose in the first `nordic_sessions`). Most weeks of a phase repeat the same
        inputs: the answer is then a new list of the same drafts."""
        key = (shape, target, nordic, nordic_sessions)
        drafts = self._weeks.get(key)
        if drafts is None:
            drafts = self._weeks[key] = self._draft_week(shape, target, nordic, nordic_sessions)
        return list(drafts)

    def _draft_week(
        self, shape: "WeekShape", target: int, nordic: NordicStep | None, nordic_sessions: int
    ) -> list[Draft]:
        heavy = shape.stage is Stage.build and self.ctx.level is not Level.beginner
        drafts = [
            self.draft(
                shape.stage,
                heavy=heavy,
                nordic=nordic if n < nordic_sessions and not final else None,
                known=shape.known if final and shape.known else None,
                keep_abductor=n == 0,
                floor_cap=1 if light else shape.floor_cap,
            )
            for n, (final, light) in enumerate(zip(shape.finals, shape.light, strict=True))
        ]
        settle_week(
            drafts,
            self.ctx,
            target=target,
            cap=self.cap,
            max_total=shape.max_total,
            explain=shape.floor_cap is None,
        )
        return drafts

    def draft(
        self,
        stage: Stage,
        *,
        heavy: bool,
        nordic: NordicStep | None,
        known: frozenset[str] | None,
        keep_abductor: bool,
        floor_cap: int | None,
    ) -> Draft:
        """`fit_session` of the stage's template; with `known`, only the major lifts and the
        exercises in it (the last days before a race bring nothing new)."""
        items_key = (stage, heavy, nordic)
        items = self._items.get(items_key)
        if items is None:
            items = _template_items(
                self.templates[stage], self.ctx, heavy=heavy, nordic=nordic, made=self._made
            )
            self._items[items_key] = items
        kept = (
            None
            if known is None
            else tuple(i.role in MAJOR_ROLES or i.exercise.slug in known for i in items)
        )
        key = (*items_key, kept, keep_abductor, floor_cap)
        fitted = self._fitted.get(key)
        if fitted is None:
            chosen = [item.copy() for n, item in enumerate(items) if kept is None or kept[n]]
            fitted = fit_session(chosen, self.ctx, keep_abductor=keep_abductor, floor_cap=floor_cap)
            self._fitted[key] = fitted
        return fitted.copy()


@dataclass(frozen=True, slots=True)
class Calendar:
    """How many weeks, when they start, and where the race falls."""

    weeks: int
    start: date | None
    race: date | None


def plan_calendar(request: GenerationRequest) -> Calendar:
    """Weeks from `start_date` to `race_date` (or `weeks`); 422 naming the field at fault."""
    if request.race_date is None:
        return Calendar(weeks=request.weeks or DEFAULT_WEEKS, start=request.start_date, race=None)
    if request.start_date is None:
        raise InvalidInput(
            "start_date",
            "Required with race_date: the service never guesses today's date, and the plan "
            "counts its weeks from start_date",
        )
    days = (request.race_date - request.start_date).days
    if days < 0:
        raise InvalidInput("race_date", "The race is before start_date")
    if days < LAST_SESSION_DAYS:
        raise InvalidInput(
            "race_date",
            f"The race is {days} day(s) after start_date; the last strength session comes "
            f"at least {LAST_SESSION_DAYS} days before a race, so there is no room for one",
        )
    weeks = days // 7 + 1
    if weeks > 52:
        raise InvalidInput("race_date", f"The race is {weeks} weeks after start_date; at most 52")
    if request.weeks is not None and request.weeks != weeks:
        raise InvalidInput(
            "weeks",
            f"start_date to race_date spans {weeks} weeks, not {request.weeks}; "
            "leave weeks out or make it match",
        )
    return Calendar(weeks=weeks, start=request.start_date, race=request.race_date)


def plan_phases(calendar: Calendar) -> list[Phase]:
    """Base (~45%), build (~40%), peak, taper (the weeks holding the last 10 days); a deload
    every 4th week of base and build."""
    n = calendar.weeks
    taper = 0
    if calendar.race is not None and calendar.start is not None:
        first_taper_day = calendar.race - timedelta(days=TAPER_DAYS)
        taper = n - max(0, (first_taper_day - calendar.start).days // 7)
        taper = min(n, max(taper, 1))
    rest = n - taper
    if calendar.race is None:
        base = max(1, math.floor(rest * 0.5 + 0.5)) if rest else 0
        build, peak = rest - base, 0
    else:
        base = max(1, math.floor(rest * 0.45 + 0.5)) if rest else 0
        build = min(rest - base, math.floor(rest * 0.4 + 0.5))
        peak = rest - base - build
    phases = (
        [Phase.base] * base + [Phase.build] * build + [Phase.peak] * peak + [Phase.taper] * taper
    )
    for i in range(DELOAD_EVERY - 1, base + build, DELOAD_EVERY):
        phases[i] = Phase.deload
    return phases


@dataclass(slots=True)
class WeekResult:
    phase: Phase
    start: date | None
    sessions: list[Session]
    total: int
    counts: dict[Muscle, int]
    slugs: set[str]


def _nordic_for_week(phase: Phase, step: int) -> tuple[int, NordicStep | None, int]:
    """(new step, dose, sessions per week at most) for the Nordic progression this week."""
    if phase is Phase.deload:
        return step, None, 0  # the progression pauses; the next week picks up where it was
    if phase is Phase.taper:
        return step, None, 0  # tapers keep heavy eccentric work out
    step = min(step + 1, len(NORDIC_STEPS))
    dose = NORDIC_STEPS[step - 1]
    if phase is Phase.peak:
        return step, replace(dose, per_week=1), 1
    return step, dose, dose.per_week


def generate_plan(request: GenerationRequest, exercises: Sequence[Exercise]) -> Plan:
    """A multi-week plan: base, build, peak and taper to race day (or `weeks` without one)."""
    ctx = build_context(request, exercises)
    calendar = plan_calendar(request)
    phases = plan_phases(calendar)
    pattern = choose_days(request.sessions_per_week, request.long_run_day, request.hard_run_days)
    low, high = LEVEL_WEEKLY_SETS[ctx.level]
    mid = (low + high) // 2
    templates = {
        Stage.base: choose_template(ctx, Stage.base),
        Stage.build: choose_template(ctx, Stage.build),
    }
    drafter = Drafter(ctx, templates, cap=high)
    k = request.sessions_per_week
    regular_weeks = sum(p in (Phase.base, Phase.build, Phase.deload) for p in phases)
    uses_nordic = (
        ctx.nordic is not None
        and k >= 2
        and request.session_minutes >= NORDIC_MIN_MINUTES
        and regular_weeks >= NORDIC_MIN_WEEKS
        and all(
            any(e.unilateral for r, e in t.majors if r is not Role.hamstrings)
            for t in templates.values()
        )
    )
    rationale: list[str] = []
    results: list[WeekResult] = []
    nordic_step = 0
    base_weeks = build_weeks = 0
    last_regular_total = 0
    used_before_final: set[str] = set()
    last_stage: Stage | None = None
    race = calendar.race
    final_from = race - timedelta(days=TAPER_DAYS) if race else None
    previous_target: int | None = None
    race_week_taken = False
    previous_drafts: list[Draft] = []
    prescriptions: dict[tuple[object, ...], Prescription] = {}
    previous_nordic: tuple[NordicStep | None, int, int] = (None, 0, 0)
    for index, phase in enumerate(phases):
        number = index + 1
        week_start = calendar.start + timedelta(days=7 * index) if calendar.start else None
        days, race_week_days = _week_days(pattern, week_start, phase, race, race_week_taken)

        # Volume for the week.
        previous = results[-1] if results else None
        stage = (
            Stage.base
            if phase is Phase.base or (phase is Phase.deload and build_weeks == 0)
            else Stage.build
        )
        floor_cap: int | None = None
        max_total: int | None = None
        target = low
        rir = ctx.dose.rir[1]
        if phase is Phase.base:
            target = min(mid, low + base_weeks)
            base_weeks += 1
        elif phase is Phase.build:
            target = min(high, mid + 1 + build_weeks)
            build_weeks += 1
            rir = ctx.dose.rir[0]
        elif phase is Phase.peak:
            rir = ctx.dose.rir[0]
        elif phase is Phase.deload:
            floor_cap = 1
            rir = ctx.dose.rir[1] + 1
            if previous is not None:
                max_total = math.floor(previous.total * DELOAD_SHARE)
        else:  # taper
            floor_cap = 1
            if last_regular_total:
                max_total = math.floor(last_regular_total * DELOAD_SHARE)
        if (
            previous is not None
            and previous.phase is phase
            and phase in (Phase.base, Phase.build, Phase.peak)
        ):
            max_total = math.floor(previous.total * OVERLOAD_STEP)
        if phase is Phase.taper and results:
            stage = last_stage or Stage.build

        # Nordic progression (Mjølsnes 2004).
        nordic: NordicStep | None = None
        nordic_sessions = 0
        if uses_nordic:
            nordic_step, nordic, per_week = _nordic_for_week(phase, nordic_step)
            nordic_sessions = min(per_week, max(len(days) - 1, 0))

        # Draft the sessions.
        finals = [
            final_from is not None and day is not None and day >= final_from for _, day in days
        ]
        if race_week_days and days:
            reference = max((r.total for r in results if r.phase is Phase.peak), default=0) or max(
                (r.total for r in results), default=0
            )
            max_total = math.floor(reference * RACE_WEEK_SHARE) if reference else None
            target = 0

        shape = WeekShape(
            stage=stage,
            finals=tuple(finals),
            light=tuple(d in race_week_days for _, d in days),
            floor_cap=floor_cap,
            max_total=max_total,
            known=frozenset(used_before_final) if any(finals) else None,
        )

        drafts = drafter.week(shape, target, nordic, nordic_sessions)
        if (
            previous is not None
            and previous.phase is phase
            and _total(drafts) < previous.total
            and previous_target is not None
        ):
            # Inside a phase weekly sets never fall: settle for last week's target instead.
            for wanted in (previous_target, *range(target + 1, high + 1)):
                retry = drafter.week(shape, wanted, nordic, nordic_sessions)
                if _total(retry) > _total(drafts):
                    drafts, target = retry, wanted
                if _total(drafts) >= previous.total:
                    break
            if _total(drafts) < previous.total:
                # Still fewer (a bigger Nordic step took the minutes): repeat last week's step.
                nordic, nordic_sessions, nordic_step = previous_nordic
                drafts = drafter.week(shape, previous_target, nordic, nordic_sessions)
                target = previous_target
            if _total(drafts) < previous.total and len(previous_drafts) == len(drafts):
                # Last week again (its Nordic step too): sets never fall inside a phase.
                drafts = list(previous_drafts)
                nordic, nordic_sessions, nordic_step = previous_nordic
        previous_target = target
        previous_nordic = (nordic, nordic_sessions, nordic_step)
        previous_drafts = list(drafts)
        race_week_taken = race_week_taken or any(d in race_week_days for _, d in days)
        total = _total(drafts)
        if max_total is not None and total > max_total and drafts:
            # Too little room even at one set each: fewer sessions (the rationale says so).
            while drafts and _total(drafts) > max_total:
                drafts.pop()
                days.pop()
                finals.pop()
            if drafts and not any(i.role is Role.abductors for i in drafts[0].items):
                drafts[0] = drafter.draft(
                    stage, heavy=False, nordic=None, known=None, keep_abductor=True, floor_cap=1
                )
                settle_week(drafts, ctx, target=0, cap=high, max_total=max_total, explain=False)
                if _total(drafts) > max_total:
                    drafts, days, finals = [], [], []
            total = _total(drafts)

        sessions: list[Session] = []
        for n, (draft, (day_number, day), final) in enumerate(
            zip(drafts, days, finals, strict=True)
        ):
            session_day = WEEKDAYS[day_number]
            label = "light race-week session" if day in race_week_days else f"{phase.value} session"
            title = f"Week {number} · session {n + 1} ({session_day.value}): {label}"
            session_rir = ctx.dose.rir[1] + 1 if day in race_week_days else rir
            sessions.append(
                _session(
                    draft,
                    ctx,
                    title=title,
                    rir=session_rir,
                    phase=phase,
                    day=day,
                    weekday=session_day,
                    in_taper_days=final,
                    cache=prescriptions,
                )
            )
            if not final:
                used_before_final.update(i.exercise.slug for i in draft.items)
        counts = _counts(drafts)
        for draft in drafts:
            for item in draft.items:
                if item.role in (Role.abductors, Role.accessory):
                    for m in item.exercise.primary_muscles:
                        counts[m] = counts.get(m, 0) + item.sets
        results.append(
            WeekResult(
                phase=phase,
                start=week_start,
                sessions=sessions,
                total=total,
                counts=counts,
                slugs={i.exercise.slug for d in drafts for i in d.items},
            )
        )
        if phase in (Phase.base, Phase.build, Phase.peak) and drafts:
            last_regular_total = total
        last_stage = stage if phase is not Phase.taper else last_stage
    return _assemble_plan(request, ctx, calendar, phases, pattern, results, rationale, uses_nordic)


def _week_ranges(phases: Sequence[Phase], phase: Phase) -> str:
    weeks = [i + 1 for i, p in enumerate(phases) if p is phase]
    if not weeks:
        return ""
    spans: list[str] = []
    start = prev = weeks[0]
    for w in [*weeks[1:], None]:
        if w is not None and w == prev + 1:
            prev = w
            continue
        spans.append(f"{start}" if start == prev else f"{start}–{prev}")
        if w is not None:
            start = prev = w
    return ", ".join(spans)


def _assemble_plan(
    request: GenerationRequest,
    ctx: Context,
    calendar: Calendar,
    phases: Sequence[Phase],
    pattern: Sequence[int],
    results: Sequence[WeekResult],
    rationale: list[str],
    uses_nordic: bool,
) -> Plan:
    low, high = LEVEL_WEEKLY_SETS[ctx.level]
    weeks = [
        Week(
            week=i + 1,
            phase=r.phase,
            start_date=r.start,
            sessions=r.sessions,
            total_sets=r.total,
            sets_by_muscle={m: c for m, c in r.counts.items() if c},
            posterior_share=_rounded(posterior_share(r.counts)),
        )
        for i, r in enumerate(results)
    ]
    active = [r for r in results if r.sessions]
    totals: dict[Muscle, int] = {}
    for r in active:
        for m, c in r.counts.items():
            totals[m] = totals.get(m, 0) + c
    event = _EVENT_NAMES[ctx.event]
    weekday_names = ", ".join(list(Weekday)[d].value for d in sorted(pattern))
    rationale.append(
        f"Focus: {ctx.focus.value}"
        + (" (from the event)" if request.focus is None else " (as asked)")
        + f" — {_FOCUS_WHY[ctx.focus].format(event=event)}. Never to failure: every set keeps "
        "reps in reserve."
    )
    rationale.append(
        f"Volume: {low}–{high} working sets per major group a week for a {ctx.level.value} "
        "(runners need far less than bodybuilders); glutes and hamstrings get 50–70% of them, "
        "because they drive running."
    )
    rationale.append(
        "Every session trains glutes, hamstrings, quads and calves, with at least one single-leg "
        "lift; every week has hip-abductor work. Big multi-joint lifts come first (ACSM 2009)."
    )
    schedule = f"Strength on {weekday_names}: never on consecutive days (48 h for the same muscles)"
    if request.long_run_day is not None:
        before = list(Weekday)[(request.long_run_day.number - 1) % 7].value
        schedule += (
            f", never on the long-run day ({request.long_run_day.value}) "
            f"nor the day before ({before})"
        )
    hard = [d for d in request.hard_run_days if d.number in pattern]
    if hard:
        schedule += (
            f"; on your hard-run days ({', '.join(d.value for d in hard)}), at least 6 hours after "
            "the run, to keep hard days hard and easy days easy"
        )
    elif request.hard_run_days:
        schedule += "; your hard-run days could not take a session without breaking those rules"
    rationale.append(schedule + ".")
    phase_text = [
        f"{phase.value} weeks {_week_ranges(phases, phase)}"
        for phase in (Phase.base, Phase.build, Phase.peak, Phase.deload, Phase.taper)
        if phase in phases
    ]
    rationale.append(
        "Phases: " + "; ".join(phase_text) + ". Base teaches technique with lighter variations; "
        "build adds sets (never more than 20% a week) and heavier variations; peak keeps "
        "strength with 1–2 sessions a week."
    )
    if Phase.deload in phases:
        rationale.append(
            "Every 4th week of base and build is a deload: about 40–50% fewer sets, more reps in "
            "reserve, same days (Bell 2023)."
        )
    if calendar.race is not None:
        rationale.append(
            f"Taper: no new exercise and no Nordic or heavy eccentric work in the last "
            f"{TAPER_DAYS} days; race week has at most one light session, at least "
            f"{LAST_SESSION_DAYS} days before the race, with no more than half the sets of the "
            "peak week."
        )
        empty = [i + 1 for i, r in enumerate(results) if not r.sessions]
        if empty:
            rationale.append(
                "No session in week(s) " + ", ".join(map(str, empty)) + ": the days left there are "
                "too close to the race."
            )
    else:
        start = "dated from start_date" if calendar.start else "by weekday (no start_date given)"
        rationale.append(
            f"No race date: {calendar.weeks} weeks {start}, with deloads and no taper."
        )
    if uses_nordic:
        rationale.append(
            "Nordic hamstring curls follow Mjølsnes 2004 step by step (1×/week 2×5, then 2×/week "
            "2×6, 3×6–8, 3×8–10, then 12-10-8), never skipping a step, at most once a week in "
            "peak and taper, and stop 10 days before the race; they cut hamstring injuries by "
            "about half (van Dyk 2019)."
        )
    if any(s.notes for r in results for s in r.sessions):
        rationale.append(
            f"{request.session_minutes} minutes is short for this work, so sessions bend in this "
            "order: fewer sets (down to 2, then 1 for accessories), rests down to 30 s, supersets, "
            "a 3-minute warm-up, fewer accessories; a major group is never dropped. Each "
            "session's notes say what bent."
        )
    if request.sessions_per_week < 2:
        rationale.append("One session a week keeps strength, but two to three build it faster.")
    elif request.sessions_per_week == 3 and ctx.level is Level.beginner:
        rationale.append("Beginners usually start with two sessions a week; three stay short.")
    summary = PlanSummary(
        weeks=calendar.weeks,
        sessions=sum(len(r.sessions) for r in results),
        focus=ctx.focus,
        level=ctx.level,
        equipment=sorted(ctx.available, key=list(Equipment).index),
        weekly_sets_target=SetRange(min=low, max=high),
        weekly_sets_by_muscle={m: round(c / len(active), 2) for m, c in totals.items() if c}
        if active
        else {},
        posterior_share=_rounded(posterior_share(totals)) or 0.0,
        race_date=calendar.race,
    )
    return Plan(weeks=weeks, summary=summary, rationale=rationale)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
