"""Exact and trend tests of the signal engine, computed with scipy inside the warehouse.

One row per tested theme-scope-month (int_theme_months_counted) and per tested
term-source-month (int_term_months_counted). SQL prepares the counts and applies the
thresholds; this model only turns counts into p-values, because an exact binomial
tail and a normal tail are not SQL functions:

- rise / fall test: the conditional test of two Poisson counts. Given the n = x + y
  documents mentioning the subject in the recent (x) and baseline (y) windows,
  X ~ Binomial(n, p0) with p0 = recent evidence / (recent + baseline evidence) when
  the subject's share did not change. p_rise = P(X >= x), p_fall = P(X <= x).
- sustained trend: Mann-Kendall on the monthly shares of the last months (months
  without evidence left out), variance corrected for ties, continuity-corrected
  normal tail, with Sen's slope (median of the pairwise slopes, share per month).
"""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
from scipy import special

MIN_TREND_POINTS = 4  # fewer months with evidence: no trend test


def conditional_binomial(
    recent: np.ndarray, baseline: np.ndarray, recent_total: np.ndarray, baseline_total: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """One-sided p-values (rise, fall); NaN where a window has no evidence at all."""
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
    """(S, z, Sen's slope) of a monthly series, oldest first (tails: see `tested`)."""
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


def column(table: pa.Table, name: str) -> np.ndarray:
    return np.asarray(table.column(name).to_numpy(zero_copy_only=False), dtype=float)


def tested(table: pa.Table, family: str, id_column: str, with_trend: bool) -> dict[str, list]:
    p_rise, p_fall = conditional_binomial(
        column(table, "recent_documents"),
        column(table, "baseline_documents_total"),
        column(table, "recent_total_documents"),
        column(table, "baseline_total_documents"),
    )
    if with_trend:
        trends = [mann_kendall(shares) for shares in table.column("trend_test_shares").to_pylist()]
    else:
        trends = [(None,) * 3] * table.num_rows
    z = np.array([np.nan if t[1] is None else t[1] for t in trends], dtype=float)
    # normal tails of the Mann-Kendall z: P(Z >= z) for a rise, P(Z <= z) for a fall
    trend_rise, trend_fall = special.ndtr(-z), special.ndtr(z)
    ids = table.column(id_column).to_pylist()
    return {
        "test_id": [f"{family}/{subject}" for subject in ids],
        "test_family": [family] * len(ids),
        "subject_month_id": ids,
        "p_rise": [None if math.isnan(p) else float(p) for p in p_rise],
        "p_fall": [None if math.isnan(p) else float(p) for p in p_fall],
        "trend_s": [t[0] for t in trends],
        "trend_z": [t[1] for t in trends],
        "trend_p_rise": [None if math.isnan(p) else float(p) for p in trend_rise],
        "trend_p_fall": [None if math.isnan(p) else float(p) for p in trend_fall],
        "trend_slope": [t[2] for t in trends],
    }


SCHEMA = pa.schema(
    [
        ("test_id", pa.string()),
        ("test_family", pa.string()),
        ("subject_month_id", pa.string()),
        ("p_rise", pa.float64()),
        ("p_fall", pa.float64()),
        ("trend_s", pa.float64()),
        ("trend_z", pa.float64()),
        ("trend_p_rise", pa.float64()),
        ("trend_p_fall", pa.float64()),
        ("trend_slope", pa.float64()),
    ]
)


def model(dbt, session):
    dbt.config(materialized="table")
    themes = dbt.ref("int_theme_months_counted").to_arrow_table()
    terms = dbt.ref("int_term_months_counted").to_arrow_table()
    parts = [
        pa.table(tested(themes, "theme", "theme_scope_month_id", with_trend=True), schema=SCHEMA),
        pa.table(tested(terms, "term", "term_source_month_id", with_trend=False), schema=SCHEMA),
    ]
    return pa.concat_tables(parts)
