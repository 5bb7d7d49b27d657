"""The dlt source of an export folder: resources, change detection and rejects."""

from __future__ import annotations

import os
from pathlib import Path

import dlt
import duckdb
import pytest

from flows.ingest.export_settings import load_export_settings
from flows.ingest.report import EntityStats
from flows.ingest.source import exports_source

HEADER = "order_id,customer_id,ordered_at,currency,total_amount\n"


@pytest.fixture(autouse=True)
def dlt_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_LOAD_ID", "true")
    monkeypatch.setenv("RUNTIME__DLTHUB_TELEMETRY", "false")


def run(exports: Path, warehouse: Path, system: str = "shop") -> dict[str, EntityStats]:
    pipeline = dlt.pipeline(
        pipeline_name=f"test_{system}",
        pipelines_dir=str(warehouse.parent / "pipelines"),
        destination=dlt.destinations.duckdb(str(warehouse)),
        dataset_name=f"raw_{system}",
    )
    stats: dict[str, EntityStats] = {}
    source = exports_source(exports, system, load_export_settings(exports), stats)
    pipeline.run(source, loader_file_format="parquet")
    return stats


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.sql(sql).fetchall()


def test_one_resource_per_entity_present(tmp_path: Path) -> None:
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "orders.csv").write_text(HEADER, encoding="utf-8")
    (tmp_path / "shop" / "returns.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "shop" / "notes.txt").write_text("ignored", encoding="utf-8")

    source = exports_source(tmp_path, "shop", load_export_settings(tmp_path), {})

    assert sorted(source.resources) == ["ingest_files", "ingest_rejects", "orders", "returns"]
    orders = source.resources["orders"]
    assert orders.write_disposition == "merge"
    assert orders.compute_table_schema()["columns"]["ordered_at"]["data_type"] == "timestamp"


def test_a_file_with_every_row_rejected_still_creates_the_typed_table(tmp_path: Path) -> None:
    exports, warehouse = tmp_path / "exports", tmp_path / "w.duckdb"
    (exports / "shop").mkdir(parents=True)
    (exports / "shop" / "orders.csv").write_text(
        HEADER + "O1,C1,yesterday,EUR,1\n", encoding="utf-8"
    )

    stats = run(exports, warehouse)

    assert (stats["shop/orders"].rows_loaded, stats["shop/orders"].rows_rejected) == (0, 1)
    assert query(warehouse, "select count(*) from raw_shop.orders") == [(0,)]
    assert ("ordered_at", "TIMESTAMP WITH TIME ZONE") in query(
        warehouse,
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'raw_shop' and table_name = 'orders'",
    )


def test_files_are_reread_only_when_content_or_settings_change(tmp_path: Path) -> None:
    exports, warehouse = tmp_path / "exports", tmp_path / "w.duckdb"
    (exports / "shop").mkdir(parents=True)
    orders = exports / "shop" / "orders.csv"
    orders.write_text(HEADER + "O1,C1,2024-01-01,EUR,1\n", encoding="utf-8")
    assert run(exports, warehouse)["shop/orders"].files_read == 1

    # touched, same bytes: hashed, not read again
    os.utime(orders, ns=(orders.stat().st_atime_ns, orders.stat().st_mtime_ns + 10**9))
    stats = run(exports, warehouse)["shop/orders"]
    assert (stats.files_read, stats.files_skipped_unchanged) == (0, 1)

    # new settings for this file: read again with them
    (exports / "export-settings.yaml").write_text(
        "defaults: {timezone: Europe/Paris}\n", encoding="utf-8"
    )
    assert run(exports, warehouse)["shop/orders"].files_read == 1
    assert query(warehouse, "select count(*) from raw_shop.orders") == [(1,)]


def test_rereading_a_file_replaces_only_its_own_rejects(tmp_path: Path) -> None:
    exports, warehouse = tmp_path / "exports", tmp_path / "w.duckdb"
    (exports / "shop").mkdir(parents=True)
    orders = exports / "shop" / "orders.csv"
    orders.write_text(HEADER + "O1,C1,2024-01-01,EUR,x\nO2,C1,bad,EUR,2\n", encoding="utf-8")
    (exports / "shop" / "customers.csv").write_text(
        "customer_id,created_at\nC1,never\n", encoding="utf-8"
    )
    run(exports, warehouse)
    assert query(warehouse, "select count(*) from raw_shop.ingest_rejects") == [(3,)]

    orders.write_text(HEADER + "O1,C1,2024-01-01,EUR,1\nO2,C1,bad,EUR,2\n", encoding="utf-8")
    stats = run(exports, warehouse)

    assert stats["shop/customers"].files_skipped_unchanged == 1
    assert query(
        warehouse, "select file, line, column_name from raw_shop.ingest_rejects order by file"
    ) == [("shop/customers.csv", 2, "created_at"), ("shop/orders.csv", 3, "ordered_at")]
    assert query(warehouse, "select order_id, total_amount from raw_shop.orders") == [("O1", 1.0)]
