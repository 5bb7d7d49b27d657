"""A source down: its part fails visibly, the others load, the brief says it is stale.

The CRM source is made to fail for real: its dlt working folder is replaced by a file,
so its pipeline cannot start (as a full or read-only disk, or a broken mount, would
stop it). Its task is retried, then fails in Prefect; the shop still loads, the
warehouse is rebuilt and published, the brief names the stale source and since when,
and the run ends with an error.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.request
from datetime import datetime
from pathlib import Path

import duckdb

from flows.brief.formatting import Formatter
from flows.warehouse.paths import WarehousePaths

from .conftest import Company, copy_company, terrain


def _latest_task_run_state(api_url: str, name: str) -> str:
    body = json.dumps(
        {"task_runs": {"name": {"any_": [name]}}, "sort": "EXPECTED_START_TIME_DESC", "limit": 1}
    ).encode()
    request = urllib.request.Request(
        f"{api_url}/task_runs/filter",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        [task_run] = json.loads(response.read())
    return task_run["state_type"]


def _pdf_text(pdf: Path) -> str:
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


def test_a_source_down_is_retried_then_stale_and_named_in_the_brief(
    baseline: Company, tmp_path: Path, prefect_api: str
) -> None:
    company = copy_company(baseline, tmp_path / "company")
    with duckdb.connect(str(company.warehouse), read_only=True) as con:
        [(crm_loaded_at,)] = con.execute(
            "select last_loaded_at from marts.fct_source_freshness where source = 'crm'"
        ).fetchall()
    orders = company.exports / "shop" / "orders.csv"
    orders.write_text(
        orders.read_text(encoding="utf-8") + "O8,C2,2026-02-25T10:00:00Z,web,EUR,100,paid\n",
        encoding="utf-8",
    )
    crm_pipeline = WarehousePaths.of(company.warehouse).dlt_dir / "terrain_raw_crm"
    shutil.rmtree(crm_pipeline)
    crm_pipeline.write_text("a file where the CRM pipeline keeps its work\n", encoding="utf-8")

    result = terrain(company.args("run"))

    # the run fails, saying which source and why
    assert result.returncode == 2, result.stdout[-3000:]
    assert "1 source(s) could not be loaded" in result.stderr
    assert "crm: the crm pipeline cannot start" in result.stderr
    # in Prefect: the CRM task failed after its retries, the shop's completed
    assert _latest_task_run_state(prefect_api, "ingest-crm") == "FAILED"
    assert _latest_task_run_state(prefect_api, "ingest-shop") == "COMPLETED"
    with duckdb.connect(str(company.warehouse), read_only=True) as con:
        # the shop loaded, transformed and published
        assert con.execute(
            "select count(*) from staging.stg_shop__orders where order_id = 'O8'"
        ).fetchone() == (1,)
        # one try and two retries, in one run
        assert con.execute(
            "select count(*), count(distinct run_id) from raw_ingest.source_loads "
            "where source = 'crm' and status = 'failed'"
        ).fetchone() == (3, 1)
        freshness = dict(
            con.execute(
                "select source, is_stale from marts.fct_source_freshness order by source"
            ).fetchall()
        )
    assert freshness == {"crm": True, "shop": False}
    # the brief was written from that state, and says it
    findings = json.loads(company.findings.read_text(encoding="utf-8"))
    [stale] = findings["stale_sources"]
    assert stale["source"] == "crm"
    assert datetime.fromisoformat(stale["last_loaded_at"]) == crm_loaded_at
    assert stale["failing_since"] is not None
    assert "the crm pipeline cannot start" in stale["last_error"]
    since = Formatter("en", "EUR").date(stale["last_loaded_at"])
    assert f"Stale source: CRM, last loaded on {since}." in _pdf_text(
        company.briefs / "brief-2026-02-en.pdf"
    )
