"""The report tables the brief reads, read one month at a time, read-only.

`TABLES` lists every `report.rpt_brief__*` table the brief reads with the columns it
reads: the contract between the dbt project and the brief (docs/architecture.md,
section 4). `read_report` opens the warehouse read-only and returns the company row,
the coverage and freshness rows and the rows of one month of every other table, as JSON-ready
values, in the order the brief shows them (ordering only: ranks come from SQL).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from flows.brief import BriefError

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
    "rpt_brief__freshness": (
        "source", "is_stale", "last_loaded_at", "failing_since", "last_error",
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
    "rpt_brief__freshness": "source",
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
# fmt: on


@dataclass(frozen=True)
class ReportRows:
    """What the brief of one month reads from the warehouse."""

    company: dict[str, Any]  # the one row of rpt_brief__company
    coverage: list[dict[str, Any]]  # rpt_brief__coverage, every month
    months: dict[str, list[dict[str, Any]]]  # table -> its rows of the month
    freshness: list[dict[str, Any]]  # rpt_brief__freshness: every source, as of now


def read_report(warehouse: Path, report_month: date) -> ReportRows:
    """The company row, the coverage and the month's rows of every report table."""
    con = connect(warehouse)
    try:
        check_tables(con, warehouse)
        company_rows = read_table(con, "rpt_brief__company")
        if not company_rows:
            raise BriefError(
                f"{REPORT_SCHEMA}.rpt_brief__company is empty in {warehouse}: "
                "run `terrain transform` first"
            )
        month_rows = {
            table: read_table(con, table, report_month)
            for table in TABLES
            if "report_month" in TABLES[table]
        }
        coverage = read_table(con, "rpt_brief__coverage")
        freshness = read_table(con, "rpt_brief__freshness")
    finally:
        con.close()
    return ReportRows(company_rows[0], coverage, month_rows, freshness)


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
