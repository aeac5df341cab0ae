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
    or the day before it. Among the patterns that obey that, the fewest sessions on the day after
    the long run win (its muscle damage wants no Nordics, jumps or heavy hinges), then the most
    hard-run days, then the most even spacing, then the earliest days.
    """
    forbidden = long_run_days(long_run_day)
    after = day_after_long_run(long_run_day)
    hard = {day.number for day in hard_run_days}
    allowed = [d for d in range(7) if d not in forbidden]
    best: tuple[tuple[int, int, int, tuple[int, ...]], tuple[int, ...]] | None = None
    for combo in combinations(allowed, sessions):
        gaps = [(combo[(i + 1) % sessions] - combo[i]) % 7 or 7 for i in range(sessions)]
        if min(gaps) < 2:
            continue
        key = (int(after in combo), -len(hard & set(combo)), -min(gaps), combo)
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
    # Hard-run days first, the day after the long run last: the first sessions take the Nordics.
    return tuple(sorted(combo, key=lambda d: (d == after, d not in hard, d)))


def long_run_days(long_run_day: Weekday | None) -> frozenset[int]:
    """The long-run day and the day before it: never a strength session."""
    if long_run_day is None:
        return frozenset()
    return frozenset({long_run_day.number, (long_run_day.number - 1) % 7})


def day_after_long_run(long_run_day: Weekday | None) -> int | None:
    return None if long_run_day is None else (long_run_day.number + 1) % 7


def no_easy_day(
    pattern: Sequence[int], long_run_day: Weekday | None, hard_run_days: Iterable[Weekday]
) -> bool:
    """Strength days, hard-run days and the long run leave no day of the week easy."""
    busy = set(pattern) | {d.number for d in hard_run_days}
    if long_run_day is not None:
        busy.add(long_run_day.number)
    return len(busy) == 7


def week_days(
    pattern: Sequence[int],
    week_start: date | None,
    phase: Phase,
    race: date | None,
    race_week_taken: bool,
    forbidden: frozenset[int] = frozenset(),
) -> tuple[list[tuple[int, date | None]], set[date]]:
    """This week's (weekday, date) sessions in date order, and the dates in race week.

    Race week (the 7 days ending on race day) holds one session, at least 4 days before the
    race; when the usual days fall later, the latest free day that keeps the rules takes it."""
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
        if not race_week_taken and not keep and week_start is not None:
            spare = _race_week_day(pattern, week_start, race, forbidden, days)
            if spare is not None:
                days.append(spare)
    elif phase is Phase.peak:
        days = days[:2]
    race_week_days = {
        d for _, d in days if race is not None and d is not None and d >= race - timedelta(days=6)
    }
    days.sort(key=lambda wd: (wd[1] or date.min, wd[0]))
    return days, race_week_days


def _race_week_day(
    pattern: Sequence[int],
    week_start: date,
    race: date,
    forbidden: frozenset[int],
    days: Sequence[tuple[int, date | None]],
) -> tuple[int, date] | None:
    """A day for the light race-week session when none of the usual days is free: inside this
    plan week, 4–6 days before the race, not a long-run day, next to no other session."""
    taken = {d for _, d in days if d is not None}
    usual = set(pattern)
    for back in range(LAST_SESSION_DAYS, 7):
        day = race - timedelta(days=back)
        if not week_start <= day < week_start + timedelta(days=7):
            continue
        weekday = day.weekday()
        neighbours = {(weekday - 1) % 7, (weekday + 1) % 7}
        if weekday in forbidden or neighbours & usual:
            continue
        if any(abs((day - other).days) < 2 for other in taken):
            continue
        return weekday, day
    return None
