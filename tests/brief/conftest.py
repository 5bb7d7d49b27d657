"""A small warehouse holding only the report tables the brief reads.

The tables are those of the report contract (schema `report`, `rpt_brief__*`, declared
in transforms/models/report/_report__models.yml). Rows describe a plausible month (March 2025) of a French
jeans workshop: a strong repair signal with quotes, an emerging term, a breached target, an
offer bought well outside its intended segment; February 2025 is there too
so that month selection is tested.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from flows.brief.report_tables import CONTRACT

MONTH = "2025-03"
OTHER_MONTH = "2025-02"
# report_month values as stored (first day of the month)
M, OM = f"{MONTH}-01", f"{OTHER_MONTH}-01"

# The columns the rows below fill, in their order. The tables themselves are those of the
# report contract (transforms/models/report/_report__models.yml, read by
# flows.brief.report_tables); the columns no row fills stay NULL.
FILLED: dict[str, str] = {
    "rpt_brief__company": (
        "company_name language currency first_data_date last_data_date last_complete_month "
        "signal_recent_months signal_baseline_months signal_baseline_gap_months "
        "signal_min_baseline_months signal_min_documents signal_fdr signal_weak_p "
        "signal_min_share_ratio signal_weak_min_documents signal_min_customers "
        "signal_strong_min_documents signal_trend_test_months signal_trend_p "
        "term_min_customers term_fdr term_min_share_ratio"
    ),
    "rpt_brief__coverage": "system entity row_count rejected_rows first_at last_at",
    "rpt_brief__data_checks": (
        "stage checked_at run_date passed allow_partial is_partial failure_count failure_rules "
        "failure_entities failure_files failure_messages"
    ),
    "rpt_brief__test_warnings": "test_name model failing_rows message",
    "rpt_brief__data_health": (
        "entity_key system entity entity_position is_required file_count rows_received "
        "rows_loaded rows_rejected rows_excluded reject_share first_date last_date status "
        "is_needed"
    ),
    "rpt_brief__identity_links": "entity_key linked_by row_count linked_rows linked_share",
    "rpt_brief__offers": (
        "report_month offer_id offer_name offer_kind orders units revenue buyers "
        "off_target_buyers off_target_buyer_share off_target_revenue_share "
        "top_off_target_segment_id top_off_target_segment_label_fr "
        "top_off_target_segment_label_en top_off_target_segment_share returns return_rate "
        "repeat_rate tickets tickets_per_100_orders csat avg_rating reviews evidence_items "
        "window_revenue window_revenue_share segment_psi_vs_intended segment_psi_vs_past "
        "off_target_channel_share top_off_target_channel top_off_target_channel_share "
        "top_unintended_use_theme_id top_unintended_use_label_fr top_unintended_use_label_en "
        "top_unintended_use_share window_return_rate window_cancellation_rate "
        "window_lost_deals window_lost_deal_rate"
    ),
    "rpt_brief__gaps": (
        "gap_id report_month offer_id offer_name gap_type metric segment_id expected_value "
        "actual_value gap_value direction is_breach sample_size gap_score gap_rank dimension "
        "subject_id subject_label_fr subject_label_en segment_label_fr segment_label_en "
        "comparison is_significant is_reported is_beyond has_sample min_sample_size z_score "
        "revenue_share gap_size significance business_weight revenue_at_stake type_rank "
        "source_model source_id evidence_ids account_ids"
    ),
    "rpt_brief__experiments": (
        "report_month offer_id item_id scope item_name period_start period_end months_on_sale "
        "units units_per_item_month core_units_per_item_month buyers repeat_rate "
        "core_repeat_rate reviews avg_rating smoothed_rating core_avg_rating rating_z "
        "requests requests_per_100_buyers rating_component repeat_component pace_component "
        "request_component reception_score recommendation reasons evidence_ids "
        "recommendation_rank"
    ),
    "rpt_brief__decisions": (
        "report_month decision_id decision_date offer_id offer_name theme_id theme_label_fr "
        "theme_label_en summary_fr summary_en metric before_start before_end after_start "
        "months_since_decision before_months after_months before_value after_value "
        "others_before_value others_after_value change others_change effect z_score "
        "is_higher_better status"
    ),
    "rpt_brief__signals": (
        "report_month theme_id theme_label_fr theme_label_en signal_kind documents customers "
        "share baseline_documents baseline_share share_ratio z_score classification "
        "top_offer_id trend_documents rising_scope recent_documents recent_customers "
        "recent_share smoothed_ratio log_ratio p_value q_value trend_p_value trend_slope "
        "offer_recent_share offer_baseline_share"
    ),
    "rpt_brief__emerging_terms": (
        "report_month term_rank term_key term word_count documents customers recent_documents "
        "recent_customers recent_share baseline_documents baseline_share smoothed_ratio "
        "p_value q_value trend_documents examples evidence_source"
    ),
    "rpt_brief__verbatims": (
        "report_month theme_id quote_rank evidence_id evidence_source created_date offer_id quote"
    ),
    "rpt_brief__at_a_glance": (
        "report_month finding_rank finding_type offer_id theme_id segment_id metric "
        "classification headline_value comparison_value item_id item_name decision_id "
        "subject_id gap_id"
    ),
}

# The method's gap, experiment and decision thresholds of the company row.
COMPANY_COMPLETED = """
update report.rpt_brief__company set
    gap_window_months = 3,
    gap_baseline_months = 12,
    gap_min_buyers = 20,
    gap_off_target_tolerance = 0.1,
    gap_channel_tolerance = 0.2,
    gap_use_tolerance = 0.05,
    gap_min_evidence = 30,
    gap_psi_threshold = 0.25,
    gap_bundle_window_months = 6,
    gap_bundle_min_lift = 1.2,
    gap_bundle_min_co_orders = 20,
    gap_false_discovery_rate = 0.01,
    gap_z_threshold = 1.645,
    gap_target_min_sample = 10,
    gap_rejection_min_sample = 30,
    gap_rejection_min_events = 10,
    experiment_min_reviews = 10,
    experiment_rating_prior_reviews = 5,
    experiment_decision_score = 0.25,
    decision_window_months = 3,
    template_min_threads = 5,
    note_default_author_role = 'customer',
    comment_default_author_role = 'agent',
    signal_persistence_ratio = 1.25,
    signal_persistence_months = 2,
    signal_dispersion_months = 12,
    signal_spike_reference_months = 6,
    signal_spike_min_ratio = 1.5,
    signal_spike_fdr = 0.05,
    signal_seasonal_share = 0.5,
    signal_seasonal_p = 0.05,
    signal_established_min_rise_months = 1,
    signal_established_min_ratio = 1.3,
    signal_established_p = 0.1,
    signal_established_window_months = 6,
    repeat_min_history_months = 3,
    signal_trend_months = 12,
    signal_smoothing = 0.5,
    verbatim_max_chars = 280
