"""The signal evaluation's scoring, on hand-made classifications and ground truth; and a
smoke run of the whole evaluation (tiny company, one seed), so the command cannot rot."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flows.demo.signals_eval import (
    Tally,
    evaluate,
    format_report,
    read_classes,
    score_run,
)

MONTHS = [f"2025-{m:02d}" for m in range(1, 13)] + [f"2026-{m:02d}" for m in range(1, 7)]
LAST = "2026-05"  # June is partial: never scored


def series(*classes: str) -> dict[str, str]:
    return dict(zip(MONTHS, classes, strict=False))


TRUTH = {
    "last_complete_month": LAST,
    "control_themes": ["price"],
    "scenarios": [
        {"kind": "signal", "theme": "repair", "start_month": "2026-01", "expect": "rising"},
        {"kind": "experiment", "theme": "keep-item", "start_month": "2026-01", "expect": "x"},
    ],
    "realistic": {
        "months": MONTHS,
        "themes": {
            "hem": {"role": "rise", "effect": 2.0, "start_month": "2025-10", "shock_months": []},
            "eco": {"role": "rise", "effect": 1.5, "start_month": "2026-02", "shock_months": []},
            "web": {"role": "plateau", "effect": 3.0, "start_month": "2025-06", "shock_months": []},
            "stock": {"role": "shock", "effect": 2.5, "start_month": None,
                      "shock_months": ["2025-09", "2026-05"]},
            "smell": {"role": "overdispersed", "effect": None, "start_month": None,
                      "shock_months": []},
            "gift": {"role": "seasonal", "effect": None, "start_month": None, "shock_months": [],
                     "peak_months": ["2024-12", "2025-12", "2026-01"]},
        },
    },
}  # fmt: skip

CLASSES = {
    # rise from October: weak in November (delay 1), emerging from December; kept while
    # established or rising, lost in April
    "hem": series(*["stable"] * 9, "stable", "weak", "emerging", "emerging", "established",
                  "established", "stable", "established", "strong"),
    # rise from February: never flagged within 3 months (emerging in June is past the
    # last complete month)
    "eco": series(*["stable"] * 13, "stable", "stable", "stable", "stable", "emerging"),
    # ramp from June: emerging in June (delay 0), then established throughout
    "web": series(*["stable"] * 5, "emerging", "emerging", *["established"] * 11),
    # shocks in September (spike: caught) and May (stable: missed); rising flags in the
    # months after September (October weak: an aftermath alarm)
    "stock": series(*["stable"] * 8, "spike", "weak", "stable", "stable", *["stable"] * 4,
                    "stable", "emerging"),
    # an overdispersed control: fading in March, seasonal in August (a false alarm: it has
    # no season), insufficient data in January (not counted)
    "smell": series("insufficient_data", "stable", "fading", *["stable"] * 4, "seasonal",
                    *["stable"] * 9, "weak"),
    # seasonal control: emerging at its first peak, seasonal at its second (December 2025,
    # a year on), spike in January 2026 (a peak month flagged rising)
    "gift": series(*["stable"] * 11, "seasonal", "spike", *["stable"] * 5),
    # a control of the demo: one weak month
    "price": series(*["stable"] * 4, "weak", *["stable"] * 13),
    # the demo's planted ramp, detected at its start
    "repair": series(*["stable"] * 12, "emerging", *["strong"] * 5),
}  # fmt: skip


@pytest.fixture(scope="module")
def score():
    return score_run(CLASSES, TRUTH, "tuning", seed=1, orders=500)


def test_rises_recall_and_delay(score):
    rises = {r.theme: (r.effect, r.delay, r.significant_delay) for r in score.rises}
    assert rises == {
        "hem": ("2x", 1, 2),
        "eco": ("1.5x", None, None),  # June is past the last complete month
        "web": ("3x ramp", 0, 0),
        "repair": ("demo ramp", 0, 0),
    }


def test_established_keeps_the_flag_from_the_first_significant_month(score):
    kept = {r.theme: (r.kept.hits, r.kept.total) for r in score.rises}
    # hem: December to May = 6 months, April stable
    assert kept["hem"] == (5, 6)
    assert kept["web"] == (12, 12)  # June 2025 to May 2026
    assert kept["eco"] == (0, 0)


def test_shocks_in_their_month_and_after(score):
    shocks = {
        (s.month, s.classification, s.aftermath.hits, s.aftermath.total) for s in score.shocks
    }
    # May 2026 has no month after it within the data
    assert shocks == {("2025-09", "spike", 1, 3), ("2026-05", "stable", 0, 0)}


def test_control_false_alarms_by_type(score):
    plain, overdispersed = score.controls["plain"], score.controls["overdispersed"]
    assert (plain.hits, plain.total) == (1, 17)  # price: weak in May 2025
    # smell: February to May 2026 (16 tested months), fading and seasonal
    assert (overdispersed.hits, overdispersed.total) == (2, 16)
    seasonal = score.controls["seasonal"]
    assert (seasonal.hits, seasonal.total) == (1, 17)  # the January spike
    a_year_on = score.controls["seasonal, a year on"]
    assert (a_year_on.hits, a_year_on.total) == (1, 5)  # January to May 2026
    assert score.control_classes[("overdispersed", "seasonal")] == 1
    # peak months a year on: January 2026 only (a spike; December 2025 is the data's
    # twelfth month, its season cannot be known yet)
    assert (score.seasonal_peaks.hits, score.seasonal_peaks.total) == (1, 1)
    assert (score.seasonal_named.hits, score.seasonal_named.total) == (0, 1)


def test_precision_per_class(score):
    classes = {c: (t.hits, t.total) for c, t in score.classes.items()}
    assert classes["spike"] == (1, 2)  # stock in its shock month; gift's peak is not a rise
    # hem in November; stock after its shock and price are not (smell's June is past the
    # last complete month)
    assert classes["weak"] == (1, 3)
    assert classes["seasonal"] == (1, 2)  # gift (seasonal) yes, smell no
    assert classes["fading"] == (0, 1)  # nothing is planted to fall
    assert classes["established"] == (13, 13)  # hem 3 months, web 10


def test_report_names_every_table(score):
    report = format_report([score], max_delay=3)
    for heading in ("Planted rises", "One-month shocks", "Control false alarms", "Per class"):
        assert heading in report
    assert "== tuning seeds 1 · 500 orders ==" in report
    assert "2x             1  100.0%  100.0%     1   83.3%      6" in report


def test_tally_rate():
    tally = Tally()
    assert tally.rate != tally.rate  # NaN without observations
    tally.add(True)
    tally.add(False)
    assert (tally.hits, tally.total, tally.rate) == (1, 2, 0.5)


def test_read_classes_stops_at_the_last_complete_month(tmp_path: Path):
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema report")
        con.execute(
            "create table report.rpt_brief__signals "
            "(theme_id varchar, report_month date, classification varchar)"
        )
        con.execute(
            "insert into report.rpt_brief__signals values "
            "('a', '2026-04-01', 'weak'), ('a', '2026-05-01', 'spike'), ('a', '2026-06-01', 'strong')"
        )
    assert read_classes(warehouse, "2026-05") == {"a": {"2026-04": "weak", "2026-05": "spike"}}


@pytest.mark.slow
def test_the_evaluation_runs_end_to_end_on_a_tiny_company(tmp_path: Path):
    """The command's path, for real: generate the realistic mode, ingest, build, score."""
    scores = evaluate({"tuning": [3]}, [400], tmp_path)
    (score,) = scores
    assert score.rises and score.shocks
    assert score.controls["plain"].total > 0
    # at 400 orders the realistic themes hold too few voices to be tested (insufficient
    # data): they are scored, with no tested month
    assert {"overdispersed", "seasonal"} <= set(score.controls)
    report = format_report(scores, max_delay=3)
    assert "== tuning seeds 3 · 400 orders ==" in report
