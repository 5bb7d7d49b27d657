"""Ingesting an export folder into a real DuckDB file through real dlt pipelines."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flows.ingest import IngestError, ingest_exports, pipelines_dir

SETTINGS = """\
systems:
  shop:
    delimiter: ";"
    decimal: ","
    date_format: "%d/%m/%Y %H:%M"
    timezone: Europe/Paris
files:
  shop/customers: {date_format: iso}
"""

ORDERS = (
    "\ufefforder_id;customer_id;ordered_at;channel;currency;total_amount\n"
    "O1;C1;05/03/2024 14:30;web;EUR;1 234,50\n"
    "O2;C2;06/03/2024 09:00;store;EUR;12,3x\n"  # not a number
    "O3;C1;32/03/2024 10:00;web;EUR;20,00\n"  # not a date
    "O4;C3;07/03/2024;phone;EUR;15\n"
)
CUSTOMERS = (
    '{"customer_id": "C1", "email": "a@example.com", "created_at": "2024-01-01T00:00:00Z"}\n'
    '{"customer_id": "C2", "email": "b@example.com", "created_at": "2024-01-02"}\n'
)
TICKETS = (
    "ticket_id,created_at,subject,tags,mood\n"
    "T1,2024-03-01T08:00:00+01:00,Hole in my jeans,repair|denim,angry\n"
)


def make_exports(root: Path) -> Path:
    exports = root / "exports"
    (exports / "shop").mkdir(parents=True)
    (exports / "crm").mkdir()
    (exports / "support").mkdir()
    (exports / "export-settings.yaml").write_text(SETTINGS, encoding="utf-8")
    (exports / "shop" / "orders.csv").write_text(ORDERS, encoding="utf-8")
    (exports / "shop" / "customers.jsonl").write_text(CUSTOMERS, encoding="utf-8")
    (exports / "support" / "tickets.csv").write_text(TICKETS, encoding="utf-8")
    accounts = pa.table(
        {"account_id": ["A1", "A2"], "name": ["Atelier", "Brasserie"], "type": ["b2b", None]}
    )
    pq.write_table(accounts, exports / "crm" / "accounts.parquet")
    return exports


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.sql(sql).fetchall()


def snapshot(warehouse: Path) -> dict[str, tuple]:
    """Row count and a content hash of every raw table."""
    tables = query(
        warehouse,
        "select table_schema, table_name from information_schema.tables "
        "where table_schema like 'raw_%' and table_schema not like '%_staging' "
        "and table_name not like '_dlt_%' order by all",
    )
    result = {}
    for schema, table in tables:
        [row] = query(
            warehouse,
            f"select count(*), md5(coalesce(string_agg(cast(t as varchar), '|' "
            f"order by cast(t as varchar)), '')) from {schema}.{table} as t",
        )
        result[f"{schema}.{table}"] = row
    return result


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    return make_exports(tmp_path)


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "terrain.duckdb"


def test_loads_every_system_and_quarantines_bad_rows(exports: Path, warehouse: Path) -> None:
    report = ingest_exports(exports, warehouse)

    assert report.as_dict()["shop/orders"] == {
        "files_read": 1,
        "files_skipped_unchanged": 0,
        "rows_loaded": 2,
        "rows_rejected": 2,
    }
    assert (report.rows_loaded, report.rows_rejected) == (2 + 2 + 2 + 1, 2)
    assert query(
        warehouse, "select order_id, total_amount, ordered_at from raw_shop.orders order by 1"
    ) == [
        ("O1", 1234.5, query(warehouse, "select timestamptz '2024-03-05 13:30:00+00'")[0][0]),
        ("O4", 15.0, query(warehouse, "select timestamptz '2024-03-07 00:00:00+00'")[0][0]),
    ]
    rejects = query(
        warehouse,
        "select entity, file, line, column_name, value from raw_shop.ingest_rejects order by line",
    )
    assert rejects == [
        ("orders", "shop/orders.csv", 3, "total_amount", "12,3x"),
        ("orders", "shop/orders.csv", 4, "ordered_at", "32/03/2024 10:00"),
    ]
    assert query(warehouse, "select count(*) from raw_crm.accounts") == [(2,)]
    # the extra column is kept, multi-valued columns stay raw text
    assert query(warehouse, "select ticket_id, tags, mood from raw_support.tickets") == [
        ("T1", "repair|denim", "angry")
    ]


def test_raw_tables_have_the_contract_types(exports: Path, warehouse: Path) -> None:
    ingest_exports(exports, warehouse)

    types = dict(
        ((table, column), type_)
        for table, column, type_ in query(
            warehouse,
            "select table_schema || '.' || table_name, column_name, data_type "
            "from information_schema.columns where table_schema like 'raw_%'",
        )
    )
    assert types[("raw_shop.orders", "total_amount")] == "DOUBLE"
    # absent from the file: still created with its canonical type
    assert types[("raw_shop.orders", "discount_amount")] == "DOUBLE"
    assert types[("raw_shop.orders", "ordered_at")] == "TIMESTAMP WITH TIME ZONE"
    assert types[("raw_crm.accounts", "created_at")] == "TIMESTAMP WITH TIME ZONE"
    assert types[("raw_support.tickets", "solved_at")] == "TIMESTAMP WITH TIME ZONE"
    assert types[("raw_shop.ingest_rejects", "line")] == "BIGINT"
    assert {c for (t, c) in types if t == "raw_shop.orders"} >= {"_dlt_load_id", "_dlt_id"}
    # every system gets a rejects table, even without rejects
    assert query(warehouse, "select count(*) from raw_crm.ingest_rejects") == [(0,)]


def test_loading_the_same_folder_twice_changes_nothing(exports: Path, warehouse: Path) -> None:
    ingest_exports(exports, warehouse)
    before = snapshot(warehouse)

    report = ingest_exports(exports, warehouse)

    assert snapshot(warehouse) == before
    assert len(before) == 16  # 13 canonical tables (4 with rows) + 3 rejects tables
    assert all(
        s.files_read == 0 and s.files_skipped_unchanged == 1 for s in report.entities.values()
    )
    # deleting the pipelines' working files loses nothing: dlt restores the state
    shutil.rmtree(pipelines_dir(warehouse))
    report = ingest_exports(exports, warehouse)
    assert sum(s.files_read for s in report.entities.values()) == 0
    assert snapshot(warehouse) == before


def test_a_changed_file_is_read_again_and_merged(exports: Path, warehouse: Path) -> None:
    ingest_exports(exports, warehouse)
    orders = exports / "shop" / "orders.csv"
    orders.write_text(
        ORDERS.replace("12,3x", "12,30").replace("1 234,50", "99,99"), encoding="utf-8"
    )

    report = ingest_exports(exports, warehouse)

    assert report.entities["shop/orders"].files_read == 1
    assert report.entities["shop/customers"].files_skipped_unchanged == 1
    assert query(warehouse, "select order_id, total_amount from raw_shop.orders order by 1") == [
        ("O1", 99.99),
        ("O2", 12.3),
        ("O4", 15.0),
    ]
    # the fixed row left the rejects; the one still wrong is there once
    assert query(warehouse, "select line, column_name from raw_shop.ingest_rejects") == [
        (4, "ordered_at")
    ]


def test_missing_required_column_fails_after_loading_the_rest(
    exports: Path, warehouse: Path
) -> None:
    (exports / "shop" / "orders.csv").write_text(
        "order_id;customer_id;ordered_at;currency\nO1;C1;05/03/2024 14:30;EUR\n",
        encoding="utf-8",
    )
    for _ in range(2):  # an unchanged broken file is reported again, not skipped
        with pytest.raises(IngestError) as failure:
            ingest_exports(exports, warehouse)
        message = str(failure.value)
        assert "shop/orders.csv: missing required column(s) total_amount" in message
        assert failure.value.report is not None
        assert failure.value.report.missing_required == [("shop/orders.csv", ("total_amount",))]

    assert query(warehouse, "select count(*) from raw_shop.customers") == [(2,)]
    assert query(warehouse, "select count(*) from raw_support.tickets") == [(1,)]
    assert query(warehouse, "select file, line, column_name from raw_shop.ingest_rejects") == [
        ("shop/orders.csv", None, None)
    ]


def test_folder_without_recognizable_file_is_an_error(tmp_path: Path, warehouse: Path) -> None:
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "commandes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(IngestError, match="no recognizable export file"):
        ingest_exports(tmp_path, warehouse)


def test_an_unfinished_package_from_a_crashed_run_is_aborted(
    exports: Path, warehouse: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from flows.ingest import _pipeline
    from flows.sources.export_settings import load_export_settings
    from flows.sources.exports import exports_source

    # a run that died after extracting and normalizing, before loading
    warehouse.parent.mkdir(parents=True)
    pipeline = _pipeline("shop", warehouse)
    source = exports_source(exports, "shop", load_export_settings(exports), {})
    pipeline.extract(source, loader_file_format="parquet")
    pipeline.normalize()
    assert pipeline.has_pending_data

    with caplog.at_level(logging.WARNING, logger="flows.ingest"):
        report = ingest_exports(exports, warehouse)

    assert "aborting them" in caplog.text
    # the aborted package's state was rolled back, so its files were read again
    assert report.entities["shop/orders"].files_read == 1
    assert query(warehouse, "select count(*) from raw_shop.orders") == [(2,)]


def test_every_contract_table_exists_even_without_its_file(tmp_path):
    exports = tmp_path / "exports"
    (exports / "shop").mkdir(parents=True)
    (exports / "shop" / "customers.jsonl").write_text(CUSTOMERS, encoding="utf-8")
    warehouse = tmp_path / "w.duckdb"
    ingest_exports(exports, warehouse)
    # No support export at all: its tables exist, empty, with the canonical columns.
    assert query(warehouse, "select count(*) from raw_support.tickets") == [(0,)]
    assert query(warehouse, "select count(*) from raw_crm.ingest_rejects") == [(0,)]
    types = dict(
        query(
            warehouse,
            "select column_name, data_type from duckdb_columns() "
            "where schema_name = 'raw_shop' and table_name = 'orders'",
        )
    )
    assert types["total_amount"] == "DOUBLE"
    assert types["ordered_at"] == "TIMESTAMP WITH TIME ZONE"
    # When the file arrives later, dlt loads into the table created empty.
    (exports / "support").mkdir()
    (exports / "support" / "tickets.csv").write_text(TICKETS, encoding="utf-8")
    ingest_exports(exports, warehouse)
    assert query(warehouse, "select ticket_id, mood from raw_support.tickets") == [("T1", "angry")]
