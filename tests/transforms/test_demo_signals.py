"""The whole chain on the demo company: the planted stories must come out of the models.

Slow (generates 20 000 orders, loads them and builds every model): run with `-m slow`.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_warehouse(demo_run) -> tuple[Path, dict]:
    """The session's demo run (tests/conftest.py): warehouse and ground truth."""
    return demo_run.warehouse, demo_run.truth


def test_planted_themes_rise_and_controls_do_not(demo_warehouse: tuple[Path, dict]) -> None:
    warehouse, truth = demo_warehouse
    with duckdb.connect(str(warehouse), read_only=True) as con:
        month = con.execute("select last_complete_month from report.rpt_brief__company").fetchall()
        classes = dict(
            con.execute(
                "select theme_id, classification from report.rpt_brief__signals "
                "where report_month = ?",
                [month[0][0]],
            ).fetchall()
        )
    assert month[0][0].strftime("%Y-%m") == truth["last_complete_month"]
    planted = {
        s["theme"]
        for s in truth["scenarios"]
        if s["kind"] in ("signal", "rejection") and s.get("theme")
    }
    rising = {"emerging", "weak", "strong"}
    assert {theme for theme in planted if classes[theme] in rising} == planted, classes
    for theme in truth["control_themes"]:
        assert classes[theme] in ("stable", "insufficient_data"), theme


def test_planted_themes_are_detected_within_three_months_of_their_start(
    demo_warehouse: tuple[Path, dict],
) -> None:
    from flows.demo.signals_eval import evaluate_warehouse

    warehouse, truth = demo_warehouse
    result = evaluate_warehouse(warehouse, truth, seed=truth["seed"], orders=truth["orders"])
    # the target across seeds is recall >= 0.9 within 3 months (docs/signals.md); on one
    # seed at most one theme may come a month later, and none may be missed
    delays = {t.theme: t.delay for t in result.themes}
    assert None not in delays.values(), delays
    assert sum(delay > 3 for delay in delays.values()) <= 1, delays
    assert max(delays.values()) <= 4, delays
    assert result.control_rate <= 0.05, (result.control_flagged, result.control_months)


def test_cushion_cover_is_listed_as_an_emerging_term(demo_warehouse: tuple[Path, dict]) -> None:
    warehouse, truth = demo_warehouse
    (phrase,) = [s for s in truth["scenarios"] if s["kind"] == "unlabelled_phrase"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select term, recent_customers, examples from report.rpt_brief__emerging_terms "
            "where strftime(report_month, '%Y-%m') = ?",
            [truth["last_complete_month"]],
        ).fetchall()
    terms = {term: (customers, examples) for term, customers, examples in rows}
    assert phrase["phrase"] in terms or phrase["phrase_en"] in terms, sorted(terms)
    customers, examples = terms.get(phrase["phrase"]) or terms[phrase["phrase_en"]]
    assert customers >= 4
    assert 2 <= len(examples) <= 3
    assert all(len(e["quote"]) <= 280 and "@" not in e["quote"] for e in examples)


def test_apron_trades_is_a_significant_off_target_segment(
    demo_warehouse: tuple[Path, dict],
) -> None:
    warehouse, _ = demo_warehouse
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute(
            "select gaps.is_breach, gaps.actual_value from report.rpt_brief__gaps as gaps "
            "inner join report.rpt_brief__company as company "
            "on gaps.report_month = company.last_complete_month "
            "where gaps.gap_id = 'apron:off_target_share:trades'"
        ).fetchall()
    assert row and row[0][0] is True
    assert row[0][1] > 0.2
