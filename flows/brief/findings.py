"""Shape one month of the report tables into the findings dict.

The findings dict is the single source of both outputs of a brief: it is written as
`brief-YYYY-MM.json` (documented in docs/findings-schema.md, JSON Schema in
docs/findings.schema.json) and the PDF is rendered from it. This module only renames
the rows `flows.brief.report_tables` selects into that shape, one function per part:
every figure is the value stored in the warehouse, and ranking and thresholds live in
SQL.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from flows import shared_lists
from flows.brief import BriefError
from flows.brief.report_tables import REPORT_SCHEMA, read_report
from flows.settings import run_date
from flows.voice.redaction import KINDS

SCHEMA_VERSION = "1.4"

# The columns of the report tables each part of the findings carries, as they name them.
# fmt: off
COVERAGE_COLUMNS = ("system", "entity", "row_count", "rejected_rows", "first_at", "last_at")
DATA_CHECK_COLUMNS = (
    "stage", "run_date", "passed", "allow_partial", "is_partial", "failure_count",
    "failure_rules", "failure_entities", "failure_files", "failure_messages",
)
TEST_WARNING_COLUMNS = ("test_name", "model", "failing_rows", "message")
DATA_HEALTH_COLUMNS = (
    "entity_key", "system", "entity", "is_required", "status", "is_needed", "file_count",
    "rows_received",
    "rows_loaded", "rows_rejected", "rows_excluded", "reject_share", "first_date", "last_date",
)
# How many rows of each source naming a customer name one the shop knows.
IDENTITY_LINK_COLUMNS = ("entity_key", "linked_by", "row_count", "linked_rows", "linked_share")
# What a state says about a figure (report.rpt_brief__figure_states, rpt_brief__gaps).
STATE_COLUMNS = (
    "state", "input", "no_data_reason", "floor_name", "floor_value", "observed_value",
)
# The method's signal thresholds (dbt vars, columns of rpt_brief__company) the
# appendix states in plain words.
METHOD_SIGNAL_COLUMNS = (
    "signal_recent_months", "signal_baseline_months", "signal_baseline_gap_months",
    "signal_min_baseline_months", "signal_min_documents", "signal_fdr", "signal_weak_p",
    "signal_min_share_ratio", "signal_weak_min_documents", "signal_min_customers",
    "signal_strong_min_documents", "signal_trend_test_months", "signal_trend_p",
    "signal_persistence_ratio", "signal_persistence_months", "signal_dispersion_months",
    "signal_spike_reference_months", "signal_spike_min_ratio", "signal_spike_fdr",
    "signal_seasonal_share", "signal_seasonal_p", "signal_established_min_rise_months",
    "signal_established_min_ratio", "signal_established_p", "signal_established_window_months",
    "signal_trend_months", "signal_smoothing",
    "term_min_customers", "term_fdr", "term_min_share_ratio",
)
# The method's gap, experiment and decision thresholds, for the appendix.
METHOD_GAP_COLUMNS = (
    "gap_window_months", "gap_baseline_months", "gap_min_buyers", "gap_off_target_tolerance",
    "gap_channel_tolerance", "gap_use_tolerance", "gap_min_evidence", "gap_psi_threshold",
    "gap_bundle_window_months", "gap_bundle_min_lift", "gap_bundle_min_co_orders",
    "gap_false_discovery_rate", "gap_z_threshold", "gap_target_min_sample",
    "repeat_min_history_months",
    "gap_rejection_min_sample", "gap_rejection_min_events", "experiment_min_reviews",
    "experiment_rating_prior_reviews", "experiment_decision_score", "decision_window_months",
)
# How customer voice is told from staff text, for the appendix (docs/voice.md).
METHOD_VOICE_COLUMNS = (
    "template_min_threads", "note_default_author_role", "comment_default_author_role",
    "verbatim_max_chars",
)
OFFER_FIGURES = (
    "orders", "units", "revenue", "buyers", "off_target_buyers", "off_target_buyer_share",
    "off_target_revenue_share", "top_off_target_segment_share", "returns", "return_rate",
    "repeat_rate", "tickets", "tickets_per_100_orders", "csat", "avg_rating", "reviews",
    "evidence_items", "window_revenue", "window_revenue_share", "segment_psi_vs_intended",
    "segment_psi_vs_past", "off_target_channel_share", "top_off_target_channel_share",
    "top_unintended_use_share", "window_return_rate", "window_cancellation_rate",
    "window_lost_deals", "window_lost_deal_rate",
)
GAP_FIGURES = (
    "expected_value", "actual_value", "gap_value", "sample_size", "gap_score",
    "min_sample_size", "z_score", "revenue_share", "gap_size", "significance",
    "business_weight", "revenue_at_stake",
)
EXPERIMENT_FIGURES = (
    "months_on_sale", "units", "units_per_item_month", "core_units_per_item_month", "buyers",
    "repeat_rate", "core_repeat_rate", "reviews", "avg_rating", "smoothed_rating",
    "core_avg_rating", "rating_z", "requests", "requests_per_100_buyers", "return_rate",
    "core_return_rate", "rating_component", "repeat_component", "pace_component",
    "request_component", "return_component", "reception_score",
)
DECISION_FIGURES = (
    "months_since_decision", "before_months", "after_months", "before_value", "after_value",
    "others_before_value", "others_after_value", "change", "others_change", "effect",
    "z_score",
)
SIGNAL_FIGURES = (
    "documents", "customers", "share", "baseline_documents", "baseline_share",
    "share_ratio", "z_score", "trend_documents", "recent_documents", "recent_customers",
    "recent_share", "smoothed_ratio", "log_ratio", "p_value", "q_value", "trend_p_value",
    "trend_slope", "offer_recent_share", "offer_baseline_share",
)
TERM_FIGURES = (
    "documents", "customers", "recent_documents", "recent_customers", "recent_share",
    "baseline_documents", "baseline_share", "smoothed_ratio", "p_value", "q_value",
    "trend_documents",
)

# The metric whose state (report.rpt_brief__figure_states) each figure of an offer
# shares, and its period: the month, or the trailing window (var gap_window_months). A
# rate's parts share the rate's state (returns with the return rate), a mix's parts the
# mix's. A figure without a metric (customer texts counted) is a count of the month.
OFFER_FIGURE_STATES: dict[str, tuple[str | None, str]] = {
    "orders": ("units", "month"), "units": ("units", "month"),
    "revenue": ("revenue", "month"), "buyers": ("units", "month"),
    "off_target_buyers": ("off_target_share", "window"),
    "off_target_buyer_share": ("off_target_share", "window"),
    "off_target_revenue_share": ("off_target_share", "window"),
    "top_off_target_segment_share": ("off_target_share", "window"),
    "returns": ("return_rate", "month"), "return_rate": ("return_rate", "month"),
    "repeat_rate": ("repeat_rate", "month"),
    "tickets": ("tickets_per_100_orders", "month"),
    "tickets_per_100_orders": ("tickets_per_100_orders", "month"),
    "csat": ("csat", "month"), "avg_rating": ("rating", "month"), "reviews": ("rating", "month"),
    "evidence_items": (None, "month"),
    "window_revenue": ("revenue", "window"), "window_revenue_share": ("revenue", "window"),
    "segment_psi_vs_intended": ("off_target_share", "window"),
    "segment_psi_vs_past": ("off_target_share", "window"),
    "off_target_channel_share": ("off_target_channel_share", "window"),
    "top_off_target_channel_share": ("off_target_channel_share", "window"),
    "top_unintended_use_share": ("unintended_use_share", "window"),
    "window_return_rate": ("return_rate", "window"),
    "window_cancellation_rate": ("cancellation_rate", "window"),
    "window_lost_deals": ("lost_deal_rate", "window"),
    "window_lost_deal_rate": ("lost_deal_rate", "window"),
}
# The components of an experiment's reception: the input each needs, and the method
# column (rpt_brief__company) of its floor with the figure compared with it
# (fct_experiment_reception gives the states: no_data, insufficient_data, measured).
EXPERIMENT_COMPONENTS: dict[str, tuple[str | None, str | None, str | None]] = {
    "rating": ("shop/reviews", "experiment_min_reviews", "reviews"),
    "repeat": ("shop/orders", "gap_min_buyers", "buyers"),
    "pace": ("shop/orders", None, None),
    "request": (None, None, None),
    "return": ("shop/returns", "gap_target_min_sample", "units"),
}
# fmt: on

MONTH_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

Row = dict[str, Any]


def parse_month(month: str) -> date:
    """'2025-03' -> date(2025, 3, 1); anything else is a BriefError."""
    match = MONTH_PATTERN.match(month or "")
    if not match:
        raise BriefError(f"month {month!r} is not of the form YYYY-MM (for example 2025-03)")
    return date(int(match[1]), int(match[2]), 1)


def pick(row: Row, names: tuple[str, ...]) -> Row:
    return {name: row[name] for name in names}


def build_findings(warehouse: Path, month: str) -> dict[str, Any]:
    """The findings dict for `month` ('YYYY-MM') from the warehouse's report tables.

    A month with no data at all (no order, no customer text) gives the findings of a
    short brief that says so (`month_state` no_data); a month after the day of the run
    is an error.
    """
    report_month = parse_month(month)
    warehouse = Path(warehouse)
    if report_month > run_date().replace(day=1):
        raise BriefError(
            f"no data for {month}: the month is after the day of the run ({run_date()}); "
            "choose a month that has begun"
        )
    report = read_report(warehouse, report_month)
    return shape_findings(
        warehouse,
        report_month,
        report.company,
        report.coverage,
        report.months,
        report.freshness,
        _data_health(
            report.data_checks,
            report.test_warnings,
            report.data_health,
            report.months["rpt_brief__figure_states"],
            report.identity_links,
        ),
    )


def shape_findings(
    warehouse: Path,
    report_month: date,
    company: Row,
    coverage: list[Row],
    rows: dict[str, list[Row]],
    freshness: list[Row] | None = None,
    data_health: Row | None = None,
) -> dict[str, Any]:
    """Rename the selected rows into the documented findings shape."""
    states = rows.get("rpt_brief__figure_states", [])
    return {
        "schema_version": SCHEMA_VERSION,
        "month": report_month.strftime("%Y-%m"),
        "report_month": report_month.isoformat(),
        "is_complete_month": (
            company["last_complete_month"] is not None
            and report_month.isoformat() <= company["last_complete_month"]
        ),
        "month_state": "measured" if _has_data(rows) else "no_data",
        "generated_from": warehouse.name,
        "company": _company(company),
        "coverage": [pick(row, COVERAGE_COLUMNS) for row in coverage],
        "stale_sources": [_stale(row) for row in freshness or () if row["is_stale"]],
        "data_health": data_health or _data_health([], [], [], states),
        "method": _method(company),
        "at_a_glance": [_glance(row) for row in rows["rpt_brief__at_a_glance"]],
        "offers": [_offer(offer, states, company) for offer in rows["rpt_brief__offers"]],
        "findings": _findings(rows, company),
        "labels": _labels(rows),
        "sources": _sources(),
    }


def _stale(row: Row) -> Row:
    """A source the latest ingestion did not load: since when its data have not moved."""
    return {
        "source": row["source"],
        "last_loaded_at": row["last_loaded_at"],
        "failing_since": row["failing_since"],
        "last_error": row["last_error"],
    }


def _has_data(rows: dict[str, list[Row]]) -> bool:
    """The month holds an order or a customer text (as the report tables count them)."""
    return any(
        (offer["orders"] or 0) > 0 or (offer["evidence_items"] or 0) > 0
        for offer in rows["rpt_brief__offers"]
    ) or any((signal["documents"] or 0) > 0 for signal in rows["rpt_brief__signals"])


def _data_health(
    checks: list[Row],
    test_warnings: list[Row],
    sources: list[Row] | None = None,
    states: list[Row] | None = None,
    identity_links: list[Row] | None = None,
) -> Row:
    """The data health behind the brief. `partial`: rendered from data that failed a
    check, because partial data was allowed (the cover must say so); `sources`: each
    entity of the export contract, loaded or missing; `not_assessed`: the figures of the
    month with no data, by the input they lack."""
    sources = sources or []
    return {
        "partial": any(check["is_partial"] for check in checks),
        "checks": [pick(check, DATA_CHECK_COLUMNS) for check in checks],
        "test_warnings": [pick(warning, TEST_WARNING_COLUMNS) for warning in test_warnings],
        "sources": [pick(row, DATA_HEALTH_COLUMNS) for row in sources],
        "missing_sources": [
            row["entity_key"] for row in sources if row["status"] != "loaded" and row["is_needed"]
        ],
        "not_assessed": _not_assessed(states or []),
        "identity_links": [pick(row, IDENTITY_LINK_COLUMNS) for row in identity_links or []],
    }


def _not_assessed(states: list[Row]) -> list[Row]:
    """The month's figures in state no_data, grouped by the input they lack (a target
    shares its figure's state: only the figure is named)."""
    targets = {metric.id for metric in shared_lists.target_metrics()}
    grouped: dict[tuple[str, str], Row] = {}
    for row in states:
        if row["state"] != "no_data" or row["metric"] in targets:
            continue
        key = (row["input"], row["no_data_reason"])
        entry = grouped.setdefault(
            key,
            {
                "input": row["input"],
                "no_data_reason": row["no_data_reason"],
                "metrics": [],
                "offer_ids": [],
            },
        )
        if row["metric"] not in entry["metrics"]:
            entry["metrics"].append(row["metric"])
        if row["offer_id"] not in entry["offer_ids"]:
            entry["offer_ids"].append(row["offer_id"])
    return list(grouped.values())


