"""`writing`: the working copy is published when the outermost block succeeds, only then."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flows.warehouse.lock import holder
from flows.warehouse.paths import WarehousePaths
from flows.warehouse.session import writing


class PartlyLoaded(Exception):
    """Stands for the sources that failed while the others loaded."""


def _rows(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select count(*) from t").fetchone()[0]


def _add_row(database: Path) -> None:
    with duckdb.connect(str(database)) as con:
        con.execute("create table if not exists t (x integer)")
        con.execute("insert into t values (1)")


def test_nested_blocks_publish_once_at_the_end_of_the_outermost(tmp_path: Path) -> None:
    warehouse = tmp_path / "terrain.duckdb"
    with writing(warehouse) as database:
        assert database == WarehousePaths.of(warehouse).working
        assert holder(warehouse) is not None
        with writing(warehouse) as inner:  # a flow calling another flow
            assert inner == database
            _add_row(inner)
        assert not warehouse.exists()  # the inner block does not publish
        _add_row(database)
    assert _rows(warehouse) == 2
    assert holder(warehouse) is None


def test_a_failed_run_publishes_nothing_and_the_next_one_goes_on(tmp_path: Path) -> None:
    warehouse = tmp_path / "terrain.duckdb"
    with writing(warehouse) as database:
        _add_row(database)
    with pytest.raises(RuntimeError):
        with writing(warehouse) as database:
            _add_row(database)
            raise RuntimeError("dbt test failed")
    assert _rows(warehouse) == 1  # analysts keep the last good version
    with writing(warehouse) as database:
        _add_row(database)  # the next run starts from what the failed run wrote
    assert _rows(warehouse) == 3


def test_an_error_named_publish_despite_publishes_what_loaded(tmp_path: Path) -> None:
    warehouse = tmp_path / "terrain.duckdb"
    with pytest.raises(PartlyLoaded):
        with writing(warehouse, publish_despite=(PartlyLoaded,)) as database:
            _add_row(database)
            raise PartlyLoaded("crm could not be loaded")
    assert _rows(warehouse) == 1
