"""The signal engine's statistics, computed with numpy and scipy inside the warehouse.

One row per theme-scope-month (int_theme_months_counted) and per tested term-source-month
(int_term_months_counted). SQL prepares the counts and applies the thresholds; this
model turns counts into effect sizes and p-values, because the tests need per-source
arrays, t tails and a month-by-month state that SQL expresses badly.

Themes (family `theme`). Counts are voices: distinct customers per evidence source and
month (int_theme_source_months_counted), so one customer's ticket thread is one voice.

- Source-robust rate ratio: a window is compared with a reference window source by
  source and the sources are pooled the Mantel-Haenszel way: ratio = sum_s x_s ny_s / n_s
  over sum_s y_s nx_s / n_s (x, y: voices raising the theme; nx, ny: all voices of the
  source in each window; n_s = nx_s + ny_s; `signal_smoothing` voice added to both), so a
  source that doubles (a review campaign) moves no theme by itself.
- Overdispersion: real months vary more than binomial counts. The theme's own month-to-
  month variation beyond chance (sigma2, on the log scale) is estimated on the
  `signal_dispersion_months` months before the recent window from consecutive pairs of
  months, robustly (a winsorised moment, `robust_dispersion`: a shock, a step or a
  season weighs like a 2-sd pair of months, not like a tenfold one), moderated with the
  average of the scope's themes weighing `signal_dispersion_prior_months` months and
  never below `signal_dispersion_floor` times it. The test of a log ratio uses
  var = 1 / E_x + 1 / E_y + sigma2 (1 / kx + 1 / ky), E the expected voices of each
  window under no change, k the effective months of each window, and a t tail with
  (pairs + prior) degrees of freedom. The spike test uses the theme's own estimate
  moderated with the scope's median theme and no floor (`moderate`).
- Tests: rise / fall (recent window against baseline window); spike (the month against
  the `signal_spike_reference_months` months before it); year ago (the recent window,
  and the month, against the same months a year earlier, and those against the current
  baseline or reference: a seasonal movement); persistence (recent months whose own
  ratio to the baseline reaches `signal_persistence_ratio`).
- Established: from the first month of a candidate rise (p_rise <= `signal_fdr` before
  false-discovery control, ratio, persistence, customers), the episode's last
  `signal_established_window_months` months are tested against that month's baseline
  (the old level), and the recent window must stand above it too, until it no longer
  does.
- Trend: Mann-Kendall on the monthly shares of the last months (months without evidence
  left out), variance corrected for ties, continuity-corrected normal tail, with Sen's
  slope (median of the pairwise slopes, share per month).

Terms (family `term`, outside the taxonomy): the exact conditional binomial test of the
documents of the recent and baseline windows, as before.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pyarrow as pa
from scipy import special, stats

MIN_TREND_POINTS = 4  # fewer months with evidence: no trend test
YEAR = 12
DISPERSION_CAP = 4.0  # a pair of months weighs at most like a 2-sd pair in the dispersion


# -- statistics (plain functions, tested against independent implementations) ----------


def conditional_binomial(
    recent: np.ndarray, baseline: np.ndarray, recent_total: np.ndarray, baseline_total: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """One-sided p-values (rise, fall) of the conditional test of two Poisson counts:
    given n = recent + baseline, recent ~ Binomial(n, recent_total / all totals) when the
    share did not change. NaN where a window has no evidence at all."""
    n = recent + baseline
    exposure = recent_total + baseline_total
    valid = (recent_total > 0) & (baseline_total > 0)
    p0 = np.divide(recent_total, exposure, out=np.full(len(n), 0.5), where=exposure > 0)
    # binomial tails: bdtrc(k, n, p) = P(X > k), bdtr(k, n, p) = P(X <= k), on integer counts
    counts, trials = recent.astype(np.int64), n.astype(np.int64)
    p_rise = np.where(counts > 0, special.bdtrc(np.maximum(counts - 1, 0), trials, p0), 1.0)
    p_rise = np.where(valid, p_rise, np.nan)
    p_fall = np.where(valid, special.bdtr(counts, trials, p0), np.nan)
    return np.minimum(p_rise, 1.0), np.minimum(p_fall, 1.0)


def mann_kendall(shares: list[float | None]) -> tuple[float | None, ...]:
    """(S, z, Sen's slope) of a monthly series, oldest first (tails: see `theme_tests`)."""
    points = [(i, v) for i, v in enumerate(shares or []) if v is not None and math.isfinite(v)]
    n = len(points)
    if n < MIN_TREND_POINTS:
        return (None, None, None)
    s = 0
    slopes = []
    for a in range(n):
        for b in range(a + 1, n):
            diff = points[b][1] - points[a][1]
            s += (diff > 0) - (diff < 0)
            slopes.append(diff / (points[b][0] - points[a][0]))
    ties: dict[float, int] = {}
    for _, v in points:
        ties[v] = ties.get(v, 0) + 1
    variance = (
        n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5) for t in ties.values())
    ) / 18
    z = 0.0 if variance <= 0 or s == 0 else (s - math.copysign(1, s)) / math.sqrt(variance)
    slopes.sort()
    middle = len(slopes) // 2
    slope = slopes[middle] if len(slopes) % 2 else (slopes[middle - 1] + slopes[middle]) / 2
    return (float(s), z, slope)


