"""The demo company end to end, through the real Prefect pipeline flow.

Generates the default-size demo, runs ingest -> transform -> brief as `terrain
demo` does, then checks the brief against the generator's ground truth and the
warehouse, and that a second run changes nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import duckdb
import jsonschema
import pytest

from flows.ingest.run import ingest_exports
from flows.intent.load import load_intent
from flows.intent.tables import write_intent_tables
from flows.transform.dbt import run_dbt

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(demo_run) -> dict:
    """The session's demo run (tests/conftest.py), as a dict for short test code."""
    return vars(demo_run)


def pdf_text(pdf: Path) -> str:
    if shutil.which("pdftotext"):
        return subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(pdf)).pages)


def planted_rising_themes(truth: dict) -> list[dict]:
    """Scenarios where customers talk more and more about a theme."""
    return [
        s
        for s in truth["scenarios"]
        if s["kind"] in ("signal", "rejection") and s.get("theme") and s.get("expect") == "rising"
    ]


def signals_by_theme(findings: dict) -> dict[str, dict]:
    return {f["theme_id"]: f for f in findings["findings"] if f["type"] == "signal"}


def table_fingerprints(warehouse: Path) -> dict[str, str]:
    """A content hash of every table in the marts and report schemas."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where schema_name in ('marts', 'report') order by all"
        ).fetchall()
        return {
            f"{schema}.{table}": con.execute(
                f"select count(*) || ':' || coalesce(md5(string_agg(cast(t as varchar), chr(10) "
                f"order by cast(t as varchar))), '') from {schema}.{table} as t"
            ).fetchone()[0]
            for schema, table in tables
        }


# Tables of when each source last loaded (run times, flows.ingest.freshness)
FRESHNESS_TABLES = ("marts.fct_source_freshness", "report.rpt_brief__freshness")


def test_brief_is_a_french_pdf_of_the_last_complete_month(demo):
    month = demo["truth"]["last_complete_month"]
    assert demo["pdf"].name == f"brief-{month}-fr.pdf"
    assert demo["json"].name == f"brief-{month}.json"
    assert demo["pdf"].read_bytes().startswith(b"%PDF-")
    text = pdf_text(demo["pdf"])
    assert "Atelier Garance" in text
    assert demo["findings"]["month"] == month


def test_findings_json_follows_the_published_schema(demo):
    schema_file = Path(__file__).resolve().parents[1] / "docs" / "findings.schema.json"
    jsonschema.validate(demo["findings"], json.loads(schema_file.read_text(encoding="utf-8")))


def test_planted_rising_themes_are_rising_and_controls_are_not(demo):
    signals = signals_by_theme(demo["findings"])
    planted = planted_rising_themes(demo["truth"])
    assert len(planted) >= 4
    for scenario in planted:
        assert signals[scenario["theme"]]["classification"] in ("emerging", "weak", "strong"), (
            scenario
        )
    for theme in demo["truth"]["control_themes"]:
        assert signals[theme]["classification"] in ("stable", "insufficient_data"), theme


def test_emerging_terms_show_the_planted_phrase(demo):
    (phrase,) = [s for s in demo["truth"]["scenarios"] if s["kind"] == "unlabelled_phrase"]
    terms = [f for f in demo["findings"]["findings"] if f["type"] == "emerging_term"]
    assert {phrase["phrase"], phrase["phrase_en"]} & {t["term"] for t in terms}
    text = pdf_text(demo["pdf"])
    assert "Termes émergents" in text
    assert phrase["phrase"] in text or phrase["phrase_en"] in text


def test_signal_section_names_the_planted_themes(demo):
    text = pdf_text(demo["pdf"])
    with duckdb.connect(str(demo["warehouse"]), read_only=True) as con:
        labels = dict(con.execute("select theme_id, label_fr from raw_intent.themes").fetchall())
    for scenario in planted_rising_themes(demo["truth"]):
        assert labels[scenario["theme"]] in text, scenario["theme"]


def test_off_target_segment_shows_on_its_offer(demo):
    (planted,) = [s for s in demo["truth"]["scenarios"] if s["kind"] == "off_target_segment"]
    gaps = [
        f
        for f in demo["findings"]["findings"]
        if f["type"] == "gap"
        and f["gap_type"] == "segment_mix"
        and f["offer_id"] == planted["offer"]
    ]
    assert gaps, "no segment-mix gap on the planted offer"
    assert any(g["segment_id"] == planted["segment"] and g["is_breach"] for g in gaps)
    offer = next(o for o in demo["findings"]["offers"] if o["offer_id"] == planted["offer"])
    assert offer["top_off_target_segment_id"] == planted["segment"]
    assert offer["figures"]["off_target_buyer_share"] > 0.2
    # Control offers show no segment-mix breach.
    for control in demo["truth"].get("control_offers", []):
        assert not any(
            f["type"] == "gap"
            and f["gap_type"] == "segment_mix"
            and f["offer_id"] == control
            and f["is_breach"]
            for f in demo["findings"]["findings"]
        ), control


def test_json_figures_equal_the_warehouse(demo):
    findings = demo["findings"]
    month = findings["report_month"]
    with duckdb.connect(str(demo["warehouse"]), read_only=True) as con:
        for gap in (f for f in findings["findings"] if f["type"] == "gap"):
            row = con.execute(
                "select expected_value, actual_value, gap_value, sample_size "
                "from report.rpt_brief__gaps where report_month = ? and gap_id = ?",
                [month, gap["gap_id"]],
            ).fetchone()
            figures = gap["figures"]
            assert row == pytest.approx(
                (
                    figures["expected_value"],
                    figures["actual_value"],
                    figures["gap_value"],
                    figures["sample_size"],
                )
            )
        for signal in (f for f in findings["findings"] if f["type"] == "signal"):
            row = con.execute(
                "select documents, customers, share from report.rpt_brief__signals "
                "where report_month = ? and theme_id = ?",
                [month, signal["theme_id"]],
            ).fetchone()
            figures = signal["figures"]
            assert row == pytest.approx(
                (figures["documents"], figures["customers"], figures["share"])
            )
        # The report layer itself agrees with the marts an analyst queries.
        for offer in findings["offers"]:
            revenue, units = con.execute(
                "select coalesce(sum(line_amount), 0), coalesce(sum(quantity), 0) "
                "from marts.fct_order_lines where is_counted and offer_id = ? and order_month = ?",
                [offer["offer_id"], month],
            ).fetchone()
            assert offer["figures"]["revenue"] == pytest.approx(revenue), offer["offer_id"]
            assert offer["figures"]["units"] == pytest.approx(units), offer["offer_id"]


def test_customer_text_is_redacted_in_the_brief(demo):
    quotes = [
        v["quote"]
        for f in demo["findings"]["findings"]
        if f["type"] == "signal"
        for v in f.get("verbatims", [])
    ]
    assert quotes
    joined = "\n".join(quotes)
    assert "@" not in joined
    assert "FR76" not in joined.replace(" ", "")


def test_second_run_on_the_same_inputs_changes_nothing(demo):
    before = table_fingerprints(demo["warehouse"])
    assert len(before) >= 10
    report = ingest_exports(demo["result"].exports_dir, demo["warehouse"])
    assert report.rows_loaded == 0
    assert all(e["files_read"] == 0 for e in report.as_dict().values())
    write_intent_tables(load_intent(demo["result"].intent_path), demo["warehouse"])
    run_dbt(demo["warehouse"])
    after = table_fingerprints(demo["warehouse"])
    # the freshness of each source says when it last loaded: a re-run moves that time
    # (and only that: the same sources, one row each)
    for table in FRESHNESS_TABLES:
        assert after.pop(table).split(":")[0] == before.pop(table).split(":")[0]
    assert after == before


def test_exchange_rates_are_not_missing_when_every_amount_is_in_euros(demo) -> None:
    health = demo["findings"]["data_health"]
    rates = next(s for s in health["sources"] if s["entity_key"] == "shop/exchange_rates")
    assert rates["status"] == "no_file" and rates["is_needed"] is False
    assert "shop/exchange_rates" not in health["missing_sources"]
    assert "shop/exchange_rates" not in pdf_text(demo["pdf"])
