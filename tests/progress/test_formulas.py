"""The metric formulas of docs/training.md "Metrics", checked against numbers worked out by hand."""

import math

import pytest

from app.enums import Muscle, posterior_share
from app.progress import formulas


def test_epley_and_its_one_rep_rule() -> None:
    assert formulas.e1rm_epley(60, 10) == pytest.approx(80)  # 60 × (1 + 10/30)
    assert formulas.e1rm_epley(70, 7) == pytest.approx(86.3333333)  # 70 × 37/30
    assert formulas.e1rm_epley(110, 1) == 110  # rtf = 1: the load itself, not 110 × 31/30


def test_reps_to_failure_from_rir_else_rpe_else_reps() -> None:
    assert formulas.reps_to_failure(8, 2, 9.0) == 10  # RIR wins over RPE
    assert formulas.reps_to_failure(8, None, 7.5) == 10.5  # 10 − RPE
    assert formulas.reps_to_failure(8, None, None) == 8


def test_session_load_is_null_safe() -> None:
    assert formulas.session_load(7, 40) == 280  # 7 × 40 AU
    assert formulas.session_load(None, 40) is None
    assert formulas.session_load(7, None) is None


def test_acute_chronic_and_acwr() -> None:
    daily = [0.0] * 21 + [100.0, 0, 0, 200, 0, 0, 50]  # 28 days, oldest first
    assert formulas.acute_load(daily) == 350  # 100 + 200 + 50
    assert formulas.chronic_load(daily) == 87.5  # 350 / 4
    assert formulas.acwr(daily) == 4.0  # 350 / 87.5
    assert formulas.acwr([0.0] * 28) is None  # chronic = 0


def test_acwr_counts_only_the_last_28_days() -> None:
    daily = [1000.0] + [0.0] * 27 + [70.0]  # the 1000 is 28 days before the last day
    assert formulas.chronic_load(daily) == 17.5  # 70 / 4
    assert formulas.acwr(daily) == 4.0


def test_ewma_follows_williams() -> None:
    # λ = 2/(7+1) = 0.25: 100 → 25; then 0 → 18.75; then 40 → 0.25×40 + 0.75×18.75 = 24.0625
    assert formulas.ewma([100.0, 0.0, 40.0], 7) == pytest.approx(24.0625)
    # λ = 2/29: 100 → 200/29 = 6.896552
    assert formulas.ewma([100.0], 28) == pytest.approx(6.896552, abs=1e-6)
    assert formulas.acwr_ewma([100.0]) == pytest.approx(25 / (200 / 29))  # 3.625
    assert formulas.acwr_ewma([0.0, 0.0]) is None


def test_monotony_and_strain() -> None:
    week = [100.0, 0, 100, 0, 100, 0, 100]
    # mean = 400/7 = 57.142857; population SD = sqrt((4×42.857143² + 3×57.142857²)/7)
    #      = sqrt((7346.94 + 9795.92)/7) = sqrt(2448.98) = 49.487166; 57.142857/49.487166 = 1.154701
    assert formulas.monotony(week) == pytest.approx(1.154701, abs=1e-6)
    assert formulas.strain(week) == pytest.approx(400 * 1.154701, abs=1e-3)  # 461.880
    assert formulas.monotony([50.0] * 7) is None  # SD = 0
    assert formulas.strain([50.0] * 7) is None
    assert formulas.monotony([0.0] * 7) is None


def test_banister() -> None:
    # τ = 7: x1 = 0 + (70 − 0)/7 = 10; x2 = 10 + (0 − 10)/7 = 8.571429
    assert formulas.banister([70.0, 0.0], 7) == pytest.approx(8.571429, abs=1e-6)
    # τ = 42: x1 = 84/42 = 2; x2 = 2 + (0 − 2)/42 = 1.952381
    assert formulas.banister([84.0, 0.0], 42) == pytest.approx(1.952381, abs=1e-6)
    load = formulas.training_load([84.0, 0.0])
    assert load.fitness == pytest.approx(1.952381, abs=1e-6)
    assert load.fatigue == pytest.approx(10.285714, abs=1e-6)  # 12 − 12/7
    assert load.form == pytest.approx(1.952381 - 10.285714, abs=1e-6)


def test_training_load_window_forgets_almost_nothing() -> None:
    # A load 252 days old keeps (41/42)^252 ≈ 0.23 % of its weight in fitness.
    kept = (41 / 42) ** formulas.TRAINING_LOAD_WINDOW_DAYS
    assert 0.0022 < kept < 0.0024
    assert formulas.TRAINING_LOAD_WINDOW_DAYS == 252


def test_asymmetry_and_posterior_share() -> None:
    assert formulas.asymmetry(420, 558) == pytest.approx(-138 / 558)  # (420 − 558)/558
    assert formulas.asymmetry(100, 80) == pytest.approx(0.2)  # (100 − 80)/100
    assert formulas.asymmetry(0, 0) is None
    share = posterior_share(
        {Muscle.glutes: 15, Muscle.hamstrings: 4, Muscle.quads: 5, Muscle.calves: 1, Muscle.core: 9}
    )
    assert share == pytest.approx(0.76)  # 19/25: core is not a major group
    assert posterior_share({}) is None
    assert math.isclose(posterior_share(dict.fromkeys(Muscle, 1.0)) or 0, 0.5)
