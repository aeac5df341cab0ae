"""The exercise catalog: loaded once from `exercises.toml`, validated, then queried in memory.

Other domains use `get_catalog()`; nothing else reads the data file.
"""

import functools
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.catalog.models import Exercise, Pattern
from app.enums import SETTING_EQUIPMENT, Equipment, Level, Muscle, Setting
from app.errors import NotFound

DEFAULT_CATALOG_PATH = Path(__file__).with_name("exercises.toml")

# Paths under /v1/exercises/ that are not catalog exercises (account-scoped custom exercises).
RESERVED_SLUGS = frozenset({"custom"})


class CatalogError(Exception):
    """The catalog data is broken. One line per problem, each naming the entry and the field."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = tuple(problems)


def normalize_name(name: str) -> str:
    """How exercise names and aliases are compared: case-insensitive, whitespace collapsed."""
    return " ".join(name.split()).casefold()


class Catalog:
    """Every catalog exercise, in file order, with lookups by slug and by name or alias."""

    def __init__(self, exercises: Iterable[Exercise], *, source: str = "catalog") -> None:
        """Index the exercises; raises `CatalogError` when they contradict each other."""
        self.exercises: tuple[Exercise, ...] = tuple(exercises)
        problems = _cross_check(self.exercises)
        if problems:
            raise CatalogError([f"{source}: {problem}" for problem in problems])
        self._by_slug = {exercise.slug: exercise for exercise in self.exercises}
        self._position = {exercise.slug: i for i, exercise in enumerate(self.exercises)}
        self._by_name = {
            normalize_name(name): exercise
            for exercise in self.exercises
            for name in (exercise.name, *exercise.aliases)
        }

    def __len__(self) -> int:
        return len(self.exercises)

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self.exercises)

    def __contains__(self, slug: object) -> bool:
        return slug in self._by_slug

    def get(self, slug: str) -> Exercise | None:
        """The exercise with this slug, or None."""
        return self._by_slug.get(slug)

    def require(self, slug: str) -> Exercise:
        """The exercise with this slug; `NotFound` (404) when there is none."""
        exercise = self._by_slug.get(slug)
        if exercise is None:
            raise NotFound(f"No catalog exercise has the slug '{slug}'")
        return exercise

    def by_alias(self, name: str) -> Exercise | None:
        """The exercise with this name or alias (as Strong, Hevy... call it), ignoring case."""
        return self._by_name.get(normalize_name(name))

    def search(
        self,
        *,
        muscle: Muscle | None = None,
        equipment: Iterable[Equipment] | None = None,
        setting: Setting | None = None,
        level: Level | None = None,
        pattern: Pattern | None = None,
        q: str | None = None,
        after: str | None = None,
    ) -> list[Exercise]:
        """The exercises matching every given filter, in catalog order.

        - `muscle`: a primary or secondary muscle of the exercise.
        - `equipment`: what the athlete has; bodyweight is always assumed. The exercise matches
          when everything it needs is available.
        - `setting`: the same, with the setting's equipment list (both apply when both given).
        - `level`: the exercise suits this level (its `level` is at most this one).
        - `q`: case-insensitive substring of the slug, the name or an alias.
        - `after`: only exercises after this catalog slug, in catalog order (pagination);
          it must be a slug of this catalog (`KeyError` otherwise).
        """
        # Coerced so that callers passing plain strings ("glutes") get the same answer.
        muscle = Muscle(muscle) if muscle is not None else None
        level = Level(level) if level is not None else None
        pattern = Pattern(pattern) if pattern is not None else None
        available: set[Equipment] | None = None
        if equipment is not None:
            available = {Equipment.bodyweight, *(Equipment(item) for item in equipment)}
        if setting is not None:
            in_setting = set(SETTING_EQUIPMENT[Setting(setting)]) | {Equipment.bodyweight}
            available = in_setting if available is None else available & in_setting
        needle = normalize_name(q) if q is not None else ""
        start = 0 if after is None else self._position[after] + 1
        return [
            exercise
            for exercise in self.exercises[start:]
            if (
                muscle is None
                or muscle in exercise.primary_muscles
                or muscle in exercise.secondary_muscles
            )
            and (available is None or available.issuperset(exercise.equipment))
            and (level is None or exercise.level.rank <= level.rank)
            and (pattern is None or exercise.pattern is pattern)
            and (not needle or _mentions(exercise, needle))
        ]


def _mentions(exercise: Exercise, needle: str) -> bool:
    return any(
        needle in normalize_name(text) for text in (exercise.slug, exercise.name, *exercise.aliases)
    )


def _cross_check(exercises: Sequence[Exercise]) -> list[str]:
    """What the field validators cannot see: uniqueness and ladders that hold together."""
    problems: list[str] = []

    def entry(i: int) -> str:
        return f"exercise #{i + 1} ({exercises[i].slug})"

    slug_index: dict[str, int] = {}
    name_index: dict[str, int] = {}
    for i, exercise in enumerate(exercises):
        if exercise.slug in RESERVED_SLUGS:
            problems.append(f"{entry(i)}: slug '{exercise.slug}' is reserved")
        if exercise.slug in slug_index:
            problems.append(
                f"{entry(i)}: slug '{exercise.slug}' is already used by "
                f"exercise #{slug_index[exercise.slug] + 1}"
            )
        else:
            slug_index[exercise.slug] = i
        for field, text in [("name", exercise.name)] + [
            (f"aliases[{k}]", alias) for k, alias in enumerate(exercise.aliases)
        ]:
            key = normalize_name(text)
            owner = name_index.setdefault(key, i)
            if owner != i:
                problems.append(
                    f"{entry(i)}: {field} '{text}' is already the name or an alias "
                    f"of {entry(owner)}"
                )

    by_slug = {exercise.slug: exercise for exercise in exercises}
    for i, exercise in enumerate(exercises):
        for field, inverse in (("progression", "regression"), ("regression", "progression")):
            target_slug: str | None = getattr(exercise, field)
            if target_slug is None:
                continue
            target = by_slug.get(target_slug)
            if target_slug == exercise.slug:
                problems.append(f"{entry(i)}: {field} '{target_slug}' is the exercise itself")
            elif target is None:
                problems.append(f"{entry(i)}: {field} '{target_slug}' is not a catalog slug")
            elif getattr(target, inverse) != exercise.slug:
                problems.append(
                    f"{entry(i)}: {field} '{target_slug}' has {inverse} "
                    f"{getattr(target, inverse)!r}, expected '{exercise.slug}'"
                )
    if not problems:
        problems.extend(_ladder_cycles(exercises, by_slug))
    return problems


def _ladder_cycles(exercises: Sequence[Exercise], by_slug: dict[str, Exercise]) -> list[str]:
    problems: list[str] = []
    for i, exercise in enumerate(exercises):
        seen = {exercise.slug}
        step = exercise.progression
        while step is not None:
            if step in seen:
                problems.append(
                    f"exercise #{i + 1} ({exercise.slug}): "
                    f"progression ladder loops back to '{step}'"
                )
                break
            seen.add(step)
            step = by_slug[step].progression
    return problems


def _validate_entries(entries: list[Any], source: str) -> list[Exercise]:
    exercises: list[Exercise] = []
    problems: list[str] = []
    for i, raw in enumerate(entries):
        slug = raw.get("slug") if isinstance(raw, dict) else None
        label = f"{source}: exercise #{i + 1}" + (f" ({slug})" if isinstance(slug, str) else "")
        if not isinstance(raw, dict):
            problems.append(f"{label}: not a table")
            continue
        try:
            exercises.append(Exercise.model_validate(raw))
        except ValidationError as exc:
            for error in exc.errors():
                field = _field_path(error["loc"])
                problems.append(f"{label}: {field}: {error['msg']} (got {error['input']!r})")
    if problems:
        raise CatalogError(problems)
    return exercises


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else part)
    return path or "(entry)"


def load_catalog(path: Path = DEFAULT_CATALOG_PATH) -> Catalog:
    """Parse and validate a catalog data file; `CatalogError` names every broken entry and field."""
    source = path.name
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except OSError as exc:
        raise CatalogError([f"{source}: cannot be read: {exc}"]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError([f"{source}: not valid TOML: {exc}"]) from exc
    unknown = sorted(set(data) - {"exercise"})
    if unknown:
        raise CatalogError([f"{source}: unknown top-level keys {unknown}; expected [[exercise]]"])
    entries = data.get("exercise")
    if not isinstance(entries, list) or not entries:
        raise CatalogError([f"{source}: no [[exercise]] entries"])
    return Catalog(_validate_entries(entries, source), source=source)


@functools.cache
def get_catalog() -> Catalog:
    """The catalog shipped with the app, loaded and validated once."""
    return load_catalog()
