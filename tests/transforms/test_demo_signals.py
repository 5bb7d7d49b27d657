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
    assert {theme: classes[theme] for theme in planted} == {theme: "rising" for theme in planted}
    for theme in truth["control_themes"]:
        assert classes[theme] != "rising", theme


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
