"""The findings dict and JSON: same figures as the warehouse, one month only, clear errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import jsonschema
import pytest

from flows.brief import BriefError
from flows.brief.findings import SCHEMA_VERSION, build_findings
from flows.brief.report_tables import TABLES
from flows.brief.write import write_brief

from .conftest import MONTH, make_report_warehouse

FINDINGS_SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "findings.schema.json"


def warehouse_rows(warehouse: Path, table: str, month: str | None = MONTH) -> list[dict]:
    """Rows of a report table read straight from DuckDB, for comparison."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        sql = f"select * from report.{table}"
        if month:
            sql += f" where report_month = date '{month}-01'"
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


@pytest.fixture(scope="module")
def findings(report_warehouse: Path) -> dict:
    return build_findings(report_warehouse, MONTH)


def test_json_file_is_the_findings_dict_and_matches_the_documented_schema(
    report_warehouse: Path, findings: dict, tmp_path: Path
) -> None:
    _, json_path = write_brief(report_warehouse, MONTH, tmp_path)
    assert json_path.name == f"brief-{MONTH}.json"
    written = json.loads(json_path.read_text(encoding="utf-8"))
    assert written == findings
    assert written["schema_version"] == SCHEMA_VERSION == "1.4"
    assert written["generated_from"] == "terrain.duckdb"
    assert written["month"] == MONTH

    jsonschema.validate(written, json.loads(FINDINGS_SCHEMA.read_text(encoding="utf-8")))


def test_offer_figures_equal_the_warehouse(report_warehouse: Path, findings: dict) -> None:
    rows = {r["offer_id"]: r for r in warehouse_rows(report_warehouse, "rpt_brief__offers")}
    assert {o["offer_id"] for o in findings["offers"]} == set(rows)
    for offer in findings["offers"]:
        row = rows[offer["offer_id"]]
        assert offer["offer_name"] == row["offer_name"]
        assert offer["top_off_target_segment_id"] == row["top_off_target_segment_id"]
        for name, value in offer["figures"].items():
            assert value == row[name], (offer["offer_id"], name)


def test_gap_findings_equal_the_warehouse(report_warehouse: Path, findings: dict) -> None:
    rows = {r["gap_id"]: r for r in warehouse_rows(report_warehouse, "rpt_brief__gaps")}
    gaps = [f for f in findings["findings"] if f["type"] == "gap"]
    assert {g["gap_id"] for g in gaps} == set(rows)
    assert [g["rank"] for g in gaps] == sorted(r["gap_rank"] for r in rows.values())
    for gap in gaps:
        row = rows[gap["gap_id"]]
        assert (gap["offer_id"], gap["segment_id"], gap["metric"], gap["gap_type"]) == (
            row["offer_id"],
            row["segment_id"],
            row["metric"],
            row["gap_type"],
        )
        assert gap["is_breach"] is row["is_breach"]
        # "ok" (on target) only for a measured gap; otherwise its state
        expected = (
            "breach" if row["is_breach"] else "ok" if row["state"] == "measured" else row["state"]
        )
        assert gap["classification"] == expected
        assert gap["state"]["state"] == row["state"]
        for name, value in gap["figures"].items():
            assert value == row[name], (gap["gap_id"], name)


def test_signal_findings_and_quotes_equal_the_warehouse(
    report_warehouse: Path, findings: dict
) -> None:
    rows = {r["theme_id"]: r for r in warehouse_rows(report_warehouse, "rpt_brief__signals")}
    quotes = warehouse_rows(report_warehouse, "rpt_brief__verbatims")
    signals = [f for f in findings["findings"] if f["type"] == "signal"]
    assert {s["theme_id"] for s in signals} == set(rows)
    for signal in signals:
        row = rows[signal["theme_id"]]
        assert signal["classification"] == row["classification"]
        assert signal["signal_kind"] == row["signal_kind"]
        assert signal["label"] == {"fr": row["theme_label_fr"], "en": row["theme_label_en"]}
        for name, value in signal["figures"].items():
            assert value == row[name], (signal["theme_id"], name)
        expected = sorted(
            (q for q in quotes if q["theme_id"] == signal["theme_id"]),
            key=lambda q: q["quote_rank"],
        )
        assert [v["quote"] for v in signal["verbatims"]] == [q["quote"] for q in expected]
        assert [v["created_date"] for v in signal["verbatims"]] == [
            q["created_date"].isoformat() for q in expected
        ]


def test_at_a_glance_and_coverage_equal_the_warehouse(
    report_warehouse: Path, findings: dict
) -> None:
    glance = warehouse_rows(report_warehouse, "rpt_brief__at_a_glance")
    glance.sort(key=lambda r: r["finding_rank"])
    assert [
        (g["rank"], g["finding_type"], g["metric"], g["headline_value"], g["comparison_value"])
        for g in findings["at_a_glance"]
    ] == [
        (
            r["finding_rank"],
            r["finding_type"],
            r["metric"],
            r["headline_value"],
            r["comparison_value"],
        )
        for r in glance
    ]
    coverage = warehouse_rows(report_warehouse, "rpt_brief__coverage", month=None)
    assert sorted(
        (c["system"], c["entity"], c["row_count"], c["rejected_rows"]) for c in findings["coverage"]
    ) == sorted((r["system"], r["entity"], r["row_count"], r["rejected_rows"]) for r in coverage)


