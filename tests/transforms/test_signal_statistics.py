"""The signal engine's statistics against independent implementations.

The functions of the dbt Python model int_signal_tests_computed are checked against
scipy (Kendall's tau, Theil-Sen, binomial test, t and normal tails), against the
Mantel-Haenszel rate ratio written out the textbook way, and against simulated series
whose month-to-month variation is known.
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from scipy import stats

MODEL = (
    Path(__file__).resolve().parents[2]
    / "transforms/models/intermediate/signals/int_signal_tests_computed.py"
)


@pytest.fixture(scope="module")
def model() -> ModuleType:
    spec = importlib.util.spec_from_file_location("int_signal_tests_computed", MODEL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- Mann-Kendall and Sen's slope -----------------------------------------------------

SERIES = [
    [0.10, 0.12, 0.11, 0.15, 0.18, 0.17, 0.21],  # rising, no ties
    [0.30, 0.28, 0.25, 0.26, 0.20, 0.18],  # falling
    [0.1, 0.2, 0.2, 0.3, 0.2, 0.4, 0.4, 0.5],  # ties
    [0.2, 0.1, 0.3, 0.2, 0.1, 0.3],  # no trend, ties
]


@pytest.mark.parametrize("values", SERIES)
def test_mann_kendall_s_and_z_match_kendalls_tau(model, values):
    s, z, _ = model.mann_kendall(values)
    months = list(range(len(values)))
    tau = stats.kendalltau(months, values, method="asymptotic")
    n = len(values)
    pairs = n * (n - 1) / 2
    ties = [values.count(v) for v in set(values)]
    # S = tau-b x sqrt(pairs x (pairs - pairs tied in the values)) (time has no ties)
    tied = sum(t * (t - 1) / 2 for t in ties)
    assert s == pytest.approx(tau.statistic * math.sqrt(pairs * (pairs - tied)))
    # scipy's asymptotic z has no continuity correction: S / sd(S); ours is (S - sign S) / sd
    if s != 0:
        sd = s / stats.norm.isf(tau.pvalue / 2) * math.copysign(1, s)
        assert z == pytest.approx((s - math.copysign(1, s)) / sd, rel=1e-9)
    else:
        assert z == 0


def test_mann_kendall_textbook_example(model):
    # n = 5 strictly increasing: S = 10, var = 5 x 4 x 15 / 18 = 16.67, z = 9 / 4.082 = 2.2045
    s, z, slope = model.mann_kendall([1.0, 2.0, 3.0, 4.0, 5.0])
    assert (s, slope) == (10.0, 1.0)
    assert z == pytest.approx(9 / math.sqrt(5 * 4 * 15 / 18))
    assert stats.norm.sf(z) == pytest.approx(0.01374, abs=1e-5)  # normal table: 1 - Φ(2.2045)


@pytest.mark.parametrize("values", SERIES)
def test_sen_slope_is_theil_sen(model, values):
    _, _, slope = model.mann_kendall(values)
    assert slope == pytest.approx(stats.theilslopes(values, range(len(values)))[0])


def test_mann_kendall_skips_months_without_evidence(model):
    s, _, slope = model.mann_kendall([0.1, None, 0.2, float("nan"), 0.4])
    # three points (at months 0, 2, 4): too few for a test
    assert (s, slope) == (None, None)
    s, _, slope = model.mann_kendall([0.1, None, 0.2, 0.3, 0.5])
    assert s == 6
    assert slope == pytest.approx(stats.theilslopes([0.1, 0.2, 0.3, 0.5], [0, 2, 3, 4])[0])


# --- the exact test of the emerging terms ----------------------------------------------


def test_conditional_binomial_matches_scipy_binomtest(model):
    recent, baseline = np.array([12.0, 3.0, 0.0]), np.array([10.0, 9.0, 4.0])
    recent_total, baseline_total = np.array([300.0, 200.0, 100.0]), np.array([600.0, 600.0, 0.0])
    p_rise, p_fall = model.conditional_binomial(recent, baseline, recent_total, baseline_total)
    for i in range(2):
        n = int(recent[i] + baseline[i])
        p0 = recent_total[i] / (recent_total[i] + baseline_total[i])
        assert p_rise[i] == pytest.approx(
            stats.binomtest(int(recent[i]), n, p0, alternative="greater").pvalue
        )
        assert p_fall[i] == pytest.approx(
            stats.binomtest(int(recent[i]), n, p0, alternative="less").pvalue
        )
    assert math.isnan(p_rise[2]) and math.isnan(p_fall[2])  # no baseline evidence


# --- the source-pooled rate ratio ------------------------------------------------------


def mantel_haenszel(strata: list[tuple[float, float, float, float]], smoothing: float) -> float:
    """Textbook Mantel-Haenszel rate ratio (Rothman): sum a_i T0_i / T_i over sum
    b_i T1_i / T_i, with `smoothing` spread over the strata by their share of each window."""
    numerator = denominator = 0.0
    total_x = sum(s[1] for s in strata)
    total_y = sum(s[3] for s in strata)
    for a, t1, b, t0 in strata:
        numerator += a * t0 / (t1 + t0)
        denominator += b * t1 / (t1 + t0)
    part_x = total_x / (total_x + total_y)
    return math.log((numerator + smoothing * (1 - part_x)) / (denominator + smoothing * part_x))


def test_pooled_ratio_is_mantel_haenszel_over_sources(model):
    # sources: reviews, tickets, notes (x raising the theme of nx, y of ny)
    strata = [(30.0, 300.0, 20.0, 400.0), (10.0, 200.0, 25.0, 500.0), (2.0, 50.0, 1.0, 60.0)]
    x = np.array([s[0] for s in strata])
    nx = np.array([s[1] for s in strata])
    y = np.array([s[2] for s in strata])
    ny = np.array([s[3] for s in strata])
    log_ratio, expected_x, expected_y = model.pooled_log_ratio(x, nx, y, ny, 0.5)
    assert log_ratio == pytest.approx(mantel_haenszel(strata, 0.5))
    # expected voices under no change: each source's voices split by its window sizes
    assert expected_x == pytest.approx(sum((a + b) * t1 / (t1 + t0) for a, t1, b, t0 in strata))
    assert expected_x + expected_y == pytest.approx(x.sum() + y.sum())


def test_one_source_gives_the_smoothed_share_ratio(model):
    log_ratio, _, _ = model.pooled_log_ratio(
        np.array([12.0]), np.array([300.0]), np.array([10.0]), np.array([600.0]), 0.5
    )
    assert log_ratio == pytest.approx(math.log((12.5 / 300) / (10.5 / 600)))


def test_a_campaign_that_doubles_one_source_moves_nothing(model):
    # the same per-source shares, reviews doubled in the tested window: the plain share of
    # all voice moves, the pooled ratio does not
    x, nx = np.array([40.0, 10.0]), np.array([400.0, 400.0])  # reviews 10 %, tickets 2.5 %
    y, ny = np.array([20.0, 10.0]), np.array([200.0, 400.0])
    log_ratio, _, _ = model.pooled_log_ratio(x, nx, y, ny, 0.0)
    assert log_ratio == pytest.approx(0.0, abs=1e-12)
    plain = (x.sum() / nx.sum()) / (y.sum() / ny.sum())
    assert plain == pytest.approx(1.25)  # what a share of all voice would have said


def test_rate_ratio_test_is_a_t_test_of_the_log_ratio(model):
    x, nx, y, ny = np.array([30.0]), np.array([300.0]), np.array([40.0]), np.array([800.0])
    sigma2, kx, ky, df = 0.09, 3.0, 6.0, 17.0
    log_ratio, p_rise, p_fall = model.rate_ratio_test(x, nx, y, ny, sigma2, kx, ky, df, 0.5)
    expected_x = 70 * 300 / 1100
    variance = 1 / expected_x + 1 / (70 - expected_x) + sigma2 * (1 / kx + 1 / ky)
    t = math.log((30.5 / 300) / (40.5 / 800)) / math.sqrt(variance)
    assert log_ratio == pytest.approx(math.log((30.5 / 300) / (40.5 / 800)))
    assert p_rise == pytest.approx(stats.t.sf(t, df))
    assert p_fall == pytest.approx(stats.t.cdf(t, df))
    # no variation beyond chance and many degrees of freedom: the normal test of a log ratio
    _, p_binomial, _ = model.rate_ratio_test(x, nx, y, ny, 0.0, kx, ky, 1e9, 0.5)
    z = math.log((30.5 / 300) / (40.5 / 800)) / math.sqrt(1 / expected_x + 1 / (70 - expected_x))
    assert p_binomial == pytest.approx(stats.norm.sf(z), rel=1e-6)
    # month-to-month variation makes the same counts less surprising
    assert p_rise > p_binomial


def test_no_shared_source_is_no_test(model):
    log_ratio, p_rise, _ = model.rate_ratio_test(
        np.array([5.0, 0.0]), np.array([50.0, 0.0]), np.array([0.0, 3.0]),
        np.array([0.0, 40.0]), 0.0, 1.0, 1.0, 10.0, 0.5,
    )  # fmt: skip
    assert math.isnan(log_ratio) and math.isnan(p_rise)


# --- overdispersion --------------------------------------------------------------------


def simulated(sigma: float, months: int, seed: int, level: float = 0.05) -> tuple[np.ndarray, ...]:
    """Voices of one theme in two sources, each month's rate times exp(sigma z - sigma^2/2)."""
    rng = np.random.default_rng(seed)
    totals = rng.integers(300, 700, size=(months, 2)).astype(float)
    factor = np.exp(sigma * rng.standard_normal(months) - sigma**2 / 2)
    rates = level * np.array([1.5, 0.5]) * factor[:, None]
    return rng.poisson(rates * totals).astype(float), totals