def _state(row: Row | None, period_start: Any, period_end: Any) -> Row:
    """A figure's state and its period; no row: the figure does not apply (state null)."""
    state = {name: (row[name] if row else None) for name in STATE_COLUMNS}
    return {**state, "period_start": period_start, "period_end": period_end}


def _company(company: Row) -> Row:
    return {
        "name": company["company_name"],
        "language": company["language"],
        "currency": company["currency"],
        "first_data_date": company["first_data_date"],
        "last_data_date": company["last_data_date"],
        "last_complete_month": company["last_complete_month"],
    }


def _method(company: Row) -> Row:
    """The method's thresholds the appendix states, and what redaction removes."""
    return {
        "signals": {name: company[name] for name in METHOD_SIGNAL_COLUMNS},
        "gaps": {name: company[name] for name in METHOD_GAP_COLUMNS},
        "voice": {name: company[name] for name in METHOD_VOICE_COLUMNS},
        # the redactor's own description of its rules (flows/voice/redaction.py)
        "redaction": [
            {"kind": kind.kind, "token": kind.token, "fr": kind.fr, "en": kind.en} for kind in KINDS
        ],
    }


def _glance(row: Row) -> Row:
    return {
        "rank": row["finding_rank"],
        "finding_type": row["finding_type"],
        "offer_id": row["offer_id"],
        "theme_id": row["theme_id"],
        "segment_id": row["segment_id"],
        "metric": row["metric"],
        "classification": row["classification"],
        "headline_value": row["headline_value"],
        "comparison_value": row["comparison_value"],
        "subject_id": row["subject_id"],
        "gap_id": row["gap_id"],
        "item_id": row["item_id"],
        "decision_id": row["decision_id"],
    }


