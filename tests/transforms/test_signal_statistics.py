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


def robust(model, voices: np.ndarray, totals: np.ndarray) -> float:
    squared, chance, valid = model.pair_terms(voices, totals, 0.5)
    return model.robust_dispersion(squared[valid], chance[valid])


def plain_moment(model, voices: np.ndarray, totals: np.ndarray) -> float:
    """The textbook moment estimate, written here: mean(r^2 - chance) / 2 (no cap)."""
    squared, chance, valid = model.pair_terms(voices, totals, 0.5)
    return float((squared[valid] - chance[valid]).mean() / 2)


def test_winsorised_chi_square_mean_matches_numerical_integration(model):
    """E[min(X, c)] of a chi-square(1) draw, integrated with scipy.integrate.quad."""
    from scipy import integrate

    for cap in (1.0, 4.0, 9.0):
        below, _ = integrate.quad(lambda x: x * stats.chi2.pdf(x, 1), 0, cap)
        expected = below + cap * stats.chi2.sf(cap, 1)
        assert model.winsorised_chi2_mean(cap) == pytest.approx(expected, rel=1e-7)


def test_robust_dispersion_of_exact_chi_square_quantiles(model):
    """Pairs whose standardised squares are the exact quantiles of chi-square(1)
    (scipy.stats.chi2.ppf), with a known chance part: the estimate is the sigma2 they
    were built from."""
    for sigma2 in (0.0, 0.04, 0.16):
        n = 4000
        chance = np.full(n, 0.05)
        quantiles = stats.chi2.ppf((np.arange(n) + 0.5) / n, 1)
        squared = quantiles * (2 * sigma2 + chance)
        assert model.robust_dispersion(squared, chance) == pytest.approx(sigma2, abs=2e-3)


@pytest.mark.parametrize("sigma", [0.0, 0.2, 0.4])
def test_dispersion_recovers_a_known_month_to_month_variation(model, sigma):
    voices, totals = simulated(sigma, 3000, seed=11)
    _, _, valid = model.pair_terms(voices, totals, 0.5)
    assert valid.sum() > 2900
    # the estimator measures the variance of the log month factor
    assert robust(model, voices, totals) == pytest.approx(sigma**2, abs=0.012)


def test_a_shock_and_a_step_barely_move_the_robust_dispersion(model):
    """Adversarial: sixty months at sigma 0.2, then one tenfold month, or an eightfold
    step. The plain moment estimate (written in the test) grows by their squared log
    jumps; the winsorised one moves little: an exceptional pair weighs like a 2-sd pair."""
    voices, totals = simulated(0.2, 60, seed=3)
    quiet, quiet_plain = robust(model, voices, totals), plain_moment(model, voices, totals)
    shocked = voices.copy()
    shocked[30] *= 10
    stepped = voices.copy()
    stepped[30:] *= 8
    plain_gain = plain_moment(model, shocked, totals) - quiet_plain
    assert plain_gain > 0.05  # two pairs of ln(10)^2 over 59 pairs, halved: about 0.09
    assert robust(model, shocked, totals) - quiet <= 0.25 * plain_gain
    # one uncapped pair of ln(8)^2 would add 0.037 to a moment estimate over 59 pairs
    assert robust(model, stepped, totals) - quiet <= 0.01
    assert quiet == pytest.approx(0.04, abs=0.03)