@pytest.mark.parametrize("sigma", [0.0, 0.2, 0.4])
def test_dispersion_recovers_a_known_month_to_month_variation(model, sigma):
    voices, totals = simulated(sigma, 3000, seed=11)
    numerators, denominators, valid = model.dispersion_pairs(voices, totals, 0.5)
    estimate = numerators.sum() / denominators.sum()
    assert valid.sum() > 2900
    # the estimator measures the variance of the month factor (e^sigma2 - 1 ~ sigma2)
    assert estimate == pytest.approx(sigma**2, abs=0.012)


def test_a_step_weighs_like_one_large_month(model):
    voices, totals = simulated(0.2, 24, seed=3)
    stepped = voices.copy()
    stepped[12:] *= 8  # an eightfold rise from month 12 on
    plain = model.dispersion_pairs(voices, totals, 0.5)
    step = model.dispersion_pairs(stepped, totals, 0.5)
    gain = step[0].sum() / step[1].sum() - plain[0].sum() / plain[1].sum()
    # one pair capped at a fivefold jump: at most ln(5)^2 / (2 x 23 pairs)
    assert 0 < gain <= math.log(5) ** 2 / (2 * 23) + 0.02


def test_false_alarm_rate_of_the_rise_test_on_overdispersed_months(model):
    """Under no change with sigma = 0.3, the rise test (dispersion estimated from 12
    previous months, t tail) flags about its nominal 5 %; the binomial test flags far more."""
    rng = np.random.default_rng(5)
    flagged = flagged_binomial = 0
    runs = 2000
    for _ in range(runs):
        voices, totals = simulated(0.3, 24, seed=int(rng.integers(1 << 30)))
        numerators, denominators, valid = model.dispersion_pairs(voices[:12], totals[:12], 0.5)
        sigma2 = max(numerators.sum() / denominators.sum(), 0.0)
        recent = voices[21:24].sum(0), totals[21:24].sum(0)
        baseline = voices[12:18].sum(0), totals[12:18].sum(0)
        _, p, _ = model.rate_ratio_test(
            *recent, *baseline, sigma2, 3.0, 6.0, valid.sum(), 0.5
        )  # fmt: skip
        _, p_binomial, _ = model.rate_ratio_test(*recent, *baseline, 0.0, 3.0, 6.0, 1e9, 0.5)
        flagged += p <= 0.05
        flagged_binomial += p_binomial <= 0.05
    assert 0.025 <= flagged / runs <= 0.08
    assert flagged_binomial / runs > 0.2


def test_moderated_dispersion_floor_is_a_share_of_the_scopes_average(model):
    """Two themes of one scope: a quiet one (own estimate 0.01 over 12 pairs of months)
    and a noisy one (0.19). The average is 0.10; moderated with 6 months of it, the quiet
    theme gets (12 x 0.01 + 6 x 0.10) / 18 = 0.04, raised to the floor times 0.10."""

    def series(own: float) -> dict[str, np.ndarray]:
        return {
            "dispersion_numerator": np.array([own * 12]),
            "dispersion_denominator": np.array([12.0]),
            "dispersion_pairs": np.array([12.0]),
        }

    for floor, quiet in ((1.0, 0.10), (0.5, 0.05), (0.0, 0.04)):
        themes = {("quiet", "all"): series(0.01), ("noisy", "all"): series(0.19)}
        model.moderate(themes, 6.0, floor)
        assert themes[("quiet", "all")]["sigma2"][0] == pytest.approx(quiet)
        assert themes[("noisy", "all")]["sigma2"][0] == pytest.approx((12 * 0.19 + 0.6) / 18)
        assert themes[("quiet", "all")]["df"][0] == 18