def test_only_the_requested_month_is_read(findings: dict) -> None:
    text = json.dumps(findings, ensure_ascii=False)
    assert "41710" not in text  # February revenue of raw-denim
    assert "rev-8555" not in text  # February quote
    assert findings["report_month"] == f"{MONTH}-01"


# A month without data gives a short brief, a month not begun an error:
# test_brief_states.py.


def test_missing_report_tables_say_to_run_transform(tmp_path: Path) -> None:
    partial = make_report_warehouse(
        tmp_path / "partial.duckdb", tables=[t for t in TABLES if t != "rpt_brief__gaps"]
    )
    with pytest.raises(BriefError, match=r"report\.rpt_brief__gaps.*run `terrain transform` first"):
        build_findings(partial, MONTH)

    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(BriefError, match="run `terrain transform` first"):
        build_findings(empty, MONTH)


def test_missing_warehouse_and_bad_month_are_clear_errors(
    report_warehouse: Path, tmp_path: Path
) -> None:
    with pytest.raises(BriefError, match="does not exist"):
        build_findings(tmp_path / "nowhere.duckdb", MONTH)
    for bad in ("2025-3", "2025-13", "March 2025", ""):
        with pytest.raises(BriefError, match="YYYY-MM"):
            build_findings(report_warehouse, bad)


def test_unsupported_language_is_a_clear_error(report_warehouse: Path, tmp_path: Path) -> None:
    with pytest.raises(BriefError, match="'de'.*fr, en"):
        write_brief(report_warehouse, MONTH, tmp_path, lang="de")


def test_the_warehouse_is_not_modified(report_warehouse: Path, tmp_path: Path) -> None:
    before = report_warehouse.read_bytes()
    build_findings(report_warehouse, MONTH)
    assert report_warehouse.read_bytes() == before


