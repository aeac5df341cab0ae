"""The warm-up: named drills that fill a session's warm-up minutes (docs/training.md)."""

from functools import cache

from app.catalog.models import Exercise, Measure
from app.enums import Equipment
from app.planning.schemas import WarmupDrill

# (drill, reps, seconds, band: needed / not wanted / either (None), seconds it takes):
# general first, specific last.
_DRILLS: tuple[tuple[str, int | None, int | None, bool | None, int], ...] = (
    ("Easy jog, skipping or marching on the spot", None, 60, None, 60),
    ("Leg swings, front to back, each leg", 10, None, None, 40),
    ("Leg swings, side to side, each leg", 10, None, None, 40),
    ("Glute bridges with a band above the knees", 10, None, True, 40),
    ("Glute bridges", 10, None, False, 40),
    ("Bodyweight squats, slow and deep", 10, None, None, 40),
    ("Walking lunges with a reach overhead, each leg", 5, None, None, 45),
    ("A-skips", None, 30, None, 30),
)


def warmup_drills(
    minutes: int, equipment: frozenset[Equipment], first: Exercise | None
) -> tuple[WarmupDrill, ...]:
    """Drills for `minutes` of warm-up: general movement, hips and glutes, then a lighter
    ramp-up set of the session's first lift. The drills are shared: never change one."""
    # Remembered by what they depend on: hashing the exercise itself (a frozen model, field by
    # field in Python) would cost as much as the rest of the lookup five times over.
    ramped = first.name if first is not None and first.measure is Measure.reps else None
    return _drills(minutes, equipment, ramped)


@cache
def _drills(
    minutes: int, equipment: frozenset[Equipment], ramped: str | None
) -> tuple[WarmupDrill, ...]:
    """`warmup_drills`, with a ramp-up set of the lift named `ramped` (if any)."""
    budget = minutes * 60
    ramp = 60 if ramped is not None else 0
    chosen: list[WarmupDrill] = []
    used = ramp
    band = Equipment.band in equipment
    for drill, reps, seconds, with_band, takes in _DRILLS:
        if with_band is not None and with_band != band:
            continue  # the banded bridge with a band, the plain one without
        if used + takes > budget:
            continue
        chosen.append(WarmupDrill(drill=drill, reps=reps, seconds=seconds))
        used += takes
    if ramped is not None:
        chosen.append(
            WarmupDrill(drill=f"{ramped}: one light ramp-up set at about half the load", reps=8)
        )
    return tuple(chosen)
