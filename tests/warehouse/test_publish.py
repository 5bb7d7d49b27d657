"""Publishing the working database: readers keep their version, never a mix."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from flows.warehouse.paths import WarehousePaths
from flows.warehouse.publish import PublishError, prepare_working_copy, publish_working_copy

READER = textwrap.dedent(
    """
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    print(con.execute("select count(*) from t").fetchone()[0], flush=True)
    for line in sys.stdin:               # each line asks for another read
        print(con.execute("select count(*), sum(x) from t").fetchone(), flush=True)
    """
)


def _write_rows(path: Path, rows: int) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create or replace table t as select range as x from range(?)", [rows])


def _count(path: Path) -> int:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import duckdb,sys;print(duckdb.connect(sys.argv[1],"
            "read_only=True).execute('select count(*) from t').fetchone()[0])",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout)


def test_reader_holding_a_connection_keeps_its_version(tmp_path: Path) -> None:
    warehouse = tmp_path / "terrain.duckdb"
    working = prepare_working_copy(warehouse)
    _write_rows(working, 10)
    publish_working_copy(warehouse)

    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(warehouse)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdin is not None and reader.stdout is not None
    try:
        assert reader.stdout.readline().strip() == "10"
        _write_rows(working, 1000)  # the run writes while the analyst reads...
        publish_working_copy(warehouse)  # ...and publishes under the open connection
        reader.stdin.write("again\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "(10, 45)"  # old version, whole
        assert _count(warehouse) == 1000  # a new connection sees the new version
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)
    assert reader.returncode == 0
    assert not list(tmp_path.glob(".*.partial"))


def test_working_copy_starts_from_an_existing_published_file(tmp_path: Path) -> None:
    warehouse = tmp_path / "old.duckdb"
    _write_rows(warehouse, 7)
    working = prepare_working_copy(warehouse)
    assert working == WarehousePaths.of(warehouse).working
    assert _count(working) == 7
    _write_rows(working, 8)
    assert _count(warehouse) == 7  # runs never write the published file in place
    publish_working_copy(warehouse)
    assert _count(warehouse) == 8


def test_publish_without_working_copy_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PublishError, match="nothing to publish"):
        publish_working_copy(tmp_path / "none.duckdb")


def test_stale_log_beside_published_file_is_not_replayed(tmp_path: Path) -> None:
    warehouse = tmp_path / "terrain.duckdb"
    _write_rows(prepare_working_copy(warehouse), 3)
    publish_working_copy(warehouse)
    wal = warehouse.with_name(warehouse.name + ".wal")
    wal.write_bytes(b"not a log of this file")
    _write_rows(WarehousePaths.of(warehouse).working, 4)
    publish_working_copy(warehouse)
    assert not wal.exists()
    assert _count(warehouse) == 4
