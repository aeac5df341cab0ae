"""A sweep over every event × level × setting × sessions × seed: which backbone lift each plan
chooses. `python -m tests.planning.sweep` prints the counts."""

from collections import Counter
from itertools import product
from typing import Any

from app.catalog.service import get_catalog
from app.enums import Equipment, Event, Level
from app.planning.generator import generate_plan
from app.planning.rules import BACKBONE
from app.planning.schemas import GenerationRequest

SETTINGS: dict[str, dict[str, Any]] = {
    "home": {"setting": "home"},
    "gym": {"setting": "gym"},
    "bodyweight": {"equipment": []},
    "band and kettlebell": {"equipment": [Equipment.band, Equipment.kettlebell]},
}
SEEDS = range(6)
BACKBONE_LIFTS = frozenset().union(*BACKBONE.values())


def sweep_requests() -> list[GenerationRequest]:
    return [
        GenerationRequest.model_validate(
            {
                "event": event,
                "level": level,
                "sessions_per_week": sessions,
                "session_minutes": 60,
                "weeks": 8,
                "long_run_day": "sunday",
                "seed": seed,
                **settings,
            }
        )
        for event, level, settings, sessions, seed in product(
            Event, Level, SETTINGS.values(), (2, 3), SEEDS
        )
    ]


def backbone_counts() -> tuple[Counter[str], int]:
    """How many plans chose each backbone lift, and how many plans there were."""
    counts: Counter[str] = Counter()
    requests = sweep_requests()
    for request in requests:
        plan = generate_plan(request, get_catalog().exercises)
        chosen = {
            p.exercise
            for w in plan.weeks
            for s in w.sessions
            for p in s.exercises
            if p.exercise in BACKBONE_LIFTS
        }
        counts.update(chosen)
    return counts, len(requests)


def allowed_somewhere() -> set[str]:
    """Backbone lifts whose equipment one of the sweep's settings has and whose level exists."""
    from app.planning.context import available_equipment

    by_slug = {e.slug: e for e in get_catalog().exercises}
    kits = {available_equipment(r) for r in sweep_requests()[:: len(SEEDS) * 2]}
    return {
        slug
        for slug in BACKBONE_LIFTS
        if any(kit.issuperset(by_slug[slug].equipment) for kit in kits)
        and by_slug[slug].level.rank <= Level.advanced.rank
    }


if __name__ == "__main__":
    counts, plans = backbone_counts()
    print(f"{plans} plans")
    for slug in sorted(BACKBONE_LIFTS, key=lambda s: -counts[s]):
        print(f"{slug:30} {counts[slug]}")
