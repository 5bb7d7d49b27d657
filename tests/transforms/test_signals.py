"""The signal engine on the tiny company (tests/fixtures/raw_warehouse.py).

Quality tickets: 6 of 30 a month mention quality until 2023-11, then 18 (the rise);
from 2023-12 six other tickets a month also ask for a cushion cover (a phrase no
theme names). January reviews R5 (quality only in the negative) and R6 (quality only
inside the company's quoted wording, a sku named in the text) must not count.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest
from scipy import stats

FEB = dt.date(2024, 2, 1)


def one(query, sql: str, *params):
    rows = query(sql, *params)
    assert len(rows) == 1, rows
    return rows[0] if len(rows[0]) > 1 else rows[0][0]


# --- evidence ---------------------------------------------------------------------


def test_negated_and_quoted_mentions_do_not_count(query):
    # R5: "Aucun problème de qualité, pas de trou non plus." (quality and repair, negated)
    # R6: "Vous promettez « une qualité irréprochable »." (the company's words, quoted)
    assert (
        query(
            "select theme_match_id from marts.fct_theme_matches "
            "where evidence_id in ('review:R5', 'review:R6')"
        )
        == []
    )


def test_complaints_with_a_negated_verb_still_count(query):
    # "Toujours pas de nouvelles" style complaints are not negations of the theme
    matched = query(
        "select theme_id from intermediate.int_evidence_themes_matched "
        "where evidence_id = 'return:RT1'"
    )
    assert matched == [("repair",)]  # "Un trou au genou"


def test_a_sku_named_in_the_text_links_the_offer(query):
    assert one(
        query,
        "select offer_id, offer_link from marts.fct_evidence where evidence_id = 'review:R6'",
    ) == ("raw-denim", "sku_mention")
    assert one(
        query,
        "select offer_id, offer_link from marts.fct_evidence where evidence_id = 'review:R1'",
    ) == ("raw-denim", "product")


def test_language_is_told_from_stop_words(query):
    rows = dict(
        query(
            "select evidence_id, language from marts.fct_evidence "
            "where evidence_id in ('review:R5', 'ticket:T3', 'review:R3')"
        )
    )
    assert rows == {"review:R5": "fr", "ticket:T3": "en", "review:R3": "en"}


# --- tests and classification -------------------------------------------------------


def quality_february(query):
    names = (
        "recent_documents, recent_total_documents, baseline_documents_total, "
        "baseline_total_documents, p_rise, q_rise, log_ratio, trend_s, trend_p_rise, "
        "classification"
    )
    row = one(
        query,
        f"select {names} from marts.fct_signal_trends "
        "where theme_id = 'quality' and scope = 'all' and month = ?",
        FEB,
    )
    return dict(zip([n.strip() for n in names.split(",")], row, strict=True))


def test_rise_is_an_exact_conditional_binomial_test(query):
    q = quality_february(query)
    # recent window Dec-Feb: 54 quality tickets; baseline Mar-Aug 2023: 36 of 180 evidence
    assert (q["recent_documents"], q["baseline_documents_total"]) == (54, 36)
    assert q["baseline_total_documents"] == 180
    n = q["recent_documents"] + q["baseline_documents_total"]
    p0 = q["recent_total_documents"] / (q["recent_total_documents"] + 180)
    assert q["p_rise"] == pytest.approx(stats.binom.sf(53, n, p0), rel=1e-9)
    assert q["log_ratio"] == pytest.approx(
        math.log(((54 + 0.5) / q["recent_total_documents"]) / ((36 + 0.5) / 180))
    )


def benjamini_hochberg(p_values: dict[str, float]) -> dict[str, float]:
    ranked = sorted(p_values.items(), key=lambda item: item[1])
    m, running, q = len(ranked), 1.0, {}
    for rank in range(m, 0, -1):
        key, p = ranked[rank - 1]
        running = min(running, p * m / rank)
        q[key] = running
    return q


def test_false_discovery_rate_is_benjamini_hochberg_over_the_month(query):
    themes = query(
        "select month, theme_scope_month_id, p_rise, q_rise from marts.fct_signal_trends "
        "where is_tested"
    )
    terms = query(
        "select month, term_source_month_id, p_rise, q_rise from marts.fct_emerging_terms "
        "where is_tested"
    )
    for rows in (themes, terms):
        for month in {row[0] for row in rows}:
            of_month = [row for row in rows if row[0] == month]
            expected = benjamini_hochberg({row[1]: row[2] for row in of_month})
            for _, key, _, q in of_month:
                assert q == pytest.approx(expected[key]), key
    # the terms of February form a real family (several tests, q above p)
    february = [row for row in terms if row[0] == FEB]
    assert len(february) >= 3
    assert any(q > p for _, _, p, q in february)


def test_trend_is_mann_kendall_on_the_monthly_shares(query):
    shares = one(
        query,
        "select trend_test_shares from intermediate.int_theme_months_counted "
        "where theme_id = 'quality' and scope = 'all' and month = ?",
        FEB,
    )
    points = [v for v in shares if v is not None]
    s = sum((b > a) - (b < a) for i, a in enumerate(points) for b in points[i + 1 :])
    assert quality_february(query)["trend_s"] == s
    assert s > 0


def test_a_significant_rise_not_yet_sustained_is_emerging(query):
    q = quality_february(query)
    assert q["q_rise"] <= 0.05 and math.exp(q["log_ratio"]) >= 1.5
    assert q["recent_documents"] >= 15 and q["trend_p_rise"] > 0.05
    assert q["classification"] == "emerging"


def test_classification_vocabulary_over_the_months(query):
    rows = dict(
        query(
            "select strftime(report_month, '%Y-%m'), classification from report.rpt_brief__signals "
            "where theme_id = 'quality' and report_month between date '2023-09-01' and ? "
            "order by report_month",
            FEB,
        )
    )
    assert rows == {
        "2023-09": "insufficient_data",  # fewer than 3 baseline months
        "2023-10": "insufficient_data",
        "2023-11": "stable",
        "2023-12": "emerging",
        "2024-01": "emerging",
        "2024-02": "emerging",
    }


# --- emerging terms and verbatims ---------------------------------------------------------


def test_the_cushion_cover_phrase_emerges_outside_the_taxonomy(query):
    rows = query(
        "select term, term_key, recent_documents, recent_customers, baseline_documents, "
        "examples from report.rpt_brief__emerging_terms where report_month = ? "
        "order by term_rank",
        FEB,
    )
    terms = {row[0]: row for row in rows}
    assert "housse de coussin" in terms
    _, key, documents, customers, baseline, examples = terms["housse de coussin"]
    assert (key, documents, customers, baseline) == ("housse coussin", 18, 6, 0)
    assert len(examples) == 3
    assert len({e["evidence_id"] for e in examples}) == 3
    assert all("housse de coussin" in e["quote"] for e in examples)
    # the words of an emerging phrase are not listed again on their own
    assert not {"housse", "coussin"} & {row[1] for row in rows}
    # quality is a theme: its vocabulary is never an emerging term
    assert not any("qualite" in row[1] or "tissu" in row[1] for row in rows)


def test_verbatims_are_distinct_customers_of_the_recent_window(query):
    rows = query(
        "select quote_rank, evidence_id, created_date from report.rpt_brief__verbatims "
        "where theme_id = 'quality' and report_month = ? order by quote_rank",
        FEB,
    )
    assert [row[0] for row in rows] == [1, 2, 3]
    assert all(dt.date(2023, 12, 1) <= row[2] < dt.date(2024, 3, 1) for row in rows)
    customers = query(
        "select count(distinct customer_key) from marts.fct_evidence where evidence_id in "
        "(select evidence_id from report.rpt_brief__verbatims "
        "where theme_id = 'quality' and report_month = ?)",
        FEB,
    )
    assert customers == [(3,)]
