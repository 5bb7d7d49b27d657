"""No look-ahead: a past month's brief uses only what was known by the end of that month.

Two real warehouses: the session's demo (tests/conftest.py, data to November 2026) and
the same company exported as its systems stood at the end of June 2026
(`generate_demo(as_of=...)`: later records left out, later changes such as refunds,
closed deals and solved tickets undone), ingested and built from scratch. June's
findings must be identical in both, figure for figure (signals, gaps, experiments,
decisions, emerging terms if any, the month at a glance). Only what describes the load
itself may differ: the data's first and last dates and the per-file coverage.

Slow (generates, loads and builds a second warehouse): part of the slow suite.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from flows.brief.findings import build_findings, findings_json
from flows.demo.generator import generate_demo
from flows.ingest.run import ingest_exports
from flows.intent.load import load_intent
from flows.intent.tables import write_intent_tables
from flows.transform.dbt import run_dbt

pytestmark = pytest.mark.slow

MONTH = "2026-06"
AS_OF = dt.datetime(2026, 7, 1)  # UTC: the end of June


@pytest.fixture(scope="module")
def both_briefs(demo_run, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict]:
    root = tmp_path_factory.mktemp("as-of")
    truth = demo_run.truth
    past = generate_demo(root, seed=truth["seed"], orders=truth["orders"], as_of=AS_OF)
    warehouse = root / "terrain.duckdb"
    ingest_exports(past.exports_dir, warehouse)
    write_intent_tables(load_intent(past.intent_path), warehouse)
    run_dbt(warehouse)
    full = json.loads(findings_json(build_findings(demo_run.warehouse, MONTH)))
    cut = json.loads(findings_json(build_findings(warehouse, MONTH)))
    return full, cut


def comparable(findings: dict[str, Any]) -> dict[str, Any]:
    """The findings without what describes the load (file, dates covered, rows per file)."""
    # data_health: the checks of each load (when they ran, what they found)
    kept = {
        k: v for k, v in findings.items() if k not in ("generated_from", "coverage", "data_health")
    }
    kept["company"] = {
        k: v
        for k, v in findings["company"].items()
        if k not in ("first_data_date", "last_data_date", "last_complete_month")
    }
    return kept


def by_id(findings: dict[str, Any]) -> dict[str, Any]:
    return {f["finding_id"]: f for f in comparable(findings)["findings"]}


def test_the_past_month_is_complete_in_both(both_briefs):
    full, cut = both_briefs
    assert full["is_complete_month"] and cut["is_complete_month"]
    assert cut["company"]["last_complete_month"] == f"{MONTH}-01"


def test_every_finding_of_the_past_month_is_the_same(both_briefs):
    full, cut = both_briefs
    full_findings, cut_findings = by_id(full), by_id(cut)
    assert set(full_findings) == set(cut_findings)
    # June of the demo lists no emerging term since they are tested within each source;
    # tests/transforms/test_voice_models.py builds a company twice for those
    assert {f["type"] for f in full_findings.values()} >= {
        "gap",
        "signal",
        "experiment",
        "decision",
    }
    different = [key for key in full_findings if full_findings[key] != cut_findings[key]]
    assert not different, {key: (full_findings[key], cut_findings[key]) for key in different[:3]}


def test_the_whole_brief_of_the_past_month_is_the_same(both_briefs):
    full, cut = both_briefs
    assert comparable(full) == comparable(cut)


def test_the_cut_really_removed_later_data(both_briefs, demo_run):
    full, cut = both_briefs
    # the export stops at midnight UTC; the last date is read in the company's time zone
    # (Europe/Paris: a record of 23:30 UTC on the 30th is dated 1 July)
    assert cut["company"]["last_data_date"] in ("2026-06-30", "2026-07-01")
    assert full["company"]["last_data_date"] > "2026-11-01"
    assert Path(demo_run.warehouse).is_file()
