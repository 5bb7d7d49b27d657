"""Any path works: spaces, apostrophes, '#', accents and non-Latin letters, every stage.

Reproduces issue 12: an apostrophe in the warehouse path made every ingest fail with a
DuckDB parser error (dlt wrote the load file's path into its SQL unquoted), and a '#'
made dbt fail (dbt-duckdb reads its `path` as a URL: '#' starts a fragment). Also
checks the backfill of a range of months, which every flow must allow to re-run.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from .conftest import ODD_FOLDER, Company, terrain


@pytest.fixture(scope="module")
def weird(baseline: Company) -> dict[str, Path]:
    """The session's first run: every path under a folder named ODD_FOLDER."""
    assert ODD_FOLDER in str(baseline.warehouse)
    return {
        "exports": baseline.exports,
        "intent": baseline.intent,
        "warehouse": baseline.warehouse,
        "out": baseline.briefs,
    }


def test_a_run_with_such_paths_writes_the_brief_its_files_imply(weird: dict[str, Path]) -> None:
    findings = json.loads((weird["out"] / "brief-2026-02.json").read_text(encoding="utf-8"))
    assert (weird["out"] / "brief-2026-02-en.pdf").read_bytes().startswith(b"%PDF-")
    main = {o["offer_id"]: o["figures"] for o in findings["offers"]}["main-range"]
    assert (main["orders"], main["units"], main["revenue"]) == (3, 4, 400)
    assert findings["generated_from"] == weird["warehouse"].name
    # the published file is what analysts open
    with duckdb.connect(str(weird["warehouse"]), read_only=True) as con:
        assert con.execute("select count(*) from raw_shop.orders").fetchone() == (7,)
        assert con.execute("select count(*) from raw_crm.accounts").fetchone() == (2,)
        assert con.execute("select count(*) from report.rpt_brief__offers").fetchone()[0] > 0


def test_a_backfill_writes_every_month_and_can_run_again(weird: dict[str, Path]) -> None:
    out = weird["out"].parent / "backfill #2 d'hiver"
    args = ["brief", "--warehouse", str(weird["warehouse"]), "--out", str(out), "--lang", "en"]
    first = terrain([*args, "--from", "2026-01", "--to", "2026-02"])
    assert first.returncode == 0, first.stderr[-3000:]
    assert sorted(p.name for p in out.iterdir()) == [
        "brief-2026-01-en.pdf",
        "brief-2026-01.json",
        "brief-2026-02-en.pdf",
        "brief-2026-02.json",
    ]
    before = {p.name: p.read_bytes() for p in out.glob("*.json")}
    again = terrain([*args, "--from", "2026-01", "--to", "2026-02"])
    assert again.returncode == 0, again.stderr[-3000:]
    assert {p.name: p.read_bytes() for p in out.glob("*.json")} == before
    # the same month's JSON as the run's own brief
    assert before["brief-2026-02.json"] == (weird["out"] / "brief-2026-02.json").read_bytes()


def test_a_backfill_outside_the_data_says_which_months_exist(weird: dict[str, Path]) -> None:
    result = terrain(
        ["brief", "--warehouse", str(weird["warehouse"]), "--from", "2025-01", "--to", "2026-02"]
    )
    assert result.returncode == 2
    assert "2025-01: the data covers 2026-01 to 2026-03" in result.stderr


def test_doctor_is_happy_with_such_paths(weird: dict[str, Path]) -> None:
    result = terrain(
        [
            "doctor",
            "--exports",
            str(weird["exports"]),
            "--intent",
            str(weird["intent"]),
            "--warehouse",
            str(weird["warehouse"]),
            "--out",
            str(weird["out"]),
        ]
    )
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith("all ok")
