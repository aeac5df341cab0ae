"""Loads from the athlete's own logged sets (docs/training.md "Loads from the logs").

One pure implementation for the stateless generators (`working_sets` in the request) and, later,
stored plans: given an exercise's logged working sets, the prescription's rep range and target
RIR, the athlete's level and the day, the load in kilograms and a sentence saying why.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from app.catalog.models import Exercise
from app.enums import Equipment, Level
from app.progress.formulas import MAX_E1RM_RTF, e1rm_epley, reps_to_failure

# The smallest load change each kind of equipment makes (overridable per athlete).
DEFAULT_STEPS_KG: dict[Equipment, float] = {
    Equipment.barbell: 2.5,
    Equipment.dumbbell: 2.0,
    Equipment.kettlebell: 2.0,
    Equipment.machine: 5.0,
    Equipment.cable: 5.0,
}
# NSCA 2-for-2: beginners add 5–10 %, intermediate and advanced 2–5 %; the low end, at least a step.
RAISE = {Level.beginner: 0.05, Level.intermediate: 0.025, Level.advanced: 0.025}
RESTART_AFTER_DAYS = 14  # ≥ 14 days without the exercise: restart lighter
RESTART_SHARE = 0.9  # ~10 % lighter
RECENT_DAYS = 28  # the sets an estimate is made from: the last 4 weeks logged
BEAT_BY = 2  # the target beaten by ≥ 2 reps …
BEAT_SESSIONS = 2  # … in two consecutive sessions (the words say "two")


@dataclass(frozen=True, slots=True)
class LoggedSet:
    """One logged working set, as the loads rules read it."""

    exercise: str
    day: date
    load_kg: float
    reps: int
    rir: int | None = None
    rpe: float | None = None

    @property
    def rtf(self) -> float:
        return reps_to_failure(self.reps, self.rir, self.rpe)

    @property
    def reserve(self) -> float:
        """Reps in reserve as logged (RIR, else 10 − RPE); unknown counts as on target."""
        return self.rtf - self.reps


@dataclass(frozen=True, slots=True)
class Load:
    """A prescription's load: kilograms (None for bodyweight work) and why, in words."""

    load_kg: float | None
    note: str


def step_kg(exercise: Exercise, steps: Mapping[Equipment, float] | None = None) -> float | None:
    """The exercise's load step: the coarsest step among its loading equipment."""
    table = {**DEFAULT_STEPS_KG, **(steps or {})}
    found = [table[e] for e in exercise.equipment if e in table]
    return max(found) if found else None


def round_to_step(load_kg: float, step: float | None) -> float:
    """The nearest load the equipment can make (0.5 kg when the step is unknown)."""
    unit = step or 0.5
    return round(math.floor(load_kg / unit + 0.5) * unit, 2)


def next_load(
    logged: Sequence[LoggedSet],
    exercise: Exercise,
    *,
    reps: tuple[int, int],
    rir: int,
    level: Level,
    on: date,
    steps: Mapping[Equipment, float] | None = None,
) -> Load:
    """The load for a prescription of `reps` at `rir` on day `on`, from the exercise's sets."""
    sets = sorted(
        (s for s in logged if s.exercise == exercise.slug and s.day <= on and s.load_kg > 0),
        key=lambda s: s.day,
    )
    if not sets:
        return Load(None, "No loaded sets of this exercise logged yet: find the load as described.")
    step = step_kg(exercise, steps)
    target = reps[1]
    sessions = _sessions(sets)
    last = sessions[-1]
    last_day = last[0].day
    recent = [s for s in sets if (last_day - s.day).days < RECENT_DAYS]
    estimate, how = _estimate(recent, target, rir)
    # Never above what was lifted last time, except by the 2-for-2 step (NSCA).
    last_load = max(s.load_kg for s in last)
    ceiling = last_load
    away = (on - last_day).days
    share = 1.0
    why: list[str] = []
    if away >= RESTART_AFTER_DAYS:
        share = RESTART_SHARE
        why.append(f"{away} days since you last did it: about 10% lighter to restart")
    elif any(s.reserve < rir for s in last):
        why.append(f"a set last time ended below {rir} reps in reserve: the load holds")
    elif len(sessions) >= BEAT_SESSIONS and all(
        _beat(session, target, rir) for session in sessions[-BEAT_SESSIONS:]
    ):
        raised = last_load * (1 + RAISE[level])
        if step is not None and round_to_step(raised, step) <= last_load:
            raised = last_load + step  # at least one step up
        ceiling = estimate = raised
        how = f"{last_load:g} kg last time"
        why.append(
            f"you beat {target} reps by {BEAT_BY} or more in two sessions in a row: "
            f"{RAISE[level] * 100:g}% more (NSCA 2-for-2)"
        )
    if estimate > ceiling:
        how = f"{last_load:g} kg as last time (never more before the target is beaten twice)"
    text = "; ".join([how, *why])
    load = round_to_step(min(estimate, ceiling) * share, step)
    return Load(load, text[0].upper() + text[1:] + ".")


def _estimate(recent: Sequence[LoggedSet], target: int, rir: int) -> tuple[float, str]:
    """The load that meets `target` reps at `rir`: Epley from sets with rtf ≤ 12, else the best
    recent set nearest the target reps (high-rep work, where Epley is not accurate)."""
    eligible = [s for s in recent if s.rtf <= MAX_E1RM_RTF]
    if eligible:
        best = max(eligible, key=lambda s: e1rm_epley(s.load_kg, s.rtf))
        e1rm = e1rm_epley(best.load_kg, best.rtf)
        load = e1rm / (1 + (target + rir) / 30)
        return load, (
            f"{target} reps with {rir} in reserve from your {best.reps} × {best.load_kg:g} kg "
            f"on {best.day} (estimated 1RM {e1rm:.1f} kg)"
        )
    nearest = min(recent, key=lambda s: (abs(s.reps - target), -s.load_kg, -s.day.toordinal()))
    return nearest.load_kg, (
        f"from your {nearest.reps} × {nearest.load_kg:g} kg on {nearest.day}, "
        f"the logged set nearest {target} reps"
    )


def _sessions(sets: Sequence[LoggedSet]) -> list[list[LoggedSet]]:
    """Sets grouped by day, oldest first."""
    days: dict[date, list[LoggedSet]] = {}
    for s in sets:
        days.setdefault(s.day, []).append(s)
    return [days[d] for d in sorted(days)]


def _beat(session: Sequence[LoggedSet], target: int, rir: int) -> bool:
    """The session's heaviest sets beat the target by ≥ 2 reps without going below `rir`."""
    heaviest = max(s.load_kg for s in session)
    top = [s for s in session if s.load_kg == heaviest]
    return all(s.reps >= target + BEAT_BY and s.reserve >= rir for s in top)