"""

# The states and periods of 1.3: every figure measured, except a repeat rate on too
# short a history (care-kit), satisfaction no ticket could be linked to
# (linen-limited) and an experiment item without a review (LIN-02).
STATES_COMPLETED = """
update report.rpt_brief__offers set
    month_end = last_day(report_month),
    window_start = cast(report_month - interval 2 month as date);
update report.rpt_brief__offers set
    off_target_channel_share = 0.25, top_off_target_channel = 'marketplace',
    top_off_target_channel_share = 0.25, segment_psi_vs_intended = 0.41,
    segment_psi_vs_past = 0.12
where offer_id = 'raw-denim';
update report.rpt_brief__gaps set
    state = 'measured',
    floor_name = case gap_type when 'target' then 'gap_target_min_sample' else 'gap_min_buyers' end,
    floor_value = case gap_type when 'target' then 10 else 20 end,
    observed_value = sample_size,
    period_start = case gap_type when 'target' then report_month
        else cast(report_month - interval 2 month as date) end,
    period_end = last_day(report_month);
update report.rpt_brief__gaps set
    state = 'insufficient_data', floor_name = 'repeat_min_history_months', floor_value = 3,
    observed_value = 1, is_breach = false, is_significant = false
where gap_id = 'care-kit|repeat_rate_min|';
insert into report.rpt_brief__figure_states (
    offer_figure_month_id, report_month, offer_id, metric, state, input, no_data_reason,
    floor_name, floor_value, observed_value, period_start, period_end, sample_size,
    period_months
)
select
    offers.offer_id || ':' || metrics.metric || ':' || strftime(offers.report_month, '%Y-%m'),
    offers.report_month, offers.offer_id, metrics.metric, 'measured', metrics.input, null,
    metrics.floor_name, metrics.floor_value, 100, 
    case when metrics.months = 1 then offers.report_month else offers.window_start end,
    offers.month_end, 100, metrics.months