def _offer(offer: Row, states: list[Row], company: Row) -> Row:
    by_metric = {row["metric"]: row for row in states if row["offer_id"] == offer["offer_id"]}
    periods = {
        "month": (offer["report_month"], offer["month_end"]),
        "window": (offer["window_start"], offer["month_end"]),
    }
    figure_states = {}
    for figure, (metric, period) in OFFER_FIGURE_STATES.items():
        start, end = periods[period]
        if metric is None:  # a count of the month: what was found is what there is
            figure_states[figure] = {
                **_state(None, start, end),
                "state": "measured",
                "metric": None,
            }
        else:
            figure_states[figure] = {**_state(by_metric.get(metric), start, end), "metric": metric}
    return {
        "offer_id": offer["offer_id"],
        "offer_name": offer["offer_name"],
        "offer_kind": offer["offer_kind"],
        "top_off_target_segment_id": offer["top_off_target_segment_id"],
        "top_off_target_channel": offer["top_off_target_channel"],
        "top_unintended_use_theme_id": offer["top_unintended_use_theme_id"],
        "period": {"start": offer["report_month"], "end": offer["month_end"]},
        "window": {
            "start": offer["window_start"],
            "end": offer["month_end"],
            "months": company["gap_window_months"],
        },
        "figures": pick(offer, OFFER_FIGURES),
        "figure_states": figure_states,
    }


