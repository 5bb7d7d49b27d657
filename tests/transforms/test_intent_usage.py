"""Given the tiny company of tests/fixtures/raw_warehouse.py, expect these intent-versus-usage
figures: one dimension mart at a time, then the ranked gaps, experiments and decisions.

The company: raw-denim (intended for consumers, through the web, for repair, with
aprons as complement; monthly_units 10, return_rate_max 0.1), aprons (an experiment
meant for trades, bought in 2024-02 by 24 consumers and one trades customer), denim-all.
"""

from __future__ import annotations

import pytest


def one(query, sql: str, *params):
    rows = query(sql, *params)
    assert len(rows) == 1, rows
    return rows[0][0] if len(rows[0]) == 1 else rows[0]


# --- channel -------------------------------------------------------------------------


def test_won_crm_deals_are_b2b_sales_outside_the_intended_channels(query):
    rows = query(
        "select channel, is_intended, orders, won_deals, sales, sales_share "
        "from marts.fct_offer_channel_mix where offer_id = 'raw-denim' and month = '2024-03-01' "
        "order by channel"
    )
    # O1 and O3 through the web (O4 was cancelled); deal D2 won with JB-001
    assert rows == [
        ("b2b", False, 0, 1, 1, pytest.approx(1 / 3)),
        ("web", True, 2, 0, 2, pytest.approx(2 / 3)),
    ]


# --- bundles -------------------------------------------------------------------------


def test_co_purchase_lift_against_independence(query):
    row = one(
        query,
        "select is_intended_complement, window_orders, offer_orders, partner_orders, co_orders, "
        "lift, expected_co_orders from marts.fct_offer_bundles "
        "where offer_pair_month_id = 'raw-denim+aprons:2024-02'",
    )
    # 26 orders in the window (O1, O2 and 24 apron orders); O1 holds both offers
    assert row == (True, 26, 1, 25, 1, pytest.approx(26 / 25), pytest.approx(25 / 26))


def test_a_declared_complement_bought_no_more_than_chance_is_a_candidate_gap(query):
    row = one(
        query,
        "select comparison, expected_value, actual_value, is_beyond, is_significant "
        "from marts.fct_intent_gaps where gap_month_id = 'raw-denim:missing_complement:aprons:2024-03'",
    )
    assert row == ("independence", 1.0, pytest.approx(27 * 1 / (2 * 25)), True, False)


# --- rejection -------------------------------------------------------------------------


def test_cancellations_over_the_window(query):
    row = one(
        query,
        "select window_placed_orders, window_cancelled_orders, cancellation_rate "
        "from marts.fct_offer_rejection_monthly where offer_month_id = 'raw-denim:2024-03'",
    )
    assert row == (3, 1, pytest.approx(1 / 3))


def test_return_reasons_are_counted_per_line_sold_with_their_evidence(query):
    row = one(
        query,
        "select window_returns, window_lines_sold, reason_return_rate, share_of_returns, "
        "baseline_reason_return_rate, evidence_ids from marts.fct_offer_return_reasons "
        "where offer_reason_month_id = 'raw-denim:2024-02:damaged'",
    )
    # RT1 names no sku: it stands for O1's largest line, the raw denim
    assert row == (1, 1, 1.0, 1.0, None, ["return:RT1"])


# --- use -----------------------------------------------------------------------------


def test_use_mix_marks_intended_and_unintended_themes(query):
    rows = dict(
        (theme, (intended, is_use))
        for theme, intended, is_use in query(
            "select theme_id, is_intended_use, is_use_theme from marts.fct_offer_use_mix "
            "where offer_id = 'raw-denim' and month = '2024-03-01'"
        )
    )
    assert rows == {"repair": (True, True), "donation": (False, False)}
    # an intended use, or a request (kind suggest), is never a use gap
    assert (
        query(
            "select gap_id from marts.fct_intent_gaps "
            "where offer_id = 'raw-denim' and gap_type = 'use'"
        )
        == []
    )


# --- audience ------------------------------------------------------------------------


def test_off_target_segment_is_significant_and_names_its_evidence(query):
    row = one(
        query,
        "select actual_value, sample_size, is_significant, is_breach, source_model, source_id "
        "from marts.fct_intent_gaps where gap_month_id = 'aprons:off_target_share:consumers:2024-02'",
    )
    assert row == (
        pytest.approx(24 / 25),
        25,
        True,
        True,
        "fct_offer_segment_mix",
        "aprons:2024-02:consumers",
    )


def test_a_share_on_one_buyer_is_never_significant(query):
    # raw-denim's only buyer in 2024-02 is a trades customer: 100 % off target, 1 buyer
    row = one(
        query,
        "select actual_value, sample_size, is_beyond, has_sample, is_significant "
        "from marts.fct_intent_gaps where gap_month_id = 'raw-denim:off_target_share:trades:2024-02'",
    )
    assert row == (1.0, 1, True, False, False)


def test_drift_index_covers_every_declared_segment(query):
    row = one(
        query,
        "select segment_count, window_buyers, psi_vs_intended > 0, psi_vs_past "
        "from marts.fct_offer_audience_monthly where offer_month_id = 'aprons:2024-02'",
    )
    # no buyer before 2024-02: no past to drift from
    assert row == (4, 25, True, None)


# --- targets and ranking -------------------------------------------------------------


def test_rate_target_on_a_tiny_sample_is_beyond_but_not_a_breach(query):
    row = one(
        query,
        "select actual_value, sample_size, is_beyond, has_sample, is_breach, is_significant "
        "from marts.fct_intent_gaps where gap_month_id = 'raw-denim:return_rate_max:-:2024-02'",
    )
    assert row == (0.5, 2, True, False, False, False)


def test_gap_score_is_size_times_significance_times_weight(query):
    for size, significance, weight, score in query(
        "select gap_size, significance, business_weight, gap_score from marts.fct_intent_gaps"
    ):
        assert score == pytest.approx(size * significance * weight)
        assert 0 <= size <= 1 and 0 <= significance <= 1 and 0 <= weight <= 1


def test_significant_gaps_rank_first(query):
    ranks = query(
        "select gap_rank, is_significant from marts.fct_intent_gaps "
        "where month = '2024-02-01' order by gap_rank"
    )
    assert ranks[0] == (1, True)
    assert [significant for _, significant in ranks] == sorted(
        (significant for _, significant in ranks), reverse=True
    )


# --- experiments and decisions --------------------------------------------------------


def test_experiment_without_reviews_is_too_early_to_judge(query):
    rows = query(
        "select item_id, scope, units, buyers, recommendation, list_contains(reasons, 'too_early') "
        "from marts.fct_experiment_reception where month = '2024-02-01' order by item_id"
    )
    assert rows == [
        ("*", "offer", 25, 25, "keep_testing", True),
        ("TB-1", "item", 24, 24, "keep_testing", True),
        ("XX-100", "item", 1, 1, "keep_testing", True),
    ]


def test_decision_is_too_early_in_its_first_month(query):
    row = one(
        query,
        "select months_since_decision, before_months, after_months, status "
        "from marts.fct_decision_effects where decision_metric_month_id = "
        "'repair-service:repeat_rate:2024-03'",
    )
    assert row == (1, 3, 1, "too_early")
