"""Print a generated plan week by week, compactly, as a coach would read it.

python -m bench.show_plan '{"event": "half_marathon", ...}'   (default: the seed's runner)
"""

import json
import sys

from app.catalog.service import get_catalog
from app.planning.generator import generate_plan
from app.planning.schemas import GenerationRequest

SEED_RUNNER: dict[str, object] = {
    "event": "half_marathon",
    "level": "beginner",
    "setting": "home",
    "sessions_per_week": 2,
    "session_minutes": 45,
    "start_date": "2027-01-04",
    "race_date": "2027-04-11",
    "long_run_day": "sunday",
}


def show(body: dict[str, object]) -> str:
    plan = generate_plan(GenerationRequest.model_validate(body), get_catalog().exercises)
    lines: list[str] = []
    for week in plan.weeks:
        changes = week.progression
        lines.append(
            f"Week {week.week} {week.phase.value} ({week.total_sets} sets, "
            f"share {week.posterior_share})" + (f" — rose: {'; '.join(changes)}" if changes else "")
        )
        for s in week.sessions:
            lines.append(f"  {s.date or s.weekday} {s.title} · {s.estimated_minutes} min")
            for p in s.exercises:
                unit = "" if p.reps.unit == "reps" else f" {p.reps.unit}"
                lines.append(
                    f"    {p.exercise:30} {p.sets}×{p.reps.min}–{p.reps.max}{unit}"
                    f" RIR {p.effort.rir} rest {p.rest_s}s"
                )
            for note in s.notes:
                lines.append(f"    note: {note}")
    lines.append("Rationale:")
    lines.extend(f"  - {r}" for r in plan.rationale)
    return "\n".join(lines)


if __name__ == "__main__":
    print(show(json.loads(sys.argv[1]) if len(sys.argv) > 1 else SEED_RUNNER))