# ----------------------------------------------------------------------- findings


def _findings(rows: dict[str, list[Row]], company: Row) -> list[Row]:
    """Every finding, by type: gaps, experiments, decisions, signals, emerging terms."""
    verbatims = rows["rpt_brief__verbatims"]
    # the brief shows significant gaps and every target; the other candidates stay in
    # the warehouse (report.rpt_brief__gaps), selected there by is_reported
    return [
        *(_gap(gap) for gap in rows["rpt_brief__gaps"] if gap["is_reported"]),
        *(_experiment(item, company) for item in rows["rpt_brief__experiments"]),
        *(_decision(decision) for decision in rows["rpt_brief__decisions"]),
        *(_signal(signal, verbatims) for signal in rows["rpt_brief__signals"]),
        *(_emerging_term(term) for term in rows["rpt_brief__emerging_terms"]),
    ]


def _gap(gap: Row) -> Row:
    return {
        "type": "gap",
        "finding_id": f"gap/{gap['gap_id']}",
        "gap_id": gap["gap_id"],
        "offer_id": gap["offer_id"],
        "segment_id": gap["segment_id"],
        "dimension": gap["dimension"],
        "gap_type": gap["gap_type"],
        "metric": gap["metric"],
        "subject_id": gap["subject_id"],
        "subject_label": (
            {"fr": gap["subject_label_fr"], "en": gap["subject_label_en"]}
            if gap["subject_label_fr"] or gap["subject_label_en"]
            else None
        ),
        "comparison": gap["comparison"],
        "direction": gap["direction"],
        "is_breach": gap["is_breach"],
        "is_significant": gap["is_significant"],
        "is_beyond": gap["is_beyond"],
        "has_sample": gap["has_sample"],
        # "ok" (on target, within tolerance) only for a measured gap
        "classification": (
            "breach" if gap["is_breach"] else "ok" if gap["state"] == "measured" else gap["state"]
        ),
        "rank": gap["gap_rank"],
        "type_rank": gap["type_rank"],
        "state": _state(gap, gap["period_start"], gap["period_end"]),
        "figures": pick(gap, GAP_FIGURES),
        "evidence": {
            "evidence_ids": gap["evidence_ids"] or [],
            "account_ids": gap["account_ids"] or [],
            "source": f"marts.{gap['source_model']}",
            "source_id": gap["source_id"],
        },
    }