# Every object of the findings JSON with its keys, in the order the file writes them (a
# finding by its type). The report tables' columns are read from the dbt contracts, and
# the findings pick from them: this pins what the JSON carries, so a column added to a
# report table does not reach the JSON by accident. Labels are keyed by ids: not pinned.
# fmt: off
OFFER_FIGURE_KEYS = 'orders units revenue buyers off_target_buyers off_target_buyer_share off_target_revenue_share top_off_target_segment_share returns return_rate repeat_rate tickets tickets_per_100_orders csat avg_rating reviews evidence_items window_revenue window_revenue_share segment_psi_vs_intended segment_psi_vs_past off_target_channel_share top_off_target_channel_share top_unintended_use_share window_return_rate window_cancellation_rate window_lost_deals window_lost_deal_rate'
STATE_KEYS = 'state input no_data_reason floor_name floor_value observed_value period_start period_end'
FINDINGS_KEYS = {
    '': 'schema_version month report_month is_complete_month month_state generated_from company coverage stale_sources data_health method at_a_glance offers findings labels sources',
    '.company': 'name language currency first_data_date last_data_date last_complete_month',
    '.coverage[]': 'system entity row_count rejected_rows first_at last_at',
    '.data_health': 'partial checks test_warnings sources missing_sources not_assessed identity_links',
    '.data_health.identity_links[]': 'entity_key linked_by row_count linked_rows linked_share',
    '.data_health.sources[]': 'entity_key system entity is_required status is_needed file_count rows_received rows_loaded rows_rejected rows_excluded reject_share first_date last_date',
    '.data_health.not_assessed[]': 'input no_data_reason metrics offer_ids',
    '.data_health.checks[]': 'stage run_date passed allow_partial is_partial failure_count failure_rules failure_entities failure_files failure_messages',
    '.method': 'signals gaps voice redaction',
    '.method.signals': 'signal_recent_months signal_baseline_months signal_baseline_gap_months signal_min_baseline_months signal_min_documents signal_fdr signal_weak_p signal_min_share_ratio signal_weak_min_documents signal_min_customers signal_strong_min_documents signal_trend_test_months signal_trend_p signal_persistence_ratio signal_persistence_months signal_dispersion_months signal_spike_reference_months signal_spike_min_ratio signal_spike_fdr signal_seasonal_share signal_seasonal_p signal_established_min_rise_months signal_established_min_ratio signal_established_p signal_established_window_months signal_trend_months signal_smoothing term_min_customers term_fdr term_min_share_ratio',
    '.method.gaps': 'gap_window_months gap_baseline_months gap_min_buyers gap_off_target_tolerance gap_channel_tolerance gap_use_tolerance gap_min_evidence gap_psi_threshold gap_bundle_window_months gap_bundle_min_lift gap_bundle_min_co_orders gap_false_discovery_rate gap_z_threshold gap_target_min_sample repeat_min_history_months gap_rejection_min_sample gap_rejection_min_events experiment_min_reviews experiment_rating_prior_reviews experiment_decision_score decision_window_months',
    '.method.voice': 'template_min_threads note_default_author_role comment_default_author_role verbatim_max_chars',
    '.method.redaction[]': 'kind token fr en',
    '.at_a_glance[]': 'rank finding_type offer_id theme_id segment_id metric classification headline_value comparison_value subject_id gap_id item_id decision_id',
    '.offers[]': 'offer_id offer_name offer_kind top_off_target_segment_id top_off_target_channel top_unintended_use_theme_id period window figures figure_states',
    '.offers[].period': 'start end',
    '.offers[].window': 'start end months',
    '.offers[].figure_states': OFFER_FIGURE_KEYS,
    **{f'.offers[].figure_states.{figure}': f'{STATE_KEYS} metric' for figure in OFFER_FIGURE_KEYS.split()},
    '.offers[].figures': OFFER_FIGURE_KEYS,
    '.findings[gap]': 'type finding_id gap_id offer_id segment_id dimension gap_type metric subject_id subject_label comparison direction is_breach is_significant is_beyond has_sample classification rank type_rank state figures evidence',
    '.findings[gap].state': STATE_KEYS,
    '.findings[gap].figures': 'expected_value actual_value gap_value sample_size gap_score min_sample_size z_score revenue_share gap_size significance business_weight revenue_at_stake',
    '.findings[gap].evidence': 'evidence_ids account_ids source source_id',
    '.findings[experiment]': 'type finding_id offer_id item_id scope item_name classification reasons rank period figures component_states evidence',
    '.findings[experiment].component_states': 'rating repeat pace request return',
    **{f'.findings[experiment].component_states.{part}': STATE_KEYS for part in ('rating', 'repeat', 'pace', 'request', 'return')},
    '.findings[experiment].period': 'start end',
    '.findings[experiment].figures': 'months_on_sale units units_per_item_month core_units_per_item_month buyers repeat_rate core_repeat_rate reviews avg_rating smoothed_rating core_avg_rating rating_z requests requests_per_100_buyers return_rate core_return_rate rating_component repeat_component pace_component request_component return_component reception_score',
    '.findings[experiment].evidence': 'evidence_ids',
    '.findings[decision]': 'type finding_id decision_id decision_date offer_id theme_id metric summary classification is_higher_better windows figures',
    '.findings[decision].summary': 'fr en',
    '.findings[decision].windows': 'before_start before_end after_start',
    '.findings[decision].figures': 'months_since_decision before_months after_months before_value after_value others_before_value others_after_value change others_change effect z_score',
    '.findings[signal]': 'type finding_id theme_id offer_id signal_kind label classification rising_scope trend_test_direction periods figures verbatims',
    '.findings[signal].periods': 'recent baseline trend',
    **{f'.findings[signal].periods.{window}': 'start end' for window in ('recent', 'baseline', 'trend')},
    '.findings[signal].label': 'fr en',
    '.findings[signal].figures': 'documents customers share baseline_documents baseline_share share_ratio z_score trend_documents recent_documents recent_customers recent_share smoothed_ratio log_ratio p_value q_value trend_p_value trend_slope offer_recent_share offer_baseline_share',
    '.findings[signal].verbatims[]': 'quote_rank evidence_id evidence_source created_date offer_id quote',
    '.findings[emerging_term]': 'type finding_id term term_key evidence_source word_count classification rank periods figures verbatims',
    '.findings[emerging_term].periods': 'recent baseline trend',
    **{f'.findings[emerging_term].periods.{window}': 'start end' for window in ('recent', 'baseline', 'trend')},
    '.findings[emerging_term].figures': 'documents customers recent_documents recent_customers recent_share baseline_documents baseline_share smoothed_ratio p_value q_value trend_documents',
    '.findings[emerging_term].verbatims[]': 'evidence_id evidence_source created_date quote',
    '.labels': 'offers themes segments items decisions',
    '.sources': 'company coverage stale_sources data_health data_health_sources data_health_identity_links figure_states at_a_glance offers gap signal verbatims emerging_term experiment decision',
}
# fmt: on


def _keys_by_object(value: Any, where: str, found: dict[str, list[str]]) -> dict[str, list[str]]:
    if isinstance(value, dict):
        keys = found.setdefault(where, [])
        keys += [key for key in value if key not in keys]
        for key, item in value.items():
            _keys_by_object(item, f"{where}.{key}", found)
    elif isinstance(value, list):
        for item in value:
            typed = isinstance(item, dict) and "type" in item
            _keys_by_object(item, f"{where}[{item['type']}]" if typed else f"{where}[]", found)
    return found


def test_the_json_carries_exactly_the_documented_keys(findings: dict) -> None:
    found = _keys_by_object(findings, "", {})
    shown = {
        where: " ".join(keys) for where, keys in found.items() if not where.startswith(".labels.")
    }
    assert shown == FINDINGS_KEYS
