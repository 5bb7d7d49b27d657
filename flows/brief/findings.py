"""Read one month of the report tables and shape it into the findings dict.

The findings dict is the single source of both outputs of a brief: it is
written as `brief-YYYY-MM.json` (schema in docs/findings-schema.md) and the
PDF is rendered from it. This module only selects rows from
`report.rpt_brief__*` and renames them into that shape: every figure is the
value stored in the warehouse, and ranking and thresholds live in SQL.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

SCHEMA_VERSION = "1.1"
REPORT_SCHEMA = "report"

# The method's signal thresholds (dbt vars, columns of rpt_brief__company) the
# appendix states in plain words.
# fmt: off
METHOD_SIGNAL_COLUMNS = (
    "signal_recent_months", "signal_baseline_months", "signal_baseline_gap_months",
    "signal_min_baseline_months", "signal_min_documents", "signal_fdr", "signal_weak_p",
    "signal_min_share_ratio", "signal_weak_min_documents", "signal_min_customers",
    "signal_strong_min_documents", "signal_trend_test_months", "signal_trend_p",
    "term_min_customers", "term_fdr", "term_min_share_ratio",
)
# The method's gap, experiment and decision thresholds, for the appendix.
METHOD_GAP_COLUMNS = (
    "gap_window_months", "gap_baseline_months", "gap_min_buyers", "gap_off_target_tolerance",
    "gap_channel_tolerance", "gap_use_tolerance", "gap_min_evidence", "gap_psi_threshold",
    "gap_bundle_window_months", "gap_bundle_min_lift", "gap_bundle_min_co_orders",
    "gap_false_discovery_rate", "gap_z_threshold", "gap_target_min_sample",
    "gap_rejection_min_sample", "gap_rejection_min_events", "experiment_min_reviews",
    "experiment_rating_prior_reviews", "experiment_decision_score", "decision_window_months",
)
# fmt: on

# Every table the brief reads, with the columns it reads (the contract of
# docs/architecture.md section 4).
# fmt: off
TABLES: dict[str, tuple[str, ...]] = {
    "rpt_brief__company": (
        "company_name", "language", "currency",
        "first_data_date", "last_data_date", "last_complete_month",
        *METHOD_SIGNAL_COLUMNS,
        *METHOD_GAP_COLUMNS,
    ),
    "rpt_brief__coverage": (
        "system", "entity", "row_count", "rejected_rows", "first_at", "last_at",
    ),
    "rpt_brief__offers": (
        "report_month", "offer_id", "offer_name", "offer_kind", "orders", "units",
        "revenue", "buyers", "off_target_buyers", "off_target_buyer_share",
        "off_target_revenue_share", "top_off_target_segment_id",
        "top_off_target_segment_label_fr", "top_off_target_segment_label_en",
        "top_off_target_segment_share", "returns", "return_rate", "repeat_rate",
        "tickets", "tickets_per_100_orders", "csat", "avg_rating", "reviews",
        "evidence_items", "window_revenue", "window_revenue_share", "segment_psi_vs_intended",
        "segment_psi_vs_past", "off_target_channel_share", "top_off_target_channel",
        "top_off_target_channel_share", "top_unintended_use_theme_id",
        "top_unintended_use_label_fr", "top_unintended_use_label_en", "top_unintended_use_share",
        "window_return_rate", "window_cancellation_rate", "window_lost_deals",
        "window_lost_deal_rate",
    ),
    "rpt_brief__gaps": (
        "gap_id", "report_month", "offer_id", "offer_name", "gap_type", "metric",
        "segment_id", "expected_value", "actual_value", "gap_value", "direction",
        "is_breach", "sample_size", "gap_score", "gap_rank", "dimension", "subject_id",
        "subject_label_fr", "subject_label_en", "segment_label_fr", "segment_label_en",
        "comparison", "is_significant", "is_reported", "is_beyond", "has_sample",
        "min_sample_size", "z_score",
        "revenue_share",
        "gap_size", "significance", "business_weight", "revenue_at_stake", "type_rank",
        "source_model", "source_id", "evidence_ids", "account_ids",
    ),
    "rpt_brief__experiments": (
        "report_month", "offer_id", "item_id", "scope", "item_name", "period_start",
        "period_end", "months_on_sale", "units", "units_per_item_month",
        "core_units_per_item_month", "buyers", "repeat_rate", "core_repeat_rate", "reviews",
        "avg_rating", "smoothed_rating", "core_avg_rating", "rating_z", "requests",
        "requests_per_100_buyers", "rating_component", "repeat_component", "pace_component",
        "request_component", "reception_score", "recommendation", "reasons", "evidence_ids",
        "recommendation_rank",
    ),
    "rpt_brief__decisions": (
        "report_month", "decision_id", "decision_date", "offer_id", "offer_name", "theme_id",
        "theme_label_fr", "theme_label_en", "summary_fr", "summary_en", "metric",
        "before_start", "before_end", "after_start", "months_since_decision", "before_months",
        "after_months", "before_value", "after_value", "others_before_value",
        "others_after_value", "change", "others_change", "effect", "z_score",
        "is_higher_better", "status",
    ),
    "rpt_brief__signals": (
        "report_month", "theme_id", "theme_label_fr", "theme_label_en", "signal_kind",
        "documents", "customers", "share", "baseline_documents", "baseline_share",
        "share_ratio", "z_score", "classification", "top_offer_id", "trend_documents",
        "rising_scope", "recent_documents", "recent_customers", "recent_share",
        "smoothed_ratio", "log_ratio", "p_value", "q_value", "trend_p_value", "trend_slope",
        "offer_recent_share", "offer_baseline_share",
    ),
    "rpt_brief__emerging_terms": (
        "report_month", "term_rank", "term_key", "term", "word_count", "documents",
        "customers", "recent_documents", "recent_customers", "recent_share",
        "baseline_documents", "baseline_share", "smoothed_ratio", "p_value", "q_value",
        "trend_documents", "examples",
    ),
    "rpt_brief__verbatims": (
        "report_month", "theme_id", "quote_rank", "evidence_id", "evidence_source",
        "created_date", "offer_id", "quote",
    ),
    "rpt_brief__at_a_glance": (
        "report_month", "finding_rank", "finding_type", "offer_id", "theme_id",
        "segment_id", "metric", "classification", "headline_value", "comparison_value",
        "item_id", "item_name", "decision_id", "subject_id", "gap_id",
    ),
}

# Ordering only (no ranking is computed here): the order rows are shown in.
ORDER_BY = {
    "rpt_brief__coverage": "system, entity",
    "rpt_brief__offers": "revenue desc nulls last, offer_id",
    "rpt_brief__gaps": "gap_rank nulls last, gap_id",
    "rpt_brief__experiments": "scope desc, recommendation_rank, item_id",
    "rpt_brief__decisions": "decision_date, decision_id, metric",
    "rpt_brief__signals": (
        "case classification when 'strong' then 0 when 'emerging' then 1 when 'weak' then 2"
        " when 'fading' then 3 when 'stable' then 4 else 5 end,"
        " recent_documents desc nulls last, theme_id"
    ),
    "rpt_brief__emerging_terms": "term_rank",
    "rpt_brief__verbatims": "theme_id, quote_rank",
    "rpt_brief__at_a_glance": "finding_rank",
}

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
    "core_avg_rating", "rating_z", "requests", "requests_per_100_buyers", "rating_component",
    "repeat_component", "pace_component", "request_component", "reception_score",
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
SIGNAL_KINDS = ("adapt", "circumvent", "suggest", "transform", "reject")

# fmt: on

MONTH_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class BriefError(Exception):
    """The brief cannot be produced; the message says why and what to do."""


def parse_month(month: str) -> date:
    """'2025-03' -> date(2025, 3, 1); anything else is a BriefError."""
    match = MONTH_PATTERN.match(month or "")
    if not match:
        raise BriefError(f"month {month!r} is not of the form YYYY-MM (for example 2025-03)")
    return date(int(match[1]), int(match[2]), 1)


def to_json_value(value: Any) -> Any:
    """A warehouse value as JSON: dates as ISO strings, non-finite numbers as null."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list | tuple):
        return [to_json_value(item) for item in value]
    if isinstance(value, dict):
        return {key: to_json_value(item) for key, item in value.items()}
    return value


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only, so a brief never changes it."""
    if not warehouse.is_file():
        raise BriefError(
            f"warehouse {warehouse} does not exist: run `terrain run` (or `terrain load` "
            "then `terrain transform`) to build it, or pass the right --warehouse"
        )
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as error:
        raise BriefError(
            f"cannot open warehouse {warehouse} read-only ({error}); if another process "
            "is writing to it, wait for it to finish and try again"
        ) from error
    con.execute("set TimeZone = 'UTC'")
    return con


def check_tables(con: duckdb.DuckDBPyConnection, warehouse: Path) -> None:
    present = {
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables where table_schema = ?",
            [REPORT_SCHEMA],
        ).fetchall()
    }
    missing = [name for name in TABLES if name not in present]
    if missing:
        listed = ", ".join(f"{REPORT_SCHEMA}.{name}" for name in missing)
        raise BriefError(
            f"warehouse {warehouse} has no report table {listed}: run `terrain transform` first"
        )


def read_table(
    con: duckdb.DuckDBPyConnection, table: str, month: date | None = None
) -> list[dict[str, Any]]:
    """Rows of one report table (of one month when the table has a month)."""
    columns = TABLES[table]
    sql = f"select {', '.join(columns)} from {REPORT_SCHEMA}.{table}"
    params: list[Any] = []
    if "report_month" in columns:
        sql += " where report_month = ?"
        params.append(month)
    if table in ORDER_BY:
        sql += f" order by {ORDER_BY[table]}"
    try:
        rows = con.execute(sql, params).fetchall()
    except duckdb.Error as error:
        raise BriefError(
            f"{REPORT_SCHEMA}.{table} does not match what the brief reads ({error}); "
            "the warehouse may come from another version: run `terrain transform` again"
        ) from error
    return [{c: to_json_value(v) for c, v in zip(columns, row, strict=True)} for row in rows]


def pick(row: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: row[name] for name in names}


def build_findings(warehouse: Path, month: str) -> dict[str, Any]:
    """The findings dict for `month` ('YYYY-MM') from the warehouse's report tables."""
    report_month = parse_month(month)
    warehouse = Path(warehouse)
    con = connect(warehouse)
    try:
        check_tables(con, warehouse)
        company_rows = read_table(con, "rpt_brief__company")
        if not company_rows:
            raise BriefError(
                f"{REPORT_SCHEMA}.rpt_brief__company is empty in {warehouse}: "
                "run `terrain transform` first"
            )
        company = company_rows[0]
        month_rows = {
            table: read_table(con, table, report_month)
            for table in TABLES
            if "report_month" in TABLES[table]
        }
        coverage = read_table(con, "rpt_brief__coverage")
    finally:
        con.close()

    if not month_rows["rpt_brief__offers"] and not month_rows["rpt_brief__signals"]:
        raise BriefError(
            f"no data for {month} in {warehouse}: the data covers "
            f"{company['first_data_date']} to {company['last_data_date']}; choose a month "
            "in that range (or load newer exports and run `terrain transform`)"
        )

    return shape_findings(warehouse, report_month, company, coverage, month_rows)