def _experiment(item: Row, company: Row) -> Row:
    components = {}
    for component, (input_key, floor, observed) in EXPERIMENT_COMPONENTS.items():
        components[component] = {
            "state": item[f"{component}_state"],
            "input": input_key,
            "no_data_reason": item[f"{component}_no_data_reason"],
            "floor_name": floor,
            "floor_value": company[floor] if floor else None,
            "observed_value": item[observed] if observed else None,
            "period_start": item["period_start"],
            "period_end": item["period_end"],
        }
    return {
        "type": "experiment",
        "finding_id": f"experiment/{item['offer_id']}/{item['item_id']}",
        "offer_id": item["offer_id"],
        "item_id": item["item_id"],
        "scope": item["scope"],
        "item_name": item["item_name"],
        "classification": item["recommendation"],
        "reasons": item["reasons"] or [],
        "rank": item["recommendation_rank"],
        "period": {"start": item["period_start"], "end": item["period_end"]},
        "figures": pick(item, EXPERIMENT_FIGURES),
        "component_states": components,
        "evidence": {"evidence_ids": item["evidence_ids"] or []},
    }


def _decision(decision: Row) -> Row:
    return {
        "type": "decision",
        "finding_id": f"decision/{decision['decision_id']}/{decision['metric']}",
        "decision_id": decision["decision_id"],
        "decision_date": decision["decision_date"],
        "offer_id": decision["offer_id"],
        "theme_id": decision["theme_id"],
        "metric": decision["metric"],
        "summary": {"fr": decision["summary_fr"], "en": decision["summary_en"]},
        "classification": decision["status"],
        "is_higher_better": decision["is_higher_better"],
        "windows": {
            "before_start": decision["before_start"],
            "before_end": decision["before_end"],
            "after_start": decision["after_start"],
        },
        "figures": pick(decision, DECISION_FIGURES),
    }


