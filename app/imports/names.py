"""Exercise names as other apps write them → catalog slugs, or what a custom exercise gets.

Pure: the catalog's `aliases` are matched case- and punctuation-insensitively, with Strong's
equipment suffix understood ("Romanian Deadlift (Dumbbell)" is also tried as "Dumbbell Romanian
Deadlift" and as "Romanian Deadlift"). A name the catalog lacks gets primary muscles from the
obvious words in it (table below) or none. docs/imports.md"""

import functools
import re
from dataclasses import dataclass

from app.catalog.service import get_catalog
from app.custom_exercises.schemas import slugify
from app.enums import Equipment, Muscle

_SUFFIX = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")

# Words (whole words of the name, compared without case or punctuation) → primary muscles.
MUSCLE_WORDS: dict[str, tuple[Muscle, ...]] = {
    "calf": (Muscle.calves,),
    "calves": (Muscle.calves,),
    "soleus": (Muscle.calves,),
    "glute": (Muscle.glutes,),
    "glutes": (Muscle.glutes,),
    "hip thrust": (Muscle.glutes,),
    "bridge": (Muscle.glutes,),
    "kickback": (Muscle.glutes,),
    "hamstring": (Muscle.hamstrings,),
    "hamstrings": (Muscle.hamstrings,),
    "leg curl": (Muscle.hamstrings,),
    "nordic": (Muscle.hamstrings,),
    "deadlift": (Muscle.hamstrings, Muscle.glutes),
    "rdl": (Muscle.hamstrings, Muscle.glutes),
    "quad": (Muscle.quads,),
    "quads": (Muscle.quads,),
    "leg press": (Muscle.quads, Muscle.glutes),
    "leg extension": (Muscle.quads,),
    "squat": (Muscle.quads, Muscle.glutes),
    "squats": (Muscle.quads, Muscle.glutes),
    "lunge": (Muscle.quads, Muscle.glutes),
    "lunges": (Muscle.quads, Muscle.glutes),
    "step up": (Muscle.quads, Muscle.glutes),
    "abduction": (Muscle.hip_abductors,),
    "abductor": (Muscle.hip_abductors,),
    "adduction": (Muscle.adductors,),
    "adductor": (Muscle.adductors,),
    "plank": (Muscle.core,),
    "crunch": (Muscle.core,),
    "sit up": (Muscle.core,),
}

# Strong's and Hevy's equipment suffixes → what a custom exercise needs.
EQUIPMENT_WORDS: dict[str, Equipment] = {
    "barbell": Equipment.barbell,
    "dumbbell": Equipment.dumbbell,
    "kettlebell": Equipment.kettlebell,
    "machine": Equipment.machine,
    "cable": Equipment.cable,
    "band": Equipment.band,
    "smith machine": Equipment.machine,
    "plate loaded": Equipment.machine,
}


def match_key(name: str) -> str:
    """How names are compared: no case, no punctuation, single spaces."""
    return " ".join(re.sub(r"[^\w]+", " ", name.casefold()).split())


def _spellings(name: str) -> list[str]:
    """The keys a name may be known by: as written, the suffix as a prefix, no suffix."""
    keys = [match_key(name)]
    suffixed = _SUFFIX.match(name)
    if suffixed:
        base, qualifier = suffixed.groups()
        keys += [match_key(f"{qualifier} {base}"), match_key(base)]
    return keys


@functools.cache
def _catalog_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for exercise in get_catalog():
        for text in (exercise.name, *exercise.aliases, exercise.slug):
            keys.setdefault(match_key(text), exercise.slug)
    return keys


def catalog_slug(name: str) -> str | None:
    """The catalog exercise a name means, or None."""
    keys = _catalog_keys()
    return next((keys[k] for k in _spellings(name) if k in keys), None)


@dataclass(frozen=True)
class NewExercise:
    """A custom exercise to create for a name the catalog lacks."""

    slug: str
    name: str
    primary_muscles: tuple[Muscle, ...]
    equipment: tuple[Equipment, ...]


def new_exercise(name: str, taken: set[str]) -> NewExercise:
    """What a custom exercise for `name` gets: a free slug, muscles and equipment from its words."""
    padded = f" {match_key(name)} "
    muscles: list[Muscle] = []
    for words, found in MUSCLE_WORDS.items():
        if f" {words} " in padded:
            muscles += [m for m in found if m not in muscles]
    equipment = [kind for words, kind in EQUIPMENT_WORDS.items() if f" {words} " in padded]
    base = slugify(name)
    if len(base) < 2:
        base = "imported-exercise"
    slug, n = base, 1
    while slug in taken or get_catalog().get(slug) is not None:
        n += 1
        suffix = f"-{n}"
        slug = base[: 64 - len(suffix)].strip("-") + suffix
    return NewExercise(
        slug=slug,
        name=name[:100],
        primary_muscles=tuple(muscles),
        equipment=tuple(dict.fromkeys(equipment)) or (Equipment.bodyweight,),
    )