from report.rpt_brief__offers as offers
cross join (values
    ('units', 'shop/orders', null, null, 1), ('revenue', 'shop/orders', null, null, 1),
    ('monthly_units', 'shop/orders', null, null, 1),
    ('return_rate', 'shop/returns', 'gap_target_min_sample', 10, 1),
    ('return_rate_max', 'shop/returns', 'gap_target_min_sample', 10, 1),
    ('repeat_rate', 'shop/orders', 'gap_target_min_sample', 10, 1),
    ('repeat_rate_min', 'shop/orders', 'gap_target_min_sample', 10, 1),
    ('tickets_per_100_orders', 'support/tickets', 'gap_target_min_sample', 10, 1),
    ('tickets_per_100_orders_max', 'support/tickets', 'gap_target_min_sample', 10, 1),
    ('csat', 'support/satisfaction', 'gap_target_min_sample', 10, 1),
    ('rating', 'shop/reviews', 'gap_target_min_sample', 10, 1),
    ('rating_min', 'shop/reviews', 'gap_target_min_sample', 10, 1),
    ('off_target_share', 'crm/accounts', 'gap_min_buyers', 20, 3),
    ('off_target_channel_share', 'shop/orders.channel', 'gap_min_buyers', 20, 3),
    ('unintended_use_share', null, 'gap_min_evidence', 30, 3),
    ('cancellation_rate', 'shop/orders', 'gap_rejection_min_sample', 30, 3),
    ('lost_deal_rate', 'crm/deals', 'gap_rejection_min_sample', 30, 3)
) as metrics (metric, input, floor_name, floor_value, months);
update report.rpt_brief__figure_states set
    state = 'insufficient_data', floor_name = 'repeat_min_history_months', floor_value = 3,
    observed_value = 1
where offer_id = 'care-kit' and metric in ('repeat_rate', 'repeat_rate_min');
update report.rpt_brief__figure_states set
    state = 'no_data', no_data_reason = 'not_linked', floor_name = null, floor_value = null,
    observed_value = null
where offer_id = 'linen-limited' and metric = 'csat';
update report.rpt_brief__figure_states set state = 'no_data', no_data_reason = 'no_file'
where metric = 'lost_deal_rate';
update report.rpt_brief__experiments set
    rating_state = case when reviews = 0 then 'no_data' else 'measured' end,
    rating_no_data_reason = case when reviews = 0 then 'none_in_period' end,
    repeat_state = 'measured', pace_state = 'measured', request_state = 'measured',
    return_state = 'measured';
update report.rpt_brief__signals set
    recent_start = cast(report_month - interval 2 month as date),
    recent_end = last_day(report_month),
    baseline_start = cast(report_month - interval 11 month as date),
    baseline_end = last_day(cast(report_month - interval 6 month as date)),
    trend_start = cast(report_month - interval 5 month as date),
    trend_test_direction = case classification when 'fading' then 'fall' else 'rise' end;