def _signal(signal: Row, verbatims: list[Row]) -> Row:
    return {
        "type": "signal",
        "finding_id": f"signal/{signal['theme_id']}",
        "theme_id": signal["theme_id"],
        "offer_id": signal["top_offer_id"],
        "signal_kind": signal["signal_kind"],
        "label": {"fr": signal["theme_label_fr"], "en": signal["theme_label_en"]},
        "classification": signal["classification"],
        "rising_scope": signal["rising_scope"],
        "trend_test_direction": signal["trend_test_direction"],
        "periods": _signal_periods(signal),
        "figures": pick(signal, SIGNAL_FIGURES),
        "verbatims": [
            {
                "quote_rank": quote["quote_rank"],
                "evidence_id": quote["evidence_id"],
                "evidence_source": quote["evidence_source"],
                "created_date": quote["created_date"],
                "offer_id": quote["offer_id"],
                "quote": quote["quote"],
            }
            for quote in verbatims
            if quote["theme_id"] == signal["theme_id"]
        ],
    }


def _signal_periods(row: Row) -> Row:
    """The windows a signal's (or a term's) figures cover: recent, baseline, trend test."""
    return {
        "recent": {"start": row["recent_start"], "end": row["recent_end"]},
        "baseline": {"start": row["baseline_start"], "end": row["baseline_end"]},
        "trend": {"start": row["trend_start"], "end": row["recent_end"]},
    }


def _emerging_term(term: Row) -> Row:
    return {
        "type": "emerging_term",
        "finding_id": f"emerging_term/{term['term_key']}",
        "term": term["term"],
        "term_key": term["term_key"],
        "evidence_source": term["evidence_source"],
        "word_count": term["word_count"],
        "classification": "emerging",
        "rank": term["term_rank"],
        "periods": _signal_periods(term),
        "figures": pick(term, TERM_FIGURES),
        "verbatims": term["examples"],
    }


# ------------------------------------------------------------------------- labels


