"""Analysts are never blocked, and one run writes a warehouse at a time.

Reproduces issue 12: an analyst holding a read-only connection made the nightly run
fail after 20 s of retries, and two runs on one warehouse shared `.dlt_pipelines/`, the
second dying with a bare FileNotFoundError.
"""

from __future__ import annotations

import time
from pathlib import Path

from flows.warehouse.lock import holder

from .conftest import Company, Reference, copy_company, start, warehouse_digest

# staging.stg_shop__orders (rows, amounts) and marts.fct_order_lines rows
BEFORE = "7 840.0 9"  # the baseline: 7 orders, 9 order lines
AFTER = "6 720.0 7"  # O3 (120, two lines) deleted by the run


def test_a_connection_held_through_a_whole_run_reads_one_version_without_error(
    reference: Reference,
) -> None:
    lines = reference.reader_lines
    assert len(lines) > 20, lines  # it kept reading during the whole run
    assert not [line for line in lines if line.startswith("ERROR")]
    # the version it opened, whole, from start to end: never a mix, never the new one
    assert set(lines) == {BEFORE}
    # the run published: a new connection reads the new version
    assert reference.after_run == AFTER


def _wait_until_held(warehouse: Path, pid: int, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        held = holder(warehouse)
        if held and held.get("pid") == pid:
            return
        time.sleep(0.2)
    raise AssertionError(f"pid {pid} never took the writer lock of {warehouse}")


def test_a_second_run_is_refused_or_waits_and_names_the_first(
    baseline: Company, tmp_path: Path
) -> None:
    company = copy_company(baseline, tmp_path / "company")
    first = start(company.args("run"))
    try:
        _wait_until_held(company.warehouse, first.pid)
        refused = start(company.args("ingest"), TERRAIN_LOCK_WAIT_SECONDS="0")
        waiting = start(company.args("ingest"), TERRAIN_LOCK_WAIT_SECONDS="600")
        refused_out, _ = refused.communicate(timeout=300)
        first_out, _ = first.communicate(timeout=900)
        waiting_out, _ = waiting.communicate(timeout=900)
    finally:
        for process in (first,):
            if process.poll() is None:
                process.kill()

    assert first.returncode == 0, first_out[-3000:]
    assert refused.returncode == 2, refused_out[-3000:]
    assert f"another Terrain run (pid {first.pid} on " in refused_out
    assert "started at" in refused_out and "is writing" in refused_out
    assert waiting.returncode == 0, waiting_out[-3000:]
    assert f"another Terrain run (pid {first.pid}" in waiting_out
    assert "waiting up to 600 s" in waiting_out
    for out in (first_out, refused_out, waiting_out):
        assert "FileNotFoundError" not in out and "Traceback" not in out
    # the three runs leave the warehouse as one run does
    assert warehouse_digest(company.warehouse) == warehouse_digest(baseline.warehouse)


def test_two_runs_started_together_both_finish_one_after_the_other(
    baseline: Company, tmp_path: Path
) -> None:
    company = copy_company(baseline, tmp_path / "company")
    (company.exports / "shop" / "customers.csv").write_text(
        "customer_id,email,created_at\nC1,a@example.com,2026-01-03\n"
        "C2,b@example.com,2026-01-10\nC3,c@example.com,2026-02-01\nC4,d@example.com,2026-02-02\n",
        encoding="utf-8",
    )
    runs = [start(company.args("ingest")) for _ in range(2)]
    outputs = [run.communicate(timeout=600)[0] for run in runs]
    for run, out in zip(runs, outputs, strict=True):
        assert run.returncode == 0, out[-3000:]
        assert "FileNotFoundError" not in out and "Traceback" not in out
    raw = warehouse_digest(company.warehouse, ("raw_shop",))
    assert raw["raw_shop.customers"][0] == 4
    # whichever came second found the first's work done: nothing read twice
    assert sum("1 file(s) read" in out for out in outputs) >= 1
