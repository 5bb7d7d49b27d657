"""The Prefect wiring: which failures are retried, and a held warehouse file."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from prefect.states import Completed, Failed

from flows.brief import BriefError
from flows.health import DataHealthError
from flows.ingest.run import IngestError, WarehouseBusyError, ingest_exports
from flows.intent.load import IntentError
from flows.pipeline import _transient
from flows.transform.dbt import TransformError

HOLD_FILE = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
"""


@pytest.mark.parametrize(
    ("error", "retried"),
    [
        (WarehouseBusyError("file held"), True),
        (OSError("disk hiccup"), True),
        (IngestError("missing column"), False),
        (IntentError(Path("intent.yaml"), ["line 1: bad"]), False),
        (TransformError("dbt build failed: 2 failing node(s)"), False),
        (TransformError("dbt build failed: IO Error: Could not set lock on file"), True),
        (BriefError("no data for 2030-01"), False),
        # the data's own words may say "lock": a health failure is never retried
        (DataHealthError("shop/orders.csv: 'blocked lock' not a date"), False),
    ],
)
def test_only_transient_failures_are_retried(error, retried):
    assert _transient(None, None, Failed(data=error)) is retried


def test_success_is_not_retried():
    assert _transient(None, None, Completed(data=1)) is False


def test_a_held_warehouse_is_a_clear_retryable_error(tmp_path):
    exports = tmp_path / "exports" / "shop"
    exports.mkdir(parents=True)
    (exports / "customers.csv").write_text("customer_id,created_at\nC1,2026-01-01\n")
    warehouse = tmp_path / "w.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_FILE, str(warehouse), "60"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(WarehouseBusyError, match="another process has it open"):
            ingest_exports(tmp_path / "exports", warehouse)
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.5)
    # Once the other process lets go, the same call loads everything.
    assert ingest_exports(tmp_path / "exports", warehouse).rows_loaded == 1