def test_false_alarm_rate_of_the_rise_test_on_overdispersed_months(model):
    """Under no change with sigma = 0.3, the rise test (dispersion estimated from 12
    previous months, t tail) flags about its nominal 5 %; the binomial test flags far more."""
    rng = np.random.default_rng(5)
    flagged = flagged_binomial = 0
    runs = 2000
    for _ in range(runs):
        voices, totals = simulated(0.3, 24, seed=int(rng.integers(1 << 30)))
        squared, chance, valid = model.pair_terms(voices[:12], totals[:12], 0.5)
        sigma2 = model.robust_dispersion(squared[valid], chance[valid])
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
    """Three themes of one scope: a quiet one (own estimate 0.01 over 12 pairs of
    months), a middle one (0.04) and a noisy one (0.25). The average is 0.10; moderated
    with 6 months of it, the quiet theme gets (12 x 0.01 + 6 x 0.10) / 18 = 0.04, raised
    to the floor times 0.10. The spike test's dispersion is moderated with the median
    theme (0.04) and has no floor: (12 x 0.01 + 6 x 0.04) / 18 = 0.02."""

    def series(own: float) -> dict[str, np.ndarray]:
        return {"dispersion_own": np.array([own]), "dispersion_pairs": np.array([12.0])}

    for floor, quiet in ((1.0, 0.10), (0.5, 0.05), (0.0, 0.04)):
        themes = {
            ("quiet", "all"): series(0.01),
            ("middle", "all"): series(0.04),
            ("noisy", "all"): series(0.25),
        }
        model.moderate(themes, 6.0, floor)
        assert themes[("quiet", "all")]["sigma2"][0] == pytest.approx(quiet)
        assert themes[("noisy", "all")]["sigma2"][0] == pytest.approx((12 * 0.25 + 0.6) / 18)
        assert themes[("quiet", "all")]["df"][0] == 18
        median = float(np.median([0.01, 0.04, 0.25]))
        for name, own in (("quiet", 0.01), ("noisy", 0.25)):
            assert themes[(name, "all")]["sigma2_spike"][0] == pytest.approx(
                (12 * own + 6 * median) / 18
            )


# --- spike and established on whole series (theme_tests, moderate, run_tests) ---------

SETTINGS = {
    "signal_recent_months": 3.0,
    "signal_baseline_months": 6.0,
    "signal_baseline_gap_months": 3.0,
    "signal_dispersion_months": 12.0,
    "signal_dispersion_prior_months": 6.0,
    "signal_dispersion_floor": 1.0,
    "signal_spike_reference_months": 12.0,
    "signal_persistence_ratio": 1.25,
    "signal_persistence_months": 2.0,
    "signal_smoothing": 0.5,
    "signal_fdr": 0.05,
    "signal_min_share_ratio": 1.5,
    "signal_min_customers": 3.0,
    "signal_min_documents": 5.0,
    "signal_min_baseline_months": 3.0,
    "signal_established_min_ratio": 1.3,
    "signal_established_p": 0.10,
    "signal_established_window_months": 6.0,
}


def series_of(factors: list[float], level: float = 60.0) -> tuple[np.ndarray, np.ndarray]:
    """Voices of one theme in two sources of 1 000 voices each a month, at `level`
    voices a month times each month's factor (no sampling noise: the test is about the
    month-to-month variation the theme itself shows)."""
    totals = np.full((len(factors), 2), 1000.0)
    voices = np.outer(factors, [level * 0.6, level * 0.4])
    return voices, totals


def run_series(model, grids: dict[str, tuple[np.ndarray, np.ndarray]]) -> dict[str, dict]:
    series = {(name, "all"): model.theme_tests(*grid, SETTINGS) for name, grid in grids.items()}
    model.moderate(series, SETTINGS["signal_dispersion_prior_months"], 1.0)
    for tests in series.values():
        model.run_tests(tests, SETTINGS["signal_smoothing"])
    return {name: series[(name, "all")] for name in grids}


