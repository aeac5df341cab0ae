"""The week around running: which days take a session."""

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from itertools import combinations

from app.enums import (
    Phase,
    Weekday,
)
from app.errors import InvalidInput
from app.planning.rules import LAST_SESSION_DAYS

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


def week_days(
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
