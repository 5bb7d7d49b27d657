"""The findings dict and JSON: same figures as the warehouse, one month only, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

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
    assert written["schema_version"] == SCHEMA_VERSION == "1.2"
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
        assert gap["classification"] == ("breach" if row["is_breach"] else "ok")
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


def test_a_month_without_data_is_a_clear_error(report_warehouse: Path, tmp_path: Path) -> None:
    with pytest.raises(BriefError, match=r"no data for 2025-07.*2024-01-03 to 2025-04-12"):
        write_brief(report_warehouse, "2025-07", tmp_path)
    assert not list(tmp_path.iterdir()), "nothing is written when the brief fails"


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