def test_the_spike_test_reads_each_themes_own_variation(model):
    """Adversarial: the same 1.8x month on a quiet theme (its months within 5 % of each
    other) and on a noisy one (its months alternate 0.6x and 1.6x) stands out on the
    first only; the noisy control must not flag. A third, middling theme makes the
    scope's median."""
    quiet = [1.0, 1.05, 0.95] * 6
    noisy = [0.6, 1.6, 1.0] * 6
    middle = [0.85, 1.2, 1.0] * 6
    results = run_series(
        model,
        {
            "quiet": series_of([*quiet, 1.8]),
            "noisy": series_of([*noisy, 1.8]),
            "middle": series_of([*middle, 1.0]),
        },
    )
    last = len(quiet)
    assert results["quiet"]["p_spike"][last] < 0.001
    assert results["noisy"]["p_spike"][last] > 0.05
    # both months stand well above their usual level: only the variation differs
    assert min(results[name]["spike_log_ratio"][last] for name in ("quiet", "noisy")) > 0.5
    # the test is the documented one: the month against the 12 before it, widened by
    # the spike's dispersion over one month and the reference's effective months
    tests = results["quiet"]
    _, p_expected, _ = model.rate_ratio_test(
        tests["month_x"][last], tests["month_n"][last],
        tests["reference_x"][last], tests["reference_n"][last],
        tests["sigma2_spike"][last], 1.0, tests["reference_k"][last],
        tests["df"][last], 0.5,
    )  # fmt: skip
    assert tests["p_spike"][last] == pytest.approx(float(p_expected))


def established_run(model, factors: list[float]) -> dict[str, np.ndarray]:
    voices, totals = series_of(factors)
    tests = run_series(model, {"theme": (voices, totals)})["theme"]
    model.persistence(voices, totals, tests, SETTINGS)
    months = len(factors)
    recent = np.array([voices[max(0, m - 2) : m + 1].sum() for m in range(months)])
    model.established(tests, recent, recent, np.full(months, 6.0), SETTINGS, voices, totals)
    return tests


def test_an_established_shift_keeps_its_flag_through_a_noisy_dip(model):
    """A theme doubles at month 14 and stays up, with one month back at its old level
    (month 20): the episode's last six months still stand above the old level, so the
    flag holds through the dip; when the theme returns for good (month 24 on), the
    recent window is back near the old level and the episode ends."""
    base = [1.0, 1.1, 0.9] * 4 + [1.0, 1.0]  # months 0-13
    shifted = [2.0, 2.1, 1.9, 2.0, 2.1, 1.9, 1.0, 2.0, 2.1, 1.9]  # months 14-23, dip at 20
    back = [1.0, 0.95, 1.05, 1.0, 1.0, 1.0]  # months 24-29
    tests = established_run(model, base + shifted + back)
    anchor = int(tests["anchor_index"][16])
    assert 14 <= anchor <= 16
    assert all(tests["is_above_old_level"][m] for m in range(17, 24))
    assert tests["anchor_index"][29] == -1 and not tests["is_above_old_level"][29]
    # the established ratio is the Mantel-Haenszel ratio of the window, written out here
    voices, totals = series_of(base + shifted + back)
    m = 21
    first = max(anchor - 2, m - 5)
    baseline = slice(anchor - 2 - 3 - 6 + 1, anchor - 2 - 3 + 1)
    strata = [
        (voices[first : m + 1, s].sum(), totals[first : m + 1, s].sum(),
         voices[baseline, s].sum(), totals[baseline, s].sum())
        for s in range(2)
    ]  # fmt: skip
    assert tests["established_log_ratio"][m] == pytest.approx(mantel_haenszel(strata, 0.5))


def test_a_noisy_control_or_a_shock_keeps_no_established_flag(model):
    """Adversarial: a theme whose months swing between 0.6x and 1.7x with no lasting
    change, and a theme with one threefold month: neither opens an episode that
    stands above an old level (a shock is one month, not the 2 of 3 a rise needs)."""
    swinging = established_run(model, [0.6, 1.7, 1.0, 1.2, 0.7, 1.1] * 5)
    assert not swinging["is_above_old_level"].any()
    shock = [1.0, 1.1, 0.9] * 5 + [3.0] + [1.0, 1.1, 0.9] * 4
    shocked = established_run(model, shock)
    assert not shocked["is_above_old_level"].any()
    assert (shocked["anchor_index"] == -1).all()