def _labels(rows: dict[str, list[Row]]) -> Row:
    """The names of every id the findings use, in both languages where they have two."""
    offers, gaps = rows["rpt_brief__offers"], rows["rpt_brief__gaps"]
    decisions = rows["rpt_brief__decisions"]
    return {
        "offers": {row["offer_id"]: row["offer_name"] for row in [*gaps, *offers]},
        "themes": _theme_labels(offers, gaps, decisions, rows["rpt_brief__signals"]),
        "segments": _segment_labels(offers, gaps),
        "items": {
            row["item_id"]: row["item_name"]
            for row in rows["rpt_brief__experiments"]
            if row["scope"] == "item"
        },
        "decisions": {
            row["decision_id"]: {"fr": row["summary_fr"], "en": row["summary_en"]}
            for row in decisions
        },
    }


def _theme_labels(
    offers: list[Row], gaps: list[Row], decisions: list[Row], signals: list[Row]
) -> dict[str, dict[str, str]]:
    # every table names the themes it holds; a later source wins for the same theme
    return {
        **{
            offer["top_unintended_use_theme_id"]: {
                "fr": offer["top_unintended_use_label_fr"],
                "en": offer["top_unintended_use_label_en"],
            }
            for offer in offers
            if offer["top_unintended_use_theme_id"] is not None
        },
        **{
            gap["subject_id"]: {
                "fr": gap["subject_label_fr"],
                "en": gap["subject_label_en"],
            }
            for gap in gaps
            if gap["gap_type"] == "use"
        },
        **{
            row["theme_id"]: {"fr": row["theme_label_fr"], "en": row["theme_label_en"]}
            for row in decisions
            if row["theme_id"] is not None
        },
        **{
            signal["theme_id"]: {
                "fr": signal["theme_label_fr"],
                "en": signal["theme_label_en"],
            }
            for signal in signals
        },
    }


def _segment_labels(offers: list[Row], gaps: list[Row]) -> dict[str, dict[str, str]]:
    # an offer's top off-target segment first; gaps only add segments not named yet
    segment_labels: dict[str, dict[str, str]] = {}
    for offer in offers:
        if offer["top_off_target_segment_id"] is not None:
            segment_labels[offer["top_off_target_segment_id"]] = {
                "fr": offer["top_off_target_segment_label_fr"],
                "en": offer["top_off_target_segment_label_en"],
            }
    for gap in gaps:
        if gap["segment_id"] is not None and gap["segment_label_fr"] is not None:
            segment_labels.setdefault(
                gap["segment_id"],
                {
                    "fr": gap["segment_label_fr"],
                    "en": gap["segment_label_en"],
                },
            )
    return segment_labels


def _sources() -> dict[str, str]:
    """The warehouse table behind each part of the file."""
    return {
        "company": f"{REPORT_SCHEMA}.rpt_brief__company",
        "coverage": f"{REPORT_SCHEMA}.rpt_brief__coverage",
        "stale_sources": f"{REPORT_SCHEMA}.rpt_brief__freshness",
        "data_health": f"{REPORT_SCHEMA}.rpt_brief__data_checks",
        "data_health_sources": f"{REPORT_SCHEMA}.rpt_brief__data_health",
        "data_health_identity_links": f"{REPORT_SCHEMA}.rpt_brief__identity_links",
        "figure_states": f"{REPORT_SCHEMA}.rpt_brief__figure_states",
        "at_a_glance": f"{REPORT_SCHEMA}.rpt_brief__at_a_glance",
        "offers": f"{REPORT_SCHEMA}.rpt_brief__offers",
        "gap": f"{REPORT_SCHEMA}.rpt_brief__gaps",
        "signal": f"{REPORT_SCHEMA}.rpt_brief__signals",
        "verbatims": f"{REPORT_SCHEMA}.rpt_brief__verbatims",
        "emerging_term": f"{REPORT_SCHEMA}.rpt_brief__emerging_terms",
        "experiment": f"{REPORT_SCHEMA}.rpt_brief__experiments",
        "decision": f"{REPORT_SCHEMA}.rpt_brief__decisions",
    }


def findings_json(findings: dict[str, Any]) -> str:
    """The findings as the text of brief-YYYY-MM.json (stable key order, UTF-8)."""
    return json.dumps(findings, ensure_ascii=False, indent=2) + "\n"