update report.rpt_brief__emerging_terms set
    recent_start = cast(report_month - interval 2 month as date),
    recent_end = last_day(report_month),
    baseline_start = cast(report_month - interval 11 month as date),
    baseline_end = last_day(cast(report_month - interval 6 month as date)),
    trend_start = cast(report_month - interval 5 month as date);
"""

# The 1.0 gap rows, completed with the intent-versus-usage columns of 1.1.
GAPS_COMPLETED = """
update report.rpt_brief__gaps set
    dimension = case gap_type when 'target' then 'targets' else 'audience' end,
    subject_id = segment_id,
    comparison = case gap_type when 'target' then 'target' else 'tolerance' end,
    is_significant = is_breach,
    is_reported = true,
    is_beyond = direction = case when metric like '%_min' or metric like 'monthly%'
        then 'below' else 'above' end,
    has_sample = true,
    type_rank = gap_rank,
    source_model = case gap_type when 'target' then 'fct_offer_targets'
        else 'fct_offer_segment_mix' end,
    source_id = gap_id,
    evidence_ids = case when segment_id is not null then ['review:R1'] else [] end,
    account_ids = case when segment_id is not null then ['A1', 'A2'] else [] end
"""

# fmt: off
COMPANY = [("Atelier Exemple", "fr", "EUR", "2024-01-03", "2025-04-12", "2025-03-01",
            3, 6, 3, 3, 5, 0.05, 0.1, 1.5, 3, 3, 15, 6, 0.05, 4, 0.05, 2.0)]

COVERAGE = [
    ("shop", "customers", 1840, 0, "2024-01-03 09:12:00+00", "2025-04-10 17:40:00+00"),
    ("shop", "orders", 5213, 3, "2024-01-03 09:15:00+00", "2025-04-12 18:02:00+00"),
    ("shop", "order_lines", 9876, 0, "2024-01-03 09:15:00+00", "2025-04-12 18:02:00+00"),
    ("shop", "returns", 412, 0, "2024-01-19 10:00:00+00", "2025-04-09 11:30:00+00"),
    ("shop", "reviews", 903, 1, "2024-01-21 08:45:00+00", "2025-04-11 20:13:00+00"),
    ("crm", "accounts", 212, 0, "2024-01-05 14:00:00+00", "2025-03-30 09:00:00+00"),
    ("crm", "notes", 1290, 0, "2024-01-08 16:20:00+00", "2025-04-08 15:05:00+00"),
    ("support", "tickets", 1507, 0, "2024-01-04 08:01:00+00", "2025-04-12 16:44:00+00"),
    ("support", "ticket_comments", 4120, 0, "2024-01-04 08:30:00+00", "2025-04-12 17:10:00+00"),
]

# The sources of the export contract: one without a file.
DATA_HEALTH = [
    ("shop/customers", "shop", "customers", 1, True, 1, 1840, 1840, 0, 0, 0.0, "2024-01-03",
     "2025-04-10", "loaded", True),
    ("shop/orders", "shop", "orders", 3, True, 1, 5216, 5213, 3, 0, 0.000575, "2024-01-03",
     "2025-04-12", "loaded", True),
    ("shop/reviews", "shop", "reviews", 6, False, 1, 904, 903, 1, 0, 0.0011, "2024-01-21",
     "2025-04-11", "loaded", True),
    # every amount in the company's currency: no rate needed, not a missing source
    ("shop/exchange_rates", "shop", "exchange_rates", 8, False, 0, None, 0, None, 0, None, None,
     None, "no_file", False),
    ("crm/deals", "crm", "deals", 9, False, 0, None, 0, None, 0, None, None, None, "no_file",
     True),
]

# Tickets and reviews that name a shop customer (most tickets come from the e-mail form).
IDENTITY_LINKS = [
    ("shop/reviews", "customer_id", 904, 904, 1.0),
    ("support/tickets", "requester_email", 412, 287, 0.6966),
]

# The last data health check passed; the last build had no test warning.
DATA_CHECKS = [("ingest", "2025-04-01 02:00:00", "2025-04-01", True, False, False, 0, [], [], [], [])]

OFFERS = [
    # report_month, offer_id, name, kind, orders, units, revenue, buyers, off_target_buyers,
    # off_target_buyer_share, off_target_revenue_share, top segment id, label fr, label en,
    # top segment share, returns, return_rate, repeat_rate, tickets, tickets/100, csat,
    # avg_rating, reviews, evidence_items
    (M, "raw-denim", "Jean brut", "core", 412, 468, 46380.0, 389, 117, 0.3008, 0.2741,
     "trades", "Artisans et pros", "Trades and professionals", 0.2262,
     41, 0.0876, 0.214, 29, 7.04, 0.83, 4.4, 57, 86),
    (M, "care-kit", "Kit d'entretien", "core", 138, 151, 3624.0, 131, 9, 0.0687, 0.061,
     "trades", "Artisans et pros", "Trades and professionals", 0.0687,
     3, 0.0199, 0.31, 2, 1.45, 0.92, 4.6, 18, 11),
    (M, "linen-limited", "Édition limitée lin", "experiment", 96, 104, 9360.0, 93, 0, 0.0,
     0.0, None, None, None, None, 14, 0.1346, 0.0, 6, 6.25, None, 3.9, 12, 19),
    (OM, "raw-denim", "Jean brut", "core", 377, 421, 41710.0, 360, 86, 0.2389, 0.2105,
     "trades", "Artisans et pros", "Trades and professionals", 0.1861,
     33, 0.0784, 0.205, 22, 5.84, 0.85, 4.4, 49, 61),
]

GAPS = [
    ("raw-denim|off_target_share|trades", M, "raw-denim", "Jean brut", "segment_mix",
     "off_target_share", "trades", 0.10, 0.3008, 0.2008, "above", True, 389, 8.7, 1),
    ("raw-denim|tickets_per_100_orders_max|", M, "raw-denim", "Jean brut", "target",
     "tickets_per_100_orders_max", None, 5.0, 7.04, 2.04, "above", True, 412, 4.2, 2),
    ("raw-denim|return_rate_max|", M, "raw-denim", "Jean brut", "target",
     "return_rate_max", None, 0.08, 0.0876, 0.0076, "above", True, 468, 3.1, 3),
    ("linen-limited|rating_min|", M, "linen-limited", "Édition limitée lin", "target",
     "rating_min", None, 4.2, 3.9, -0.3, "below", True, 12, 2.5, 4),
    ("linen-limited|return_rate_max|", M, "linen-limited", "Édition limitée lin", "target",
     "return_rate_max", None, 0.10, 0.1346, 0.0346, "above", True, 104, 2.2, 5),
    ("raw-denim|monthly_units|", M, "raw-denim", "Jean brut", "target",
     "monthly_units", None, 300.0, 468.0, 168.0, "above", False, 412, 0.4, 6),
    ("care-kit|repeat_rate_min|", M, "care-kit", "Kit d'entretien", "target",
     "repeat_rate_min", None, 0.25, 0.31, 0.06, "above", False, 131, 0.2, 7),
    ("raw-denim|off_target_share|trades", OM, "raw-denim", "Jean brut", "segment_mix",
     "off_target_share", "trades", 0.10, 0.2389, 0.1389, "above", True, 360, 6.1, 1),
]

SIGNALS = [
    (M, "repair", "Réparation", "Repair", "adapt", 64, 51, 0.112, 21.5, 0.041, 2.73, 4.8,
     "strong", "raw-denim", [12, 15, 18, 14, 20, 22, 19, 25, 31, 38, 47, 64],
     # rising_scope, recent documents and customers, recent share, smoothed ratio, log
     # ratio, p, q, trend p, trend slope, offer recent share, offer baseline share
     "all_evidence", 149, 118, 0.101, 2.46, 0.9, 0.00002, 0.0003, 0.004, 0.006, 0.21, 0.07),
    (M, "workwear", "Usage professionnel", "Work use", "transform", 37, 33, 0.065, 18.0,
     0.036, 1.81, 2.6, "emerging", "raw-denim", [9, 11, 10, 14, 13, 15, 17, 16, 20, 24, 29, 37],
     "top_offer", 90, 71, 0.061, 1.7, 0.53, 0.0021, 0.012, 0.09, 0.002, 0.083, 0.031),
    (M, "local-shops", "Commerces locaux", "Local shops", "suggest", 14, 12, 0.0245, 13.2,
     0.025, 0.98, -0.1, "stable", "care-kit", [11, 13, 15, 12, 14, 13, 12, 15, 14, 13, 12, 14],
     None, 39, 33, 0.0241, 0.97, -0.03, 0.58, 0.9, 0.5, 0.0, None, None),
    (M, "sizing", "Tailles", "Sizing", "reject", 22, 20, 0.0385, 31.0, 0.061, 0.63, -2.3,
     "fading", "linen-limited", [34, 30, 33, 29, 35, 31, 32, 30, 28, 27, 25, 22],
     None, 74, 66, 0.041, 0.64, -0.45, 0.003, 0.02, 0.97, -0.001, None, None),
    (M, "resale", "Revente", "Resale", "circumvent", 3, 3, 0.0052, 2.1, 0.004, 1.3, 0.4,
     "insufficient_data", None, [0, 0, 0, 1, 2, 1, 3, 2, 1, 2, 4, 3],
     None, 9, 9, 0.005, 1.2, 0.18, None, None, None, None, None, None),
    # the classes of issue 9: a one-month shock, a shift that stopped growing, a season
    (M, "stains", "Taches", "Stains", "reject", 31, 29, 0.054, 9.0, 0.019, 1.9, 3.1,
     "spike", "raw-denim", [8, 9, 10, 8, 9, 11, 9, 10, 8, 9, 10, 31],
     "all_evidence", 49, 45, 0.029, 3.2, 1.16, 0.0004, 0.004, 0.3, 0.001, None, None),
    (M, "hems", "Ourlets", "Hems", "adapt", 25, 23, 0.044, 24.0, 0.045, 1.0, 0.2,
     "established", "raw-denim", [8, 9, 21, 24, 26, 25, 24, 26, 25, 24, 26, 25],
     "all_evidence", 75, 66, 0.045, 2.9, 1.06, 0.002, None, 0.4, 0.001, None, None),
    (M, "gift-wrap", "Paquet cadeau", "Gift wrapping", "suggest", 6, 6, 0.010, 14.0, 0.024,
     0.43, -2.1, "seasonal", "gift-card", [40, 38, 9, 8, 7, 9, 8, 10, 12, 30, 41, 6],
     None, 77, 70, 0.046, 0.41, -0.9, 0.0003, 0.002, 0.9, -0.003, None, None),
    (OM, "repair", "Réparation", "Repair", "adapt", 47, 40, 0.089, 19.0, 0.038, 2.34,
     3.9, "strong", "raw-denim", [10, 12, 15, 18, 14, 20, 22, 19, 25, 31, 38, 47],
     "all_evidence", 116, 95, 0.084, 2.2, 0.79, 0.0001, 0.001, 0.01, 0.005, 0.18, 0.07),
]

EMERGING_TERMS = [
    (M, 1, "housse coussin", "housse de coussin", 2, 11, 11, 26, 24, 0.0087, 0, 0.0,
     38.2, 0.00001, 0.0004, [0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 11, 11],
     [{"evidence_id": "rev-8820", "evidence_source": "review", "created_date": "2025-03-29",
       "quote": "Avec mes vieux jeans j'ai cousu une housse de coussin."},
      {"evidence_id": "tkt-4475", "evidence_source": "ticket", "created_date": "2025-03-12",
       "quote": "Vendez-vous des patrons de housse de coussin ?"}],
     "review"),
]

VERBATIMS = [
    (M, "repair", 1, "rev-8812", "review", "2025-03-28", "raw-denim",
     "J'ai fait recoudre l'entrejambe chez une couturière : ce jean vaut bien qu'on le "
     "répare. Vous pourriez proposer ce service directement ?"),
    (M, "repair", 2, "tkt-4410", "ticket", "2025-03-21", "raw-denim",
     "Deuxième trou au genou en un an de chantier. Je pose des pièces moi-même, un kit de "
     "réparation vendu avec le jean serait parfait."),
    (M, "repair", 3, "note-2291", "crm_note", "2025-03-09", "raw-denim",
     "Le client demande si on peut raccommoder son jean plutôt que de l'échanger. "
     "Contact : [email]."),
    (M, "workwear", 1, "note-2310", "crm_note", "2025-03-25", "raw-denim",
     "Ils équipent toute l'équipe de l'atelier en jean brut : ça tient mieux que leurs "
     "pantalons de travail."),
    (M, "workwear", 2, "cmt-9917", "ticket_comment", "2025-03-14", "raw-denim",
     "Est-ce possible d'avoir des poches renforcées pour les outils ?"),
    (M, "local-shops", 1, "rev-8790", "review", "2025-03-18", "care-kit",
     "J'aimerais pouvoir acheter le kit chez un commerçant de mon quartier."),
    (M, "sizing", 1, "ret-1203", "return_reason", "2025-03-11", "linen-limited",
     "Taille trop petite, la coupe lin ne correspond pas au guide des tailles."),
    (M, "resale", 1, "rev-8801", "review", "2025-03-02", None,
     "Vu sur un site de revente <b>à moitié prix</b> & en parfait état."),
    (OM, "repair", 1, "rev-8555", "review", "2025-02-17", "raw-denim",
     "Un service de réparation me ferait rester fidèle à la marque."),
]

AT_A_GLANCE = [
    (M, 1, "gap", "raw-denim", None, "trades", "off_target_share", "off_target", 0.3008, 0.10),
    (M, 2, "signal", "raw-denim", "repair", None, "recent_share", "strong", 0.112, 0.041),
    (M, 3, "gap", "raw-denim", None, None, "tickets_per_100_orders_max", "breach", 7.04, 5.0),
    (M, 4, "gap", "linen-limited", None, None, "rating_min", "breach", 3.9, 4.2),
    (M, 5, "signal", "raw-denim", "workwear", None, "recent_offer_share", "emerging", 0.065,
     0.036),
    (OM, 1, "gap", "raw-denim", None, "trades", "off_target_share", "off_target", 0.2389,
     0.10),
]

EXPERIMENTS = [
    (M, "linen-limited", "LIN-01", "item", "Chemise lin", "2025-01-01", "2025-03-01", 3, 61,
     20.3, 31.0, 58, 0.31, 0.04, 14, 4.7, 4.52, 4.2, 3.1, 9, 15.5, 0.32, 1.0, -0.6, 1.0, 0.43,
     "promote", ["rating_above_core", "repeat_above_core", "pace_below_core", "keep_requests"],
     ["rev-8830"], 1),
    # no review of the item over the period: its rating has no data and is no reason
    (M, "linen-limited", "LIN-02", "item", "Short lin", "2025-01-01", "2025-03-01", 3, 43,
     14.3, 31.0, 35, 0.2, 0.04, 0, None, 4.2, 4.2, None, 1, 2.9, None, 0.1, -0.8, 0.57,
     -0.04, "keep_testing", ["too_early", "pace_below_core"], [], 2),
    (M, "linen-limited", "*", "offer", "Édition limitée lin", "2025-01-01", "2025-03-01", 3,
     104, 17.3, 31.0, 93, 0.2, 0.04, 12, 3.9, 4.0, 4.2, -1.1, 9, 9.7, -0.2, 1.0, -0.8, 1.0,
     0.25, "keep_testing", ["repeat_above_core", "pace_below_core", "keep_requests"],
     ["rev-8830"], 1),
]

DECISIONS = [
    (M, "repair-kit", "2024-11-01", "raw-denim", "Jean brut", "repair", "Réparation",
     "Repair", "Vente d'un kit de réparation avec le jean", "Repair kit sold with the jeans",
     "repeat_rate", "2024-08-01", "2024-10-01", "2025-01-01", 5, 3, 3, 0.18, 0.214, 0.2,
     0.203, 0.034, 0.003, 0.031, 2.1, True, "improved"),
    (M, "repair-kit", "2024-11-01", "raw-denim", "Jean brut", "repair", "Réparation",
     "Repair", "Vente d'un kit de réparation avec le jean", "Repair kit sold with the jeans",
     "tickets_per_100_orders", "2024-08-01", "2024-10-01", "2025-01-01", 5, 3, 3, 6.5, 7.04,
     6.1, 6.3, 0.54, 0.2, 0.34, 0.4, False, "no_clear_effect"),
]

# fmt: on

TABLE_ROWS: dict[str, list[tuple[Any, ...]]] = {
    "rpt_brief__company": COMPANY,
    "rpt_brief__coverage": COVERAGE,
    "rpt_brief__data_checks": DATA_CHECKS,
    "rpt_brief__test_warnings": [],
    "rpt_brief__data_health": DATA_HEALTH,
    "rpt_brief__identity_links": IDENTITY_LINKS,
    "rpt_brief__offers": OFFERS,
    "rpt_brief__gaps": GAPS,
    "rpt_brief__signals": SIGNALS,
    "rpt_brief__verbatims": VERBATIMS,
    "rpt_brief__emerging_terms": EMERGING_TERMS,
    "rpt_brief__at_a_glance": AT_A_GLANCE,
    "rpt_brief__experiments": EXPERIMENTS,
    "rpt_brief__decisions": DECISIONS,
    "rpt_brief__figure_states": [],
}


def make_report_warehouse(
    path: Path,
    extra_verbatims: Iterable[tuple[Any, ...]] = (),
    tables: Iterable[str] | None = None,
) -> Path:
    """Create a DuckDB file at `path` with the report tables filled from the rows above."""
    wanted = [table for table in TABLE_ROWS if tables is None or table in tables]
    con = duckdb.connect(str(path))
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute("create schema report")
        for table in wanted:
            columns = ", ".join(f'"{column.name}" {column.data_type}' for column in CONTRACT[table])
            con.execute(f"create table report.{table} ({columns})")
            rows = TABLE_ROWS[table]
            if table == "rpt_brief__verbatims":
                rows = [*rows, *extra_verbatims]
            # rows fill the first columns; later ones (added by minor versions) stay NULL
            # or are completed below
            if not rows:
                continue
            filled = FILLED[table].split()[: len(rows[0])]
            marks = ", ".join("?" * len(filled))
            con.executemany(
                f"insert into report.{table} ({', '.join(filled)}) values ({marks})", rows
            )
        # the contract's other tables, empty (rpt_brief__freshness: every source fresh)
        for table in CONTRACT:
            if table not in TABLE_ROWS and tables is None:
                columns = ", ".join(f'"{c.name}" {c.data_type}' for c in CONTRACT[table])
                con.execute(f"create table report.{table} ({columns})")
        if "rpt_brief__company" in wanted:
            con.execute(COMPANY_COMPLETED)
        if "rpt_brief__gaps" in wanted:
            con.execute(GAPS_COMPLETED)
        if set(TABLE_ROWS) <= set(wanted):
            con.execute(STATES_COMPLETED)
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def report_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_report_warehouse(tmp_path_factory.mktemp("warehouse") / "terrain.duckdb")


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        pytest.fail(f"{tool} not found: install poppler-utils (apt-get install poppler-utils)")
    return found


def pdf_text(pdf: Path) -> str:
    """The text of a PDF (pdftotext, reading order)."""
    return subprocess.run(
        [_poppler("pdftotext"), "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(
        [_poppler("pdfinfo"), str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


def squash(text: str) -> str:
    """Text without any whitespace, so line wrapping does not matter in comparisons."""
    return "".join(text.split())
