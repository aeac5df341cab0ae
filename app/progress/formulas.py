"""The metric formulas of docs/training.md "Metrics", as plain functions over plain numbers.

No FastAPI, no database: the service feeds these with the aggregates SQL returns. Reps to
failure and e1RM eligibility are computed inside that SQL (progress.service.load_groups).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from app.progress.schemas import Period

# e1RM is only estimated up to 12 reps to failure: accuracy falls above ~10 reps.
MAX_E1RM_RTF = 12.0
# Williams 2017 EWMA spans, and the Banister time constants (CTL/ATL), in days.
EWMA_ACUTE_DAYS = 7
EWMA_CHRONIC_DAYS = 28
FITNESS_TAU = 42
FATIGUE_TAU = 7
# How far before `to` the training-load series starts (from zero): 6 × τ_fitness. A load older
# than that weighs (1 − 1/42)^252 ≈ 0.2 % of its start value in fitness, and less in every other
# metric, so the answer depends only on `to`, never on `from`.
TRAINING_LOAD_WINDOW_DAYS = 6 * FITNESS_TAU


def reps_to_failure(reps: int, rir: int | None, rpe: float | None) -> float:
    """rtf = reps + RIR, with RIR from `rir`, else 10 − RPE, else 0 (the SQL in
    workouts.rollups.reps_to_failure computes the same)."""
    if rir is not None:
        return reps + rir
    if rpe is not None:
        return reps + 10 - rpe
    return float(reps)


def e1rm_epley(load_kg: float, rtf: float) -> float:
    """Epley: load × (1 + rtf/30), and the load itself when rtf = 1."""
    if rtf == 1:
        return load_kg
    return load_kg * (1 + rtf / 30)


def session_load(session_rpe: float | None, duration_min: float | None) -> float | None:
    """sRPE (Foster 2001) = session RPE (CR-10) × minutes, in AU; None when either is missing."""
    if session_rpe is None or duration_min is None:
        return None
    return session_rpe * duration_min


def ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator, or None when the denominator is 0."""
    return None if denominator == 0 else numerator / denominator


def acute_load(daily: Sequence[float]) -> float:
    """Σ daily load over the last 7 days of `daily` (oldest first, ending on `to`)."""
    return float(sum(daily[-7:]))


def chronic_load(daily: Sequence[float]) -> float:
    """Σ daily load over the last 28 days / 4 (a weekly average)."""
    return float(sum(daily[-28:])) / 4


def acwr(daily: Sequence[float]) -> float | None:
    """Acute:chronic workload ratio (coupled, rolling sums); None when chronic = 0."""
    return ratio(acute_load(daily), chronic_load(daily))


def ewma(daily: Sequence[float], span_days: int) -> float:
    """Williams 2017: EWMA_t = λ·load_t + (1 − λ)·EWMA_{t−1}, λ = 2/(N+1), starting from 0."""
    decay = 2 / (span_days + 1)
    value = 0.0
    for load in daily:
        value = decay * load + (1 - decay) * value
    return value


def acwr_ewma(daily: Sequence[float]) -> float | None:
    """EWMA acute (N = 7) / EWMA chronic (N = 28); None when the chronic EWMA is 0."""
    return ratio(ewma(daily, EWMA_ACUTE_DAYS), ewma(daily, EWMA_CHRONIC_DAYS))


def monotony(daily: Sequence[float]) -> float | None:
    """Foster 1998: mean daily load over the last 7 days (rest days 0) / population SD;
    None when the SD is 0."""
    week = list(daily[-7:])
    week += [0.0] * (7 - len(week))
    mean = sum(week) / 7
    sd = math.sqrt(sum((x - mean) ** 2 for x in week) / 7)
    return ratio(mean, sd) if sd > 1e-12 else None


def strain(daily: Sequence[float]) -> float | None:
    """Foster 1998: weekly load × monotony; None when monotony is."""
    m = monotony(daily)
    return None if m is None else acute_load(daily) * m


def banister(daily: Sequence[float], tau: float) -> float:
    """x_t = x_{t−1} + (load_t − x_{t−1}) / τ, from x = 0 before the first day."""
    value = 0.0
    for load in daily:
        value += (load - value) / tau
    return value


@dataclass(frozen=True)
class TrainingLoad:
    acute: float
    chronic: float
    acwr: float | None
    acwr_ewma: float | None
    monotony: float | None
    strain: float | None
    fitness: float
    fatigue: float
    form: float


def training_load(daily: Sequence[float]) -> TrainingLoad:
    """Every training-load metric as of the last day of `daily` (oldest first)."""
    fitness = banister(daily, FITNESS_TAU)
    fatigue = banister(daily, FATIGUE_TAU)
    return TrainingLoad(
        acute=acute_load(daily),
        chronic=chronic_load(daily),
        acwr=acwr(daily),
        acwr_ewma=acwr_ewma(daily),
        monotony=monotony(daily),
        strain=strain(daily),
        fitness=fitness,
        fatigue=fatigue,
        form=fitness - fatigue,
    )


def asymmetry(left: float, right: float) -> float | None:
    """(left − right) / max(left, right); None when both are 0."""
    return ratio(left - right, max(left, right))


# --- the calendar of periods ---------------------------------------------------------------


def period_start(day: date, period: Period) -> date:
    """The Monday of `day`'s week, or the 1st of its month."""
    if period is Period.week:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def next_period(start: date, period: Period) -> date:
    if period is Period.week:
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def period_starts(start: date, end: date, period: Period) -> list[date]:
    """Starts of every period touching start..end, oldest first."""
    starts, current = [], period_start(start, period)
    while current <= end:
        starts.append(current)
        current = next_period(current, period)
    return starts
