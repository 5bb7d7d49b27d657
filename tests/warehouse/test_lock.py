"""One writer at a time: a second run waits, then is refused; a killed run's lock clears."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from flows.warehouse.lock import WarehouseLockedError, holder, writer_lock
from flows.warehouse.paths import WarehousePaths

HOLD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from flows.warehouse.lock import writer_lock
    with writer_lock(Path(sys.argv[1]), wait_seconds=0, command="test holder"):
        print("held", flush=True)
        time.sleep(float(sys.argv[2]))
    """
)


def _start_holder(warehouse: Path, seconds: float = 60) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(warehouse), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "held"
    return process


def test_second_writer_is_refused_with_the_holder_named(tmp_path: Path) -> None:
    warehouse = tmp_path / "terrain.duckdb"
    first = _start_holder(warehouse)
    try:
        started = time.monotonic()
        with pytest.raises(WarehouseLockedError) as error:
            with writer_lock(warehouse, wait_seconds=1):
                pass
        assert time.monotonic() - started >= 1
        message = str(error.value)
        assert f"pid {first.pid}" in message
        assert "test holder" in message
        assert str(warehouse) in message
        assert holder(warehouse)["pid"] == first.pid
    finally:
        first.kill()
        first.wait()


def test_second_writer_waits_for_the_first_to_finish(tmp_path: Path) -> None:
    warehouse = tmp_path / "terrain.duckdb"
    first = _start_holder(warehouse, seconds=1.5)
    started = time.monotonic()
    try:
        with writer_lock(warehouse, wait_seconds=30):
            assert time.monotonic() - started >= 1.0  # we got in once the first let go
    finally:
        assert first.wait(timeout=30) == 0


def test_a_killed_run_leaves_no_stuck_lock(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    warehouse = tmp_path / "terrain.duckdb"
    first = _start_holder(warehouse)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    assert holder(warehouse) is None
    with caplog.at_level(logging.WARNING, logger="flows.warehouse.lock"):
        with writer_lock(warehouse, wait_seconds=0):
            assert holder(warehouse) is not None
    assert any(
        "stale writer lock" in r.getMessage() and str(first.pid) in r.getMessage()
        for r in caplog.records
    )
    assert holder(warehouse) is None


def test_lock_is_reentrant_in_one_process(tmp_path: Path) -> None:
    warehouse = tmp_path / "terrain.duckdb"
    with writer_lock(warehouse, wait_seconds=0):
        with writer_lock(warehouse, wait_seconds=0):
            assert holder(warehouse)["pid"] == os.getpid()
        assert holder(warehouse)["pid"] == os.getpid()
    assert holder(warehouse) is None


def test_two_warehouses_in_one_folder_do_not_share_state(tmp_path: Path) -> None:
    one, two = WarehousePaths.of(tmp_path / "a.duckdb"), WarehousePaths.of(tmp_path / "b.duckdb")
    assert one.state_dir != two.state_dir
    assert one.dlt_dir != two.dlt_dir
    with writer_lock(one.published, wait_seconds=0), writer_lock(two.published, wait_seconds=0):
        pass


def test_bad_wait_setting_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERRAIN_LOCK_WAIT_SECONDS", "ten")
    with pytest.raises(WarehouseLockedError, match="TERRAIN_LOCK_WAIT_SECONDS"):
        with writer_lock(tmp_path / "w.duckdb"):
            pass
