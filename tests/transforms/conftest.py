"""One dbt build of the whole project on the tiny raw warehouse, shared by every test.

dbt starts in seconds, not milliseconds, so the suite builds once per session and the
tests only query the result.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import duckdb
import pytest

from flows.transform.dbt import run_dbt

FIXTURE_MODULE = Path(__file__).resolve().parents[1] / "fixtures" / "raw_warehouse.py"


def load_fixture_module() -> ModuleType:
    """tests/fixtures/raw_warehouse.py, loaded by path (tests/ is not a package)."""
    spec = importlib.util.spec_from_file_location("raw_warehouse_fixture", FIXTURE_MODULE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def raw_warehouse_module() -> ModuleType:
    return load_fixture_module()


@pytest.fixture(scope="session")
def built_warehouse(
    tmp_path_factory: pytest.TempPathFactory, raw_warehouse_module: ModuleType
) -> Path:
    warehouse = tmp_path_factory.mktemp("dbt") / "terrain.duckdb"
    raw_warehouse_module.build_raw_warehouse(warehouse)
    run_dbt(warehouse, ("build",))
    return warehouse


@pytest.fixture(scope="session")
def con(built_warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(built_warehouse), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def query(con: duckdb.DuckDBPyConnection) -> Callable[..., list[tuple[Any, ...]]]:
    def run(sql: str, *params: Any) -> list[tuple[Any, ...]]:
        return con.execute(sql, list(params)).fetchall()

    return run
