"""The request normalised and the catalog sorted into roles: what every later step reads."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from app.catalog.models import Exercise, Pattern
from app.enums import (
    MAJOR_MUSCLES,
    SETTING_EQUIPMENT,
    Equipment,
    Event,
    Focus,
    Level,
    Muscle,
)
from app.errors import InvalidInput
from app.planning.rules import (
    DEFAULT_FOCUS,
    MAJOR_ROLES,
    ROLE_MUSCLE,
    ROLE_PATTERNS,
    FocusDose,
    Role,
    focus_dose,
)
from app.planning.schemas import (
    GenerationRequest,
    Prescription,
)

if TYPE_CHECKING:  # they read the context
    from app.planning.dosing import Item
    from app.planning.render import SessionDose

T = TypeVar("T")
# A 24-week plan settles ~15 distinct weeks, ~4 KB each: 48 keep the weeks of ~3 schedules
# (~200 KB) for each context.
WEEKS_MAX = 48
# A 24-week plan renders ~80 distinct prescriptions, ~1 KB each with their lists: 128 keep
# those of one or two schedules (~130 KB) for each context.
PRESCRIPTIONS_MAX = 128
# A 24-week plan renders ~35 distinct sessions' lists of prescriptions (each a list of a few
# shared ones): 128 keep those of a few schedules.
SESSIONS_MAX = 128

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
    excluded: frozenset[str]
    plyometrics: tuple[Exercise, ...]  # the plyometric ladder this athlete may climb, in order
    # Answers that depend on the context alone, keyed by what else they depend on, worked out
    # once for every request that shares the context (`build_context`): templates, dosed items
    # and fitted sessions (handed out as copies), swaps, words, the described part of each
    # prescription. Bounded by the context's inputs; contexts are at most CONTEXTS_MAX.
    memo: dict[tuple[object, ...], object] = field(default_factory=dict)
    # Settled weeks (app.planning.periodisation.Drafter), apart: they depend on the schedule
    # too, and a context shared by many schedules would keep every one. At most WEEKS_MAX.
    weeks: dict[tuple[object, ...], object] = field(default_factory=dict)
    # Rendered prescriptions (app.planning.render.RenderCache), by all they depend on: every
    # plan of the context shows most of them again. At most PRESCRIPTIONS_MAX.
    prescriptions: dict[tuple[object, ...], Prescription] = field(default_factory=dict)
    # A draft's items → its prescriptions for each session dose (RenderCache.by_items). At
    # most SESSIONS_MAX.
    sessions: "dict[int, tuple[list[Item], dict[SessionDose, list[Prescription]]]]" = field(
        default_factory=dict
    )

    def remember(self, key: tuple[object, ...], make: Callable[[], T]) -> T:
        """`make()` once per request inputs: the same answer for the same key afterwards."""
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = make()
        return found  # type: ignore[return-value]

    def remember_week(self, key: tuple[object, ...], make: Callable[[], T]) -> T:
        """`remember` for a settled week: the same answer for the same key, while the context
        holds it (at most WEEKS_MAX weeks; cleared when full)."""
        found = self.weeks.get(key)
        if found is None:
            if len(self.weeks) >= WEEKS_MAX:
                self.weeks.clear()
            found = self.weeks[key] = make()
        return found  # type: ignore[return-value]

    def fits(self, exercise: Exercise, *, any_level: bool = False) -> bool:
        """The athlete has the equipment, the level (unless `any_level`) and did not exclude it."""
        return (
            self.available.issuperset(exercise.equipment)
            and (any_level or exercise.level.rank <= self.level.rank)
            and exercise.slug not in self.excluded
            and not exercise.heavy_eccentric
        )


def available_equipment(request: GenerationRequest) -> frozenset[Equipment]:
    """The setting's list ∪ the listed equipment; bodyweight always."""
    base = SETTING_EQUIPMENT[request.setting] if request.setting is not None else frozenset()
    return frozenset({Equipment.bodyweight, *base, *request.equipment})


def resolve_focus(request: GenerationRequest) -> Focus:
    return request.focus if request.focus is not None else DEFAULT_FOCUS[request.event]


def role_of(exercise: Exercise, role: Role, focus: Focus) -> bool:
    if role is Role.abductors:
        return Muscle.hip_abductors in exercise.primary_muscles
    if role is Role.accessory:
        return exercise.pattern in (Pattern.core, Pattern.adduction)
    if exercise.pattern not in ROLE_PATTERNS[role]:
        return False
    if exercise.pattern is Pattern.plyometric and not (
        role is Role.calves and focus is Focus.power
    ):
        return False
    return ROLE_MUSCLE[role] in exercise.primary_muscles