def shape_findings(
    warehouse: Path,
    report_month: date,
    company: dict[str, Any],
    coverage: list[dict[str, Any]],
    rows: dict[str, list[dict[str, Any]]],
) -> dict[str, Any]:
    """Rename the selected rows into the documented findings shape."""
    offers = rows["rpt_brief__offers"]
    gaps = rows["rpt_brief__gaps"]
    signals = rows["rpt_brief__signals"]
    verbatims = rows["rpt_brief__verbatims"]

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

    findings: list[dict[str, Any]] = []
    # the brief shows significant gaps and every target; the other candidates stay in
    # the warehouse (report.rpt_brief__gaps), selected there by is_reported
    for gap in (gap for gap in gaps if gap["is_reported"]):
        findings.append(
            {
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
                "classification": "breach" if gap["is_breach"] else "ok",
                "rank": gap["gap_rank"],
                "type_rank": gap["type_rank"],
                "figures": pick(gap, GAP_FIGURES),
                "evidence": {
                    "evidence_ids": gap["evidence_ids"] or [],
                    "account_ids": gap["account_ids"] or [],
                    "source": f"marts.{gap['source_model']}",
                    "source_id": gap["source_id"],
                },
            }
        )
    for item in rows["rpt_brief__experiments"]:
        findings.append(
            {
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
                "evidence": {"evidence_ids": item["evidence_ids"] or []},
            }
        )
    for decision in rows["rpt_brief__decisions"]:
        findings.append(
            {
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
        )
    for signal in signals:
        findings.append(
            {
                "type": "signal",
                "finding_id": f"signal/{signal['theme_id']}",
                "theme_id": signal["theme_id"],
                "offer_id": signal["top_offer_id"],
                "signal_kind": signal["signal_kind"],
                "label": {"fr": signal["theme_label_fr"], "en": signal["theme_label_en"]},
                "classification": signal["classification"],
                "rising_scope": signal["rising_scope"],
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
        )

    for term in rows["rpt_brief__emerging_terms"]:
        findings.append(
            {
                "type": "emerging_term",
                "finding_id": f"emerging_term/{term['term_key']}",
                "term": term["term"],
                "term_key": term["term_key"],
                "word_count": term["word_count"],
                "classification": "emerging",
                "rank": term["term_rank"],
                "figures": pick(term, TERM_FIGURES),
                "verbatims": term["examples"],
            }
        )

    return {
        "schema_version": SCHEMA_VERSION,
        "month": report_month.strftime("%Y-%m"),
        "report_month": report_month.isoformat(),
        "is_complete_month": (
            company["last_complete_month"] is not None
            and report_month.isoformat() <= company["last_complete_month"]
        ),
        "generated_from": warehouse.name,
        "company": {
            "name": company["company_name"],
            "language": company["language"],
            "currency": company["currency"],
            "first_data_date": company["first_data_date"],
            "last_data_date": company["last_data_date"],
            "last_complete_month": company["last_complete_month"],
        },
        "coverage": coverage,
        "method": {
            "signals": {name: company[name] for name in METHOD_SIGNAL_COLUMNS},
            "gaps": {name: company[name] for name in METHOD_GAP_COLUMNS},
        },
        "at_a_glance": [
            {
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
            for row in rows["rpt_brief__at_a_glance"]
        ],
        "offers": [
            {
                "offer_id": offer["offer_id"],
                "offer_name": offer["offer_name"],
                "offer_kind": offer["offer_kind"],
                "top_off_target_segment_id": offer["top_off_target_segment_id"],
                "top_off_target_channel": offer["top_off_target_channel"],
                "top_unintended_use_theme_id": offer["top_unintended_use_theme_id"],
                "figures": pick(offer, OFFER_FIGURES),
            }
            for offer in offers
        ],
        "findings": findings,
        "labels": {
            "offers": {row["offer_id"]: row["offer_name"] for row in [*gaps, *offers]},
            "themes": {
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
                    for row in rows["rpt_brief__decisions"]
                    if row["theme_id"] is not None
                },
                **{
                    signal["theme_id"]: {
                        "fr": signal["theme_label_fr"],
                        "en": signal["theme_label_en"],
                    }
                    for signal in signals
                },
            },
            "segments": segment_labels,
            "items": {
                row["item_id"]: row["item_name"]
                for row in rows["rpt_brief__experiments"]
                if row["scope"] == "item"
            },
            "decisions": {
                row["decision_id"]: {"fr": row["summary_fr"], "en": row["summary_en"]}
                for row in rows["rpt_brief__decisions"]
            },
        },
        "sources": {
            "company": f"{REPORT_SCHEMA}.rpt_brief__company",
            "coverage": f"{REPORT_SCHEMA}.rpt_brief__coverage",
            "at_a_glance": f"{REPORT_SCHEMA}.rpt_brief__at_a_glance",
            "offers": f"{REPORT_SCHEMA}.rpt_brief__offers",
            "gap": f"{REPORT_SCHEMA}.rpt_brief__gaps",
            "signal": f"{REPORT_SCHEMA}.rpt_brief__signals",
            "verbatims": f"{REPORT_SCHEMA}.rpt_brief__verbatims",
            "emerging_term": f"{REPORT_SCHEMA}.rpt_brief__emerging_terms",
            "experiment": f"{REPORT_SCHEMA}.rpt_brief__experiments",
            "decision": f"{REPORT_SCHEMA}.rpt_brief__decisions",
        },
    }


def findings_json(findings: dict[str, Any]) -> str:
    """The findings as the text of brief-YYYY-MM.json (stable key order, UTF-8)."""
    return json.dumps(findings, ensure_ascii=False, indent=2) + "\n"
