"""Intent versus usage on the demo company, against the generator's ground truth.

The planted off-target segment, the capsule's loved and unloved items, the chino's
rejection pattern and the repair service's effect must come out as the top findings
of their kind, the control offer must show no significant gap, and every figure of a
gap, an experiment or a decision in the JSON must equal a query on the documented
marts. The default demo runs once per session (tests/conftest.py); two more seeds
run at the end (slow), through the same checks.

Evaluate any seed by hand (prints what each check found):

    .venv/bin/python tests/test_demo_gaps.py 8 9
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from flows.brief.findings import build_findings
from flows.demo.generator import generate_demo
from flows.ingest.run import ingest_exports
from flows.intent.load import load_intent
from flows.intent.tables import write_intent_tables
from flows.transform.dbt import run_dbt

pytestmark = pytest.mark.slow

OTHER_SEEDS = (8, 9)

# How an analyst finds each gap's figures: the mart's key column, and the expressions
# of its expected value, actual value and sample size there (per metric when one mart
# holds several kinds of gap).
GAP_QUERIES: dict[str, tuple[str, str, str, str]] = {
    "off_target_share": (
        "fct_offer_segment_mix", "offer_segment_month_id", "tolerance", "buyer_share",
    ),
    "segment_drift": (
        "fct_offer_audience_monthly", "offer_month_id",
        "(select gap_psi_threshold from report.rpt_brief__company)", "psi_vs_past",
    ),
    "off_target_channel_share": (
        "fct_offer_channel_mix", "offer_channel_month_id", "tolerance", "sales_share",
    ),
    "unintended_use_share": (
        "fct_offer_use_mix", "offer_theme_month_id", "tolerance", "evidence_share",
    ),
    "unplanned_bundle": ("fct_offer_bundles", "offer_pair_month_id", "1.0::double", "lift"),
    "missing_complement": ("fct_offer_bundles", "offer_pair_month_id", "1.0::double", "lift"),
    "return_reason_rate": (
        "fct_offer_return_reasons", "offer_reason_month_id",
        "baseline_reason_return_rate", "reason_return_rate",
    ),
    "cancellation_rate": (
        "fct_offer_rejection_monthly", "offer_month_id",
        "baseline_cancellation_rate", "cancellation_rate",
    ),
    "low_rating_share": (
        "fct_offer_rejection_monthly", "offer_month_id",
        "baseline_low_rating_share", "low_rating_share",
    ),
    "bad_satisfaction_share": (
        "fct_offer_rejection_monthly", "offer_month_id",
        "baseline_bad_satisfaction_share", "bad_satisfaction_share",
    ),
    "lost_deal_rate": (
        "fct_offer_rejection_monthly", "offer_month_id",
        "baseline_lost_deal_rate", "lost_deal_rate",
    ),
}  # fmt: skip
TARGET_QUERY = ("fct_offer_targets", "offer_target_month_id", "target_value", "actual_value")


def scenario(truth: dict, scenario_id: str) -> dict:
    return next(s for s in truth["scenarios"] if s["id"] == scenario_id)


def findings_of(findings: dict, kind: str) -> list[dict]:
    return [f for f in findings["findings"] if f["type"] == kind]


def top_gap(findings: dict, gap_type: str) -> dict:
    """The first-ranked gap of one kind (type_rank 1)."""
    return next(
        g for g in findings_of(findings, "gap") if g["gap_type"] == gap_type and g["type_rank"] == 1
    )


# --- the checks, shared by the default demo and the other seeds -----------------------


def check_off_target_segment(findings: dict, truth: dict) -> None:
    planted = scenario(truth, "apron-trades")
    top = top_gap(findings, "segment_mix")
    assert (top["offer_id"], top["segment_id"]) == (planted["offer"], planted["segment"]), top
    assert top["is_significant"] and top["is_breach"]
    assert top["figures"]["actual_value"] > 0.2 > top["figures"]["expected_value"]
    assert top["evidence"]["account_ids"], "an off-target segment names its accounts"
    glance = [a for a in findings["at_a_glance"] if a["finding_type"] == "gap"]
    assert any(
        a["offer_id"] == planted["offer"] and a["segment_id"] == planted["segment"] for a in glance
    ), glance


def check_rejection_pattern(findings: dict, truth: dict) -> None:
    planted = scenario(truth, "chino-sizing")
    top = top_gap(findings, "rejection")
    assert (top["offer_id"], top["metric"], top["subject_id"]) == (
        planted["offer"],
        "return_reason_rate",
        "too_small",
    ), top
    assert top["is_significant"]
    assert top["figures"]["actual_value"] > 1.5 * top["figures"]["expected_value"]
    assert all(e.startswith("return:") for e in top["evidence"]["evidence_ids"])
    assert top["evidence"]["evidence_ids"]


def check_experiments(findings: dict, truth: dict) -> None:
    items = {e["item_id"]: e for e in findings_of(findings, "experiment") if e["scope"] == "item"}
    planted = [s for s in truth["scenarios"] if s["kind"] == "experiment"]
    assert len(planted) == 3
    for story in planted:
        assert items[story["sku"]]["classification"] == story["expect"], items[story["sku"]]
    # the loved item is the first promotion, the unloved ones the only retirements
    promoted = sorted(
        (e for e in items.values() if e["classification"] == "promote"), key=lambda e: e["rank"]
    )
    assert promoted[0]["item_id"] == "CAP-SURCHEMISE"
    assert {e["item_id"] for e in items.values() if e["classification"] == "retire"} == {
        "CAP-BOB",
        "CAP-SAC",
    }
    assert "rating_above_core" in items["CAP-SURCHEMISE"]["reasons"]
    assert "keep_requests" in items["CAP-SURCHEMISE"]["reasons"]
    assert "rating_below_core" in items["CAP-BOB"]["reasons"]
    glance = {
        a["item_id"]: a["classification"]
        for a in findings["at_a_glance"]
        if a["finding_type"] == "experiment"
    }
    assert glance.get("CAP-SURCHEMISE") == "promote", glance


def check_decision(findings: dict, truth: dict, warehouse: Path) -> None:
    planted = scenario(truth, "repair-service-decision")
    decisions = {
        d["metric"]: d
        for d in findings_of(findings, "decision")
        if d["decision_id"] == planted["decision"]
    }
    assert set(decisions) == set(planted["expect"])
    for metric, expected in planted["expect"].items():
        found = decisions[metric]
        assert found["classification"] == expected, found
        # the warehouse's effect has the sign and the order of size the generator planted
        # (the generator counts tickets by the line they were opened about, the warehouse
        # by the sku they name, so levels differ a little)
        ratio = found["figures"]["effect"] / planted["effects"][metric]
        assert 0.5 < ratio < 2, (metric, found["figures"]["effect"], planted["effects"][metric])
    # shown as too early while the months after the decision are too few
    with duckdb.connect(str(warehouse), read_only=True) as con:
        early = con.execute(
            "select distinct status from report.rpt_brief__decisions "
            "where decision_id = ? and months_since_decision < "
            "(select decision_window_months from report.rpt_brief__company)",
            [planted["decision"]],
        ).fetchall()
    assert early == [("too_early",)]


def check_controls(findings: dict, truth: dict) -> None:
    for control in truth["control_offers"]:
        significant = [
            g["gap_id"]
            for g in findings_of(findings, "gap")
            if g["offer_id"] == control and g["is_significant"]
        ]
        assert significant == [], control
        # the control offer itself is judged: it has candidate gaps, just none significant
        assert any(g["offer_id"] == control for g in findings_of(findings, "gap"))


def check_figures_equal_the_marts(findings: dict, warehouse: Path) -> None:
    month = findings["report_month"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for gap in findings_of(findings, "gap"):
            model, key, expected, actual = (
                TARGET_QUERY if gap["gap_type"] == "target" else GAP_QUERIES[gap["metric"]]
            )
            assert gap["evidence"]["source"] == f"marts.{model}"
            row = con.execute(
                f"select {expected}, {actual}, month from marts.{model} where {key} = ?",
                [gap["evidence"]["source_id"]],
            ).fetchone()
            assert row is not None, gap["gap_id"]
            figures = gap["figures"]
            assert (row[0], row[1]) == pytest.approx(
                (figures["expected_value"], figures["actual_value"])
            ), gap["gap_id"]
            assert row[2].isoformat() == month
            # the score is the documented product of its parts
            assert figures["gap_score"] == pytest.approx(
                figures["gap_size"] * figures["significance"] * figures["business_weight"]
            )
        for item in findings_of(findings, "experiment"):
            row = con.execute(
                "select avg_rating, core_avg_rating, repeat_rate, reception_score, recommendation "
                "from marts.fct_experiment_reception where offer_id = ? and item_id = ? and month = ?",
                [item["offer_id"], item["item_id"], month],
            ).fetchone()
            figures = item["figures"]
            assert row[:4] == pytest.approx(
                (
                    figures["avg_rating"],
                    figures["core_avg_rating"],
                    figures["repeat_rate"],
                    figures["reception_score"],
                )
            )
            assert row[4] == item["classification"]
        for decision in findings_of(findings, "decision"):
            row = con.execute(
                "select before_value, after_value, others_before_value, others_after_value, "
                "effect, status from marts.fct_decision_effects "
                "where decision_id = ? and metric = ? and month = ?",
                [decision["decision_id"], decision["metric"], month],
            ).fetchone()
            figures = decision["figures"]
            assert row[:5] == pytest.approx(
                (
                    figures["before_value"],
                    figures["after_value"],
                    figures["others_before_value"],
                    figures["others_after_value"],
                    figures["effect"],
                )
            )
            assert row[5] == decision["classification"]


CHECKS: dict[str, Callable[[dict, dict, Path], None]] = {
    "off-target segment": lambda f, t, w: check_off_target_segment(f, t),
    "rejection pattern": lambda f, t, w: check_rejection_pattern(f, t),
    "experiments": lambda f, t, w: check_experiments(f, t),
    "decision": check_decision,
    "controls": lambda f, t, w: check_controls(f, t),
    "figures": lambda f, t, w: check_figures_equal_the_marts(f, w),
}


# --- the default demo (the session's run) ---------------------------------------------


@pytest.fixture(scope="module")
def demo(demo_run) -> tuple[dict, dict, Path]:
    return demo_run.findings, demo_run.truth, demo_run.warehouse


@pytest.mark.parametrize("check", list(CHECKS))
def test_demo(demo, check: str) -> None:
    CHECKS[check](*demo)


def test_gap_evidence_points_at_real_items(demo) -> None:
    findings, _, warehouse = demo
    evidence_ids = {e for g in findings_of(findings, "gap") for e in g["evidence"]["evidence_ids"]}
    account_ids = {a for g in findings_of(findings, "gap") for a in g["evidence"]["account_ids"]}
    assert evidence_ids and account_ids
    with duckdb.connect(str(warehouse), read_only=True) as con:
        known = {r[0] for r in con.execute("select evidence_id from marts.fct_evidence").fetchall()}
        accounts = {
            r[0] for r in con.execute("select account_id from staging.stg_crm__accounts").fetchall()
        }
    assert evidence_ids <= known
    assert account_ids <= accounts


def test_ranked_gaps_put_significant_ones_first(demo) -> None:
    gaps = sorted(findings_of(demo[0], "gap"), key=lambda g: g["rank"])
    flags = [g["is_significant"] for g in gaps]
    assert flags == sorted(flags, reverse=True)
    significant = [g for g in gaps if g["is_significant"]]
    assert [g["figures"]["gap_score"] for g in significant] == sorted(
        (g["figures"]["gap_score"] for g in significant), reverse=True
    )


# --- other seeds ------------------------------------------------------------------------


def run_seed(root: Path, seed: int) -> tuple[dict, dict, Path]:
    """Generate the demo with `seed` and build its warehouse and findings (no PDF)."""
    result = generate_demo(root, seed=seed)
    warehouse = root / "terrain.duckdb"
    ingest_exports(result.exports_dir, warehouse)
    write_intent_tables(load_intent(result.intent_path), warehouse)
    run_dbt(warehouse, ("build",))
    findings = build_findings(warehouse, result.last_complete_month)
    truth = json.loads(result.ground_truth_path.read_text(encoding="utf-8"))
    return findings, truth, warehouse


@pytest.mark.parametrize("seed", OTHER_SEEDS)
def test_other_seeds_tell_the_same_stories(seed: int, tmp_path: Path) -> None:
    findings, truth, warehouse = run_seed(tmp_path, seed)
    failures = {}
    for name, check in CHECKS.items():
        try:
            check(findings, truth, warehouse)
        except AssertionError as error:
            failures[name] = str(error)[:300]
    assert failures == {}, f"seed {seed}"


def evaluate(seeds: list[int]) -> int:
    """Run every check on each seed and print what it found; 1 if any check failed."""
    failed = 0
    for seed in seeds:
        with tempfile.TemporaryDirectory() as folder:
            findings, truth, warehouse = run_seed(Path(folder), seed)
            top = [
                f"{g['rank']:>2} {g['gap_id']} {g['figures']['gap_score']:.3f}"
                for g in findings_of(findings, "gap")
                if g["is_significant"]
            ]
            print(f"seed {seed}: significant gaps\n  " + "\n  ".join(top))
            for item in findings_of(findings, "experiment"):
                score = item["figures"]["reception_score"]
                print(f"  experiment {item['item_id']}: {item['classification']} ({score:.2f})")
            for decision in findings_of(findings, "decision"):
                z = decision["figures"]["effect"]
                print(
                    f"  decision {decision['metric']}: {decision['classification']} (effect {z:.3f})"
                )
            for name, check in CHECKS.items():
                try:
                    check(findings, truth, warehouse)
                    print(f"  ok   {name}")
                except AssertionError as error:
                    failed = 1
                    print(f"  FAIL {name}: {str(error)[:300]}")
    return failed


if __name__ == "__main__":
    sys.exit(evaluate([int(arg) for arg in sys.argv[1:]] or list(OTHER_SEEDS)))