@dataclass(frozen=True, slots=True)
class CatalogIndex:
    """What every request reads from the catalog, worked out once per catalog."""

    slugs: frozenset[str]
    # The exercises that can do each role under each focus (`role_of`), in catalog order.
    roles: dict[tuple[Role, Focus], tuple[Exercise, ...]]
    nordics: tuple[Exercise, ...]  # every Nordic, in catalog order
    majors: dict[str, tuple[Muscle, ...]]  # slug → the major groups among its primary muscles
    by_slug: dict[str, Exercise]
    plyometric_ladder: tuple[Exercise, ...]  # pogo hops → … → drop jumps, by progression links


def _plyometric_ladder(exercises: Sequence[Exercise]) -> tuple[Exercise, ...]:
    by_slug = {e.slug: e for e in exercises}
    plyos = [e for e in exercises if e.pattern is Pattern.plyometric]
    first = next((e for e in plyos if e.regression is None and e.progression is not None), None)
    ladder: list[Exercise] = []
    while first is not None and first.pattern is Pattern.plyometric and first not in ladder:
        ladder.append(first)
        first = by_slug.get(first.progression) if first.progression else None
    return tuple(ladder)


def index_catalog(exercises: Sequence[Exercise]) -> CatalogIndex:
    return CatalogIndex(
        slugs=frozenset(e.slug for e in exercises),
        roles={
            (role, focus): tuple(e for e in exercises if role_of(e, role, focus))
            for role in Role
            for focus in Focus
        },
        nordics=tuple(e for e in exercises if e.pattern is Pattern.nordic),
        majors={
            e.slug: tuple(m for m in e.primary_muscles if m in MAJOR_MUSCLES) for e in exercises
        },
        by_slug={e.slug: e for e in exercises},
        plyometric_ladder=_plyometric_ladder(exercises),
    )


# Catalog tuples (immutable) and their index; held here, a tuple cannot be freed and its id reused.
INDEXES: dict[int, tuple[Sequence[Exercise], CatalogIndex]] = {}


def catalog_index(exercises: Sequence[Exercise]) -> CatalogIndex:
    """The index of the exercises: made once for a catalog tuple, afresh for anything else."""
    if type(exercises) is not tuple:  # a list may change between two calls
        return index_catalog(exercises)
    found = INDEXES.get(id(exercises))
    if found is not None and found[0] is exercises:
        return found[1]
    index = index_catalog(exercises)
    if len(INDEXES) >= 8:
        INDEXES.clear()
    INDEXES[id(exercises)] = (exercises, index)
    return index


# Contexts by what they depend on, for a catalog tuple: requests that differ only in their
# schedule share one, with the answers it remembers (`memo`). Bounded: cleared when full. A
# plan's context keeps ~110 KB of memo, up to ~200 KB of settled weeks (~60 KB for one
# 24-week schedule) and up to ~130 KB of prescriptions (~80 KB for one), and stored plans are
# made in the server process: 64 of them keep at most ~28 MB there, ~16 MB with one such
# schedule each, of a worker's 150 MB budget. The seed
# is part of the key, so contexts are shared by an athlete's own requests far more than by
# other athletes': more of them would hold memory that is rarely read again.
CONTEXTS: dict[tuple[object, ...], tuple[Sequence[Exercise], Context]] = {}
CONTEXTS_MAX = 64


def build_context(request: GenerationRequest, exercises: Sequence[Exercise]) -> Context:
    """The request's context: made once for the same catalog and inputs, and shared."""
    if type(exercises) is not tuple:
        return _build_context(request, exercises)
    key = (
        id(exercises),
        request.event,
        request.level,
        request.focus,
        request.setting,
        frozenset(request.equipment),
        frozenset(request.exclude_exercises),
        request.session_minutes,
        request.seed,
    )
    found = CONTEXTS.get(key)
    if found is not None and found[0] is exercises:
        return found[1]
    ctx = _build_context(request, exercises)  # a 422 is raised here, never remembered
    if len(CONTEXTS) >= CONTEXTS_MAX:
        CONTEXTS.clear()
    CONTEXTS[key] = (exercises, ctx)
    return ctx


def _build_context(request: GenerationRequest, exercises: Sequence[Exercise]) -> Context:
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
            e for e in exercises if fits(e, ignore_exclusions=True) and role_of(e, role, focus)
        ]
        what = "hip abductor" if role is Role.abductors else ROLE_MUSCLE[role].value
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
        excluded=excluded,
        plyometrics=tuple(
            e
            for e in index.plyometric_ladder
            if available.issuperset(e.equipment)
            and e.level.rank <= level.rank
            and e.slug not in excluded
        ),
    )
