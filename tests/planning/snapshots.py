"""Fixed requests whose exact answers are pinned by hash, so a refactor can prove it changed
nothing and a behaviour change shows which answers moved.

`python -m tests.planning.snapshots` rewrites `snapshots.json` after a deliberate change.
"""

import hashlib
import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from app.catalog.service import get_catalog
from app.enums import Equipment, Event, Level, Setting, Weekday
from app.errors import InvalidInput
from app.planning.generator import generate_plan, generate_routine
from app.planning.schemas import GenerationRequest
from app.responses import json_bytes
from bench.show_plan import SEED_RUNNER

SNAPSHOTS = Path(__file__).with_name("snapshots.json")


def snapshot_requests() -> list[dict[str, Any]]:
    """The seed's runner, then 49 requests drawn with a fixed seed over the input space."""
    rng = random.Random("legwork-snapshots")
    bodies: list[dict[str, Any]] = [dict(SEED_RUNNER)]
    while len(bodies) < 50:
        start = date(2027, 1, 4) + timedelta(days=rng.randrange(0, 60))
        body: dict[str, Any] = {
            "event": rng.choice(list(Event)).value,
            "level": rng.choice(list(Level)).value,
            "setting": rng.choice([None, *Setting]),
            "equipment": sorted(rng.sample([e.value for e in Equipment], rng.randrange(0, 3))),
            "sessions_per_week": rng.randint(1, 3),
            "session_minutes": rng.choice([15, 20, 30, 45, 60, 90]),
            "long_run_day": rng.choice([None, *(d.value for d in Weekday)]),
            "hard_run_days": sorted(rng.sample([d.value for d in Weekday], rng.randrange(0, 3))),
            "seed": rng.choice([0, 0, 1, 7, 12345]),
            "start_date": start.isoformat(),
        }
        if rng.random() < 0.75:
            body["race_date"] = (start + timedelta(days=rng.randrange(5, 7 * 30))).isoformat()
        else:
            body["weeks"] = rng.randint(1, 20)
        bodies.append(body)
    return bodies


def answer(body: dict[str, Any]) -> dict[str, str]:
    """SHA-256 of the plan's and the routine's bytes (or of the 422's field and detail)."""
    request = GenerationRequest.model_validate(body)
    exercises = get_catalog().exercises
    hashes: dict[str, str] = {}
    for name, generate in (("plan", generate_plan), ("routine", generate_routine)):
        try:
            data = json_bytes(generate(request, exercises))
        except InvalidInput as error:
            data = json.dumps([error.detail, [e.field for e in error.errors or []]]).encode()
        hashes[name] = hashlib.sha256(data).hexdigest()
    return hashes


def current() -> list[dict[str, Any]]:
    return [{"request": body, **answer(body)} for body in snapshot_requests()]


if __name__ == "__main__":
    SNAPSHOTS.write_text(json.dumps(current(), indent=1) + "\n")
    print(f"wrote {SNAPSHOTS}")