def pooled_log_ratio(
    x: np.ndarray, nx: np.ndarray, y: np.ndarray, ny: np.ndarray, smoothing: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(log ratio, E_x, E_y): the Mantel-Haenszel ratio of a window (x voices raising the
    subject out of nx) to a reference window (y out of ny), the last axis being the
    evidence source, over the sources with voices in both windows, `smoothing` voice added
    to both sides; E_x and E_y are the voices each window holds if nothing changed. The
    log ratio is NaN where no source has voices in both windows."""
    x, nx, y, ny = (np.asarray(a, dtype=float) for a in (x, nx, y, ny))
    use = (nx > 0) & (ny > 0)
    n = np.where(use, nx + ny, 1.0)
    wx = np.where(use, nx / n, 0.0)  # the tested window's part of each source
    wy = np.where(use, ny / n, 0.0)
    xs, ys = np.where(use, x, 0.0), np.where(use, y, 0.0)
    total_x = np.where(use, nx, 0.0).sum(-1)
    total_y = np.where(use, ny, 0.0).sum(-1)
    valid = (total_x > 0) & (total_y > 0)
    part_x = np.divide(total_x, total_x + total_y, out=np.full(total_x.shape, 0.5), where=valid)
    numerator = (xs * wy).sum(-1) + smoothing * (1 - part_x)
    denominator = (ys * wx).sum(-1) + smoothing * part_x
    expected_x = ((xs + ys) * wx).sum(-1)
    expected_y = (xs + ys).sum(-1) - expected_x
    log_ratio = np.where(valid, np.log(numerator / denominator), np.nan)
    return log_ratio, expected_x, expected_y


def rate_ratio_test(
    x: np.ndarray,
    nx: np.ndarray,
    y: np.ndarray,
    ny: np.ndarray,
    sigma2: np.ndarray | float,
    kx: np.ndarray | float,
    ky: np.ndarray | float,
    df: np.ndarray | float,
    smoothing: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(log ratio, p of a rise, p of a fall) of a window against a reference window.

    The source-pooled log ratio (pooled_log_ratio) is tested with
    var = 1 / E_x + 1 / E_y + sigma2 (1 / kx + 1 / ky) against a t tail with df degrees
    of freedom: chance in the counts, plus the month-to-month variation of the subject
    averaged over the effective months of each window. NaN where no source has voices in
    both windows."""
    log_ratio, expected_x, expected_y = pooled_log_ratio(x, nx, y, ny, smoothing)
    variance = (
        1 / np.maximum(expected_x, smoothing)
        + 1 / np.maximum(expected_y, smoothing)
        + np.asarray(sigma2) * (1 / np.asarray(kx) + 1 / np.asarray(ky))
    )
    z = log_ratio / np.sqrt(variance)
    valid = np.isfinite(log_ratio)
    p_rise = np.where(valid, stats.t.sf(np.nan_to_num(z), df), np.nan)
    p_fall = np.where(valid, stats.t.cdf(np.nan_to_num(z), df), np.nan)
    return log_ratio, p_rise, p_fall


def pair_terms(
    voices: np.ndarray, totals: np.ndarray, smoothing: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(r^2, chance, valid) per pair of consecutive months (index i: months i and i + 1),
    from voices and totals shaped (months, sources).

    r is the pair's source-pooled log ratio (second month against the first). When each
    month's rate carries a factor exp(e), var(e) = sigma2, r has variance
    2 sigma2 + chance, chance = 1 / E_a + 1 / E_b (E: the voices each month is expected to
    hold under no change). Pairs where a month has no evidence or expects less than one
    voice are not valid (r^2 and chance 0)."""
    log_ratio, expected_a, expected_b = pooled_log_ratio(
        voices[1:], totals[1:], voices[:-1], totals[:-1], smoothing
    )
    valid = np.isfinite(log_ratio) & (expected_a >= 1) & (expected_b >= 1)
    chance = 1 / np.maximum(expected_a, smoothing) + 1 / np.maximum(expected_b, smoothing)
    return (
        np.where(valid, np.nan_to_num(log_ratio) ** 2, 0.0),
        np.where(valid, chance, 0.0),
        valid,
    )


# E[min(X, c)] for X chi-square with 1 degree of freedom: E[X; X < c] = P(chi2_3 < c)
def winsorised_chi2_mean(cap: float) -> float:
    return float(stats.chi2.cdf(cap, 3) + cap * stats.chi2.sf(cap, 1))


def robust_dispersion(
    squared: np.ndarray, chance: np.ndarray, cap: float = DISPERSION_CAP, iterations: int = 60
) -> float:
    """sigma2 of a set of pairs of months (pair_terms, valid pairs only), robust to a few
    exceptional months (a shock, a step, a season): the value for which the pairs'
    standardised squares u = r^2 / (2 sigma2 + chance), each capped at `cap`, average
    what capped chi-square(1) draws average (a winsorised moment, Huber's proposal 2). A
    shock gives two pairs of large u; capped, they weigh like two 2-sd months, not like
    two tenfold ones. NaN without pairs; 0 when the pairs vary no more than chance."""
    squared, chance = np.asarray(squared, float), np.asarray(chance, float)
    if squared.size == 0:
        return float("nan")
    target = winsorised_chi2_mean(cap)

    def excess(sigma2: float) -> float:
        return float(np.minimum(squared / (2 * sigma2 + chance), cap).mean()) - target

    if excess(0.0) <= 0:
        return 0.0
    low, high = 0.0, max(float(squared.max()), 1e-6)
    while excess(high) > 0:  # pragma: no cover - the cap makes this rare
        high *= 2
    for _ in range(iterations):
        middle = (low + high) / 2
        low, high = (middle, high) if excess(middle) > 0 else (low, middle)
    return (low + high) / 2


# -- windows ------------------------------------------------------------------------------


class Windows:
    """Sums over windows of months of one series (months on the first axis), by cumsum."""

    def __init__(self, values: np.ndarray) -> None:
        self.months = values.shape[0]
        zero = np.zeros((1, *values.shape[1:]))
        self.cumulative = np.concatenate([zero, np.cumsum(values, axis=0)])

    def sum(self, first: np.ndarray, last: np.ndarray) -> np.ndarray:
        """Sum of months first..last (inclusive) for each row; 0 when empty."""
        lo = np.clip(first, 0, self.months)
        hi = np.clip(last + 1, 0, self.months)
        hi = np.maximum(hi, lo)
        return self.cumulative[hi] - self.cumulative[lo]


def effective_months(totals: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """(sum of monthly totals)^2 / sum of squares over each window: how many months of
    equal weight the window is worth (at least 1)."""
    per_month = totals.sum(-1).astype(float)
    sums = Windows(per_month).sum(first, last)
    squares = Windows(per_month**2).sum(first, last)
    return np.maximum(np.divide(sums**2, squares, out=np.ones_like(sums), where=squares > 0), 1.0)


# -- the theme tests ------------------------------------------------------------------------


def theme_tests(
    voices: np.ndarray, totals: np.ndarray, settings: dict[str, float]
) -> dict[str, np.ndarray]:
    """Every test of one theme-scope series, one value per month (arrays of length M);
    voices and totals are shaped (months, sources). The dispersion is the theme's own
    (sigma2_own, pairs) before moderation, which `moderate` applies across themes."""
    months = voices.shape[0]
    t = np.arange(months)
    recent = int(settings["signal_recent_months"])
    gap = int(settings["signal_baseline_gap_months"])
    baseline = int(settings["signal_baseline_months"])
    history = int(settings["signal_dispersion_months"])
    reference = int(settings["signal_spike_reference_months"])
    x, n = Windows(voices), Windows(totals)
    windows = {
        "recent": (t - recent + 1, t),
        "baseline": (t - recent - gap - baseline + 1, t - recent - gap),
        "reference": (t - reference, t - 1),
        "year_ago": (t - YEAR - recent + 1, t - YEAR),
        "year_ago_month": (t - YEAR, t - YEAR),
        "month": (t, t),
    }
    out: dict[str, np.ndarray] = {}
    for name, (first, last) in windows.items():
        out[f"{name}_x"] = x.sum(first, last)
        out[f"{name}_n"] = n.sum(first, last)
        out[f"{name}_k"] = effective_months(totals, first, last)
        has_evidence = (totals.sum(-1) > 0).astype(float)
        out[f"{name}_months"] = Windows(has_evidence).sum(first, last)
    # the theme's own month-to-month variation over the months before the recent window
    squared, chance, valid = pair_terms(voices, totals, float(settings["signal_smoothing"]))
    first, last = t - recent - history + 1, t - recent  # months of the history
    # pairs (i, i + 1) with both months in the history: i from first to last - 1
    own = np.full(months, np.nan)
    pairs = np.zeros(months)
    for m in range(months):
        inside = np.zeros(len(valid), dtype=bool)
        inside[max(first[m], 0) : max(last[m], 0)] = True
        inside &= valid
        pairs[m] = inside.sum()
        if pairs[m]:
            own[m] = robust_dispersion(squared[inside], chance[inside])
    out["dispersion_own"] = own
    out["dispersion_pairs"] = pairs
    return out


def moderate(
    series: dict[tuple[str, str], dict[str, np.ndarray]], prior_months: float, floor: float = 1.0
) -> None:
    """Add sigma2 (the moderated dispersion) and df to every series: the theme's own
    estimate weighed by its pairs of months, the scope's average weighed by prior_months,
    never below `floor` times that average."""
    own: dict[tuple[str, str], np.ndarray] = {}
    for key, tests in series.items():
        own[key] = np.maximum(tests["dispersion_own"], 0.0)
    by_scope: dict[str, list[np.ndarray]] = defaultdict(list)
    for (_, scope_key), estimate in own.items():
        by_scope[scope_key].append(estimate)
    pooled, typical = {}, {}
    for scope_key, estimates in by_scope.items():
        stacked = np.vstack(estimates)
        known = np.isfinite(stacked)
        count = known.sum(axis=0)
        total = np.where(known, stacked, 0.0).sum(axis=0)
        pooled[scope_key] = np.divide(total, count, out=np.zeros(total.shape), where=count > 0)
        typical[scope_key] = median_of_known(stacked)
    for key, tests in series.items():
        pairs = tests["dispersion_pairs"]
        estimate = np.nan_to_num(own[key])
        prior = pooled[key[1]]
        tests["sigma2_own"] = own[key]
        # never below (a share of) the scope's average: with few voices a month, the theme's
        # own pairs of months say little about its variation, and underrating it makes
        # false alarms
        moderated = (pairs * estimate + prior_months * prior) / (pairs + prior_months)
        tests["sigma2"] = np.maximum(moderated, floor * prior)
        tests["df"] = pairs + prior_months
        # the spike test: the theme's own variation, moderated with the scope's typical
        # (median) theme and no floor. One month against the theme's usual level is only
        # as unusual as the theme's own months make it: a quiet theme's shock stands out,
        # a noisy theme's does not, and the themes whose months vary most (seasons,
        # shocks, rises) do not raise every other theme's bar
        tests["sigma2_spike"] = (pairs * estimate + prior_months * typical[key[1]]) / (
            pairs + prior_months
        )


def median_of_known(stacked: np.ndarray) -> np.ndarray:
    """Median over the rows of each column, NaN left out (0 where a column has none)."""
    out = np.zeros(stacked.shape[1])
    for column_index in range(stacked.shape[1]):
        values = stacked[:, column_index]
        values = values[np.isfinite(values)]
        if values.size:
            out[column_index] = float(np.median(values))
    return out


def run_tests(tests: dict[str, np.ndarray], smoothing: float) -> None:
    """The rate-ratio tests of one series, added to `tests`."""

    def test(
        window: str, against: str, dispersion: str = "sigma2"
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return rate_ratio_test(
            tests[f"{window}_x"],
            tests[f"{window}_n"],
            tests[f"{against}_x"],
            tests[f"{against}_n"],
            tests[dispersion],
            tests[f"{window}_k"],
            tests[f"{against}_k"],
            tests["df"],
            smoothing,
        )

    tests["log_ratio"], tests["p_rise"], tests["p_fall"] = test("recent", "baseline")
    tests["spike_log_ratio"], tests["p_spike"], _ = test("month", "reference", "sigma2_spike")
    tests["yoy_log_ratio"], tests["p_yoy_rise"], tests["p_yoy_fall"] = test("recent", "year_ago")
    tests["year_ago_log_ratio"], _, _ = test("year_ago", "baseline")
    tests["yoy_month_log_ratio"], tests["p_yoy_spike"], _ = test("month", "year_ago_month")
    tests["year_ago_month_log_ratio"], _, _ = test("year_ago_month", "reference")


def persistence(
    voices: np.ndarray, totals: np.ndarray, tests: dict[str, np.ndarray], settings: dict[str, float]
) -> None:
    """Recent months whose own ratio to the baseline reaches the persistence ratio (above),
    or its inverse (below)."""
    months = voices.shape[0]
    recent = int(settings["signal_recent_months"])
    ratio = math.log(float(settings["signal_persistence_ratio"]))
    smoothing = float(settings["signal_smoothing"])
    above = np.zeros(months)
    below = np.zeros(months)
    for offset in range(recent):
        index = np.arange(months) - offset
        inside = index >= 0
        safe = np.clip(index, 0, months - 1)
        log_ratio, _, _ = rate_ratio_test(
            voices[safe], totals[safe], tests["baseline_x"], tests["baseline_n"],
            0.0, 1.0, 1.0, 1.0, smoothing,
        )  # fmt: skip
        above += inside & (np.nan_to_num(log_ratio, nan=-np.inf) >= ratio)
        below += inside & (np.nan_to_num(log_ratio, nan=np.inf) <= -ratio)
    tests["months_above"] = above
    tests["months_below"] = below


def established(
    tests: dict[str, np.ndarray],
    recent_customers: np.ndarray,
    recent_documents: np.ndarray,
    baseline_months: np.ndarray,
    settings: dict[str, float],
    voices: np.ndarray,
    totals: np.ndarray,
) -> None:
    """Month by month: the anchor of the current rise episode (the first month of a
    candidate rise) and the test of the episode's months against the anchor's baseline
    (the old level). The tested window is the last `signal_established_window_months`
    months, not reaching back before the anchor's recent window: evidence accumulates
    while a shift lasts, so a plateau's noisy months do not end its flag."""
    months = len(recent_customers)
    recent = int(settings["signal_recent_months"])
    length = int(settings["signal_established_window_months"])
    x, n = Windows(voices), Windows(totals)
    smoothing = float(settings["signal_smoothing"])
    min_log_ratio = math.log(float(settings["signal_min_share_ratio"]))
    old_log_ratio = math.log(float(settings["signal_established_min_ratio"]))
    candidate = (
        (np.nan_to_num(tests["p_rise"], nan=1.0) <= float(settings["signal_fdr"]))
        & (np.nan_to_num(tests["log_ratio"], nan=-np.inf) >= min_log_ratio)
        & (tests["months_above"] >= float(settings["signal_persistence_months"]))
        & (recent_customers >= float(settings["signal_min_customers"]))
        & (recent_documents >= float(settings["signal_min_documents"]))
        & (baseline_months >= float(settings["signal_min_baseline_months"]))
    )
    anchor_month = np.full(months, -1)
    log_ratio = np.full(months, np.nan)
    p_value = np.full(months, np.nan)
    recent_log_ratios = np.full(months, np.nan)
    above = np.zeros(months, dtype=bool)
    anchor = -1
    for t in range(months):
        if anchor < 0 and candidate[t]:
            anchor = t
        if anchor < 0:
            continue
        first = np.array([max(anchor - recent + 1, t - length + 1, 0)])
        last = np.array([t])
        result = rate_ratio_test(
            x.sum(first, last)[0], n.sum(first, last)[0],
            tests["baseline_x"][anchor], tests["baseline_n"][anchor],
            tests["sigma2"][t], effective_months(totals, first, last)[0],
            tests["baseline_k"][anchor], tests["df"][t], smoothing,
        )  # fmt: skip
        log_ratio[t], p_value[t] = float(result[0]), float(result[1])
        # the recent window itself, against the old level: a theme back at its old level
        # is not kept up by the older months of the window
        recent_log_ratio, _, _ = pooled_log_ratio(
            tests["recent_x"][t], tests["recent_n"][t],
            tests["baseline_x"][anchor], tests["baseline_n"][anchor], smoothing,
        )  # fmt: skip
        recent_log_ratios[t] = float(recent_log_ratio)
        above[t] = (
            np.isfinite(log_ratio[t])
            and log_ratio[t] >= old_log_ratio
            and p_value[t] <= float(settings["signal_established_p"])
            and recent_log_ratios[t] >= old_log_ratio
        )
        if not (candidate[t] or above[t]):
            anchor = -1  # back near the old level: the episode is over
            continue
        anchor_month[t] = anchor
    tests["anchor_index"] = anchor_month
    tests["established_log_ratio"] = log_ratio
    tests["p_established"] = p_value
    tests["established_recent_log_ratio"] = recent_log_ratios
    tests["is_above_old_level"] = above


# -- the model ------------------------------------------------------------------------------

THEME_COLUMNS = (
    # (output column, key in the tests, kind)
    ("log_ratio", "log_ratio", "float"),
    ("p_rise", "p_rise", "float"),
    ("p_fall", "p_fall", "float"),
    ("months_above", "months_above", "int"),
    ("months_below", "months_below", "int"),
    ("sigma2", "sigma2", "float"),
    ("sigma2_own", "sigma2_own", "float"),
    ("dispersion_df", "df", "float"),
    ("sigma2_spike", "sigma2_spike", "float"),
    ("spike_log_ratio", "spike_log_ratio", "float"),
    ("p_spike", "p_spike", "float"),
    ("reference_months", "reference_months", "int"),
    ("year_ago_months", "year_ago_months", "int"),
    ("yoy_log_ratio", "yoy_log_ratio", "float"),
    ("p_yoy_rise", "p_yoy_rise", "float"),
    ("p_yoy_fall", "p_yoy_fall", "float"),
    ("year_ago_log_ratio", "year_ago_log_ratio", "float"),
    ("year_ago_month_months", "year_ago_month_months", "int"),
    ("yoy_month_log_ratio", "yoy_month_log_ratio", "float"),
    ("p_yoy_spike", "p_yoy_spike", "float"),
    ("year_ago_month_log_ratio", "year_ago_month_log_ratio", "float"),
    ("established_log_ratio", "established_log_ratio", "float"),
    ("p_established", "p_established", "float"),
    ("established_recent_log_ratio", "established_recent_log_ratio", "float"),
    ("is_above_old_level", "is_above_old_level", "bool"),
)
TREND_COLUMNS = ("trend_s", "trend_z", "trend_p_rise", "trend_p_fall", "trend_slope")

SCHEMA = pa.schema(
    [
        ("test_id", pa.string()),
        ("test_family", pa.string()),
        ("subject_month_id", pa.string()),
        ("anchor_month", pa.date32()),
        *[
            (name, {"float": pa.float64(), "int": pa.int64(), "bool": pa.bool_()}[kind])
            for name, _, kind in THEME_COLUMNS
        ],
        *[(name, pa.float64()) for name in TREND_COLUMNS],
    ]
)


def column(table: pa.Table, name: str) -> np.ndarray:
    return np.asarray(table.column(name).to_numpy(zero_copy_only=False), dtype=float)


def _value(value: float, kind: str) -> object:
    if kind == "bool":
        return bool(value)
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return int(value) if kind == "int" else float(value)


def trend_tests(shares: list) -> dict[str, object]:
    s, z, slope = mann_kendall(shares)
    # normal tails of the Mann-Kendall z: P(Z >= z) for a rise, P(Z <= z) for a fall
    return {
        "trend_s": s,
        "trend_z": z,
        "trend_p_rise": None if z is None else float(special.ndtr(-z)),
        "trend_p_fall": None if z is None else float(special.ndtr(z)),
        "trend_slope": slope,
    }


def theme_rows(counts: pa.Table, months_counted: pa.Table, settings: dict) -> dict[str, list]:
    """One output row per theme-scope-month of int_theme_months_counted."""
    months = sorted(set(counts.column("month").to_pylist()))
    sources = sorted(set(counts.column("evidence_source").to_pylist()))
    month_at = {month: i for i, month in enumerate(months)}
    source_at = {source: i for i, source in enumerate(sources)}
    grids: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
    theme_ids = counts.column("theme_id").to_pylist()
    scope_keys = counts.column("scope_key").to_pylist()
    month_values = counts.column("month").to_pylist()
    source_values = counts.column("evidence_source").to_pylist()
    voices = column(counts, "voices")
    totals = column(counts, "total_voices")
    for i, key in enumerate(zip(theme_ids, scope_keys, strict=True)):
        if key not in grids:
            grids[key] = (
                np.zeros((len(months), len(sources))),
                np.zeros((len(months), len(sources))),
            )
        m, s = month_at[month_values[i]], source_at[source_values[i]]
        grids[key][0][m, s] = voices[i]
        grids[key][1][m, s] = totals[i]

    rows_by_key: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    ids = months_counted.column("theme_scope_month_id").to_pylist()
    row_themes = months_counted.column("theme_id").to_pylist()
    row_scopes = months_counted.column("scope_key").to_pylist()
    row_months = months_counted.column("month").to_pylist()
    for row, key in enumerate(zip(row_themes, row_scopes, strict=True)):
        rows_by_key[key][month_at[row_months[row]]] = row
    recent_customers = column(months_counted, "recent_customers")
    recent_documents = column(months_counted, "recent_documents")
    baseline_months = column(months_counted, "baseline_months")

    series = {key: theme_tests(*grid, settings) for key, grid in grids.items()}
    moderate(
        series,
        float(settings["signal_dispersion_prior_months"]),
        float(settings["signal_dispersion_floor"]),
    )
    out: dict[str, list] = defaultdict(list)
    shares = months_counted.column("trend_test_shares").to_pylist()
    for key, tests in series.items():
        run_tests(tests, float(settings["signal_smoothing"]))
        persistence(*grids[key], tests, settings)
        at = rows_by_key[key]
        row_of_month = np.array([at.get(m, -1) for m in range(len(months))])
        present = row_of_month >= 0

        def by_month(values: np.ndarray, present=present, row_of_month=row_of_month) -> np.ndarray:
            return np.where(present, values[np.clip(row_of_month, 0, None)], 0.0)

        established(
            tests,
            by_month(recent_customers),
            by_month(recent_documents),
            by_month(baseline_months),
            settings,
            *grids[key],
        )
        for m in range(len(months)):
            row = row_of_month[m]
            if row < 0:
                continue
            out["test_id"].append(f"theme/{ids[row]}")
            out["test_family"].append("theme")
            out["subject_month_id"].append(ids[row])
            anchor = int(tests["anchor_index"][m])
            out["anchor_month"].append(months[anchor] if anchor >= 0 else None)
            for name, source, kind in THEME_COLUMNS:
                out[name].append(_value(tests[source][m], kind))
            for name, value in trend_tests(shares[row]).items():
                out[name].append(value)
    return out


def term_rows(terms: pa.Table) -> dict[str, list]:
    p_rise, p_fall = conditional_binomial(
        column(terms, "recent_documents"),
        column(terms, "baseline_documents_total"),
        column(terms, "recent_total_documents"),
        column(terms, "baseline_total_documents"),
    )
    ids = terms.column("term_source_month_id").to_pylist()
    out: dict[str, list] = {
        "test_id": [f"term/{subject}" for subject in ids],
        "test_family": ["term"] * len(ids),
        "subject_month_id": ids,
        "p_rise": [None if math.isnan(p) else float(p) for p in p_rise],
        "p_fall": [None if math.isnan(p) else float(p) for p in p_fall],
    }
    for name in SCHEMA.names:
        out.setdefault(name, [None] * len(ids))
    return out


def settings_of(dbt) -> dict[str, float]:
    """The signal_* vars this model needs (passed as model config in
    _signals__models.yml; dbt only reads config keys written as literals)."""
    return {
        "signal_recent_months": float(dbt.config.get("signal_recent_months")),
        "signal_baseline_months": float(dbt.config.get("signal_baseline_months")),
        "signal_baseline_gap_months": float(dbt.config.get("signal_baseline_gap_months")),
        "signal_dispersion_months": float(dbt.config.get("signal_dispersion_months")),
        "signal_dispersion_prior_months": float(dbt.config.get("signal_dispersion_prior_months")),
        "signal_dispersion_floor": float(dbt.config.get("signal_dispersion_floor")),
        "signal_spike_reference_months": float(dbt.config.get("signal_spike_reference_months")),
        "signal_persistence_ratio": float(dbt.config.get("signal_persistence_ratio")),
        "signal_persistence_months": float(dbt.config.get("signal_persistence_months")),
        "signal_smoothing": float(dbt.config.get("signal_smoothing")),
        "signal_fdr": float(dbt.config.get("signal_fdr")),
        "signal_min_share_ratio": float(dbt.config.get("signal_min_share_ratio")),
        "signal_min_customers": float(dbt.config.get("signal_min_customers")),
        "signal_min_documents": float(dbt.config.get("signal_min_documents")),
        "signal_min_baseline_months": float(dbt.config.get("signal_min_baseline_months")),
        "signal_established_min_ratio": float(dbt.config.get("signal_established_min_ratio")),
        "signal_established_p": float(dbt.config.get("signal_established_p")),
        "signal_established_window_months": float(
            dbt.config.get("signal_established_window_months")
        ),
    }


def model(dbt, session):
    dbt.config(materialized="table")
    settings = settings_of(dbt)
    counts = dbt.ref("int_theme_source_months_counted").to_arrow_table()
    months_counted = dbt.ref("int_theme_months_counted").to_arrow_table()
    terms = dbt.ref("int_term_months_counted").to_arrow_table()
    themes = theme_rows(counts, months_counted, settings)
    for name in SCHEMA.names:
        themes.setdefault(name, [])
    parts = [pa.table(themes, schema=SCHEMA), pa.table(term_rows(terms), schema=SCHEMA)]
    return pa.concat_tables(parts)
