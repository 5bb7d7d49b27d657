"""The signal evaluation's scoring, on a hand-made warehouse and ground truth."""

from __future__ import annotations

from pathlib import Path

import duckdb

from flows.demo.signals_eval import evaluate_warehouse, format_report

MONTHS = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
# theme -> classification per month (the last complete month is 2026-05; June is partial)
SERIES = {
    "repair": ["stable", "stable", "weak", "emerging", "strong", "strong"],  # start 02: +1
    "donation": ["weak", "stable", "stable", "stable", "stable", "emerging"],  # start 02: never
    "price": ["stable", "stable", "fading", "stable", "stable", "stable"],  # control, 1 flag
    "quality": ["insufficient_data", "stable", "stable", "stable", "stable", "weak"],  # control
}
TRUTH = {
    "last_complete_month": "2026-05",
    "scenarios": [
        {"kind": "signal", "theme": "repair", "start_month": "2026-02", "expect": "rising"},
        {"kind": "rejection", "theme": "donation", "start_month": "2026-02", "expect": "rising"},
        {"kind": "experiment", "theme": "keep-item", "start_month": "2026-02", "expect": "x"},
        {
            "kind": "unlabelled_phrase",
            "phrase": "housse de coussin",
            "phrase_en": "cushion cover",
            "start_month": "2026-03",
        },
    ],
    "control_themes": ["price", "quality"],
}


def make_warehouse(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema report")
        con.execute(
            "create table report.rpt_brief__signals "
            "(theme_id varchar, report_month date, classification varchar)"
        )
        con.execute(
            "create table report.rpt_brief__emerging_terms (report_month date, term varchar)"
        )
        for theme, classes in SERIES.items():
            for month, classification in zip(MONTHS, classes, strict=True):
                con.execute(
                    "insert into report.rpt_brief__signals values (?, ?, ?)",
                    [theme, f"{month}-01", classification],
                )
        for month, term in (("2026-02", "cushion cover"), ("2026-04", "housse de coussin")):
            con.execute(
                "insert into report.rpt_brief__emerging_terms values (?, ?)", [f"{month}-01", term]
            )
    return path


def test_recall_delay_false_alarms_and_precision(tmp_path: Path) -> None:
    result = evaluate_warehouse(make_warehouse(tmp_path / "w.duckdb"), TRUTH, seed=1, orders=500)
    delays = {t.theme: (t.first_flagged, t.delay, t.at_last_month) for t in result.themes}
    assert delays == {
        "repair": ("2026-03", 1, "strong"),
        "donation": (None, None, "stable"),  # its January weak is before the start
    }
    assert result.recall(3) == 0.5
    # controls: 4 + 5 classified months up to May, one fading flag; June is not counted
    assert (result.control_flagged, result.control_months) == (1, 9)
    # rising theme-months up to May: repair Mar-May (true) and donation in January (false)
    assert (result.rising_true, result.rising_months) == (3, 4)
    # the phrase is first listed two months after its start (the February listing is early)
    assert (result.phrase_first_month, result.phrase_at_last_month) == ("2026-04", False)


def test_report_states_the_totals(tmp_path: Path) -> None:
    result = evaluate_warehouse(make_warehouse(tmp_path / "w.duckdb"), TRUTH, seed=1, orders=500)
    report = format_report([result], max_delay=3)
    assert "500 orders, 1 seeds: recall 1/2 = 50.0%, precision 3/4 = 75.0%" in report
    assert "control false alarms 1/9 = 11.1%" in report
