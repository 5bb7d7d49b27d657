"""Ingesting an export folder into a real DuckDB file through real dlt pipelines."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flows.health import DataHealthError
from flows.health.check import check_ingest
from flows.ingest.run import IngestError, _tell_summary, ingest_exports, pipelines_dir
from flows.settings import PROJECT_DIR

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
    """Row count and a content hash of every raw table (not the log of load attempts)."""
    tables = query(
        warehouse,
        "select table_schema, table_name from information_schema.tables "
        "where table_schema like 'raw_%' and table_schema not like '%_staging' "
        "and table_schema <> 'raw_ingest' and table_name not like '_dlt_%' order by all",
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
        "rows_received": 4,
        "rows_loaded": 2,
        "rows_rejected": 2,
        "rows_deleted": 0,
        "files_uncounted": 0,
    }
    assert (report.rows_loaded, report.rows_rejected) == (2 + 2 + 2 + 1, 2)
    # the counts told are the counts stored, file by file
    assert query(
        warehouse,
        "select file, entity, rows_received, rows_loaded, rows_rejected, is_refused, "
        "max_reject_share from raw_shop.ingest_files order by file",
    ) == [
        ("shop/customers.jsonl", "customers", 2, 2, 0, False, 0.05),
        ("shop/orders.csv", "orders", 4, 2, 2, False, 0.05),
    ]
    assert query(
        warehouse,
        "select cast(first_at as varchar), cast(last_at as varchar) from raw_shop.ingest_files "
        "where file = 'shop/orders.csv'",
    ) == [("2024-03-05 13:30:00+00", "2024-03-06 23:00:00+00")]
    # dlt's staging schemas are gone once the load is done
    assert (
        query(
            warehouse, "select schema_name from duckdb_schemas() where schema_name like '%staging'"
        )
        == []
    )
    assert query(
        warehouse, "select order_id, total_amount, ordered_at from raw_shop.orders order by 1"
    ) == [
        ("O1", 1234.5, query(warehouse, "select timestamptz '2024-03-05 13:30:00+00'")[0][0]),
        # a date alone is midnight in the file's time zone (Paris)
        ("O4", 15.0, query(warehouse, "select timestamptz '2024-03-06 23:00:00+00'")[0][0]),
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
    # 14 canonical tables (4 with rows) + 3 rejects, 3 files and 3 (vendor) values tables
    assert len(before) == 23
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


def test_a_file_missing_a_required_column_is_refused_and_the_rest_loads(
    exports: Path, warehouse: Path
) -> None:
    (exports / "shop" / "orders.csv").write_text(
        "order_id;customer_id;ordered_at;currency\nO1;C1;05/03/2024 14:30;EUR\n"
        "O2;C1;05/03/2024 14:30;EUR\n",
        encoding="utf-8",
    )
    for _ in range(2):  # an unchanged broken file is read (and refused) again, not skipped
        report = ingest_exports(exports, warehouse)
        assert report.missing_required == [("shop/orders.csv", ("total_amount",))]
        assert report.as_dict()["shop/orders"]["files_read"] == 1
        assert "  NOT LOADED shop/orders.csv: missing required column(s) total_amount" in (
            report.summary()
        )
        # the health check that follows names it (flows/health)
        with pytest.raises(DataHealthError) as failure:
            check_ingest(warehouse)
        assert "shop/orders.csv: refused whole; all 2 of its rows rejected" in str(failure.value)

    assert query(warehouse, "select count(*) from raw_shop.customers") == [(2,)]
    assert query(warehouse, "select count(*) from raw_support.tickets") == [(1,)]
    assert query(warehouse, "select file, line, column_name from raw_shop.ingest_rejects") == [
        ("shop/orders.csv", None, None)
    ]
    # received = loaded + rejected, the refusal included
    assert query(
        warehouse,
        "select rows_received, rows_loaded, rows_rejected, is_refused, refusal like "
        "'missing required column(s): total_amount%' from raw_shop.ingest_files "
        "where file = 'shop/orders.csv'",
    ) == [(2, 0, 2, True, True)]


def test_folder_without_recognizable_file_is_an_error(tmp_path: Path, warehouse: Path) -> None:
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "commandes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(IngestError, match="no recognizable export file") as caught:
        ingest_exports(tmp_path, warehouse)
    # the message names the document that lists every file and column, which exists
    assert "docs/input-contract.md" in str(caught.value)
    assert (PROJECT_DIR / "docs" / "input-contract.md").is_file()


def test_an_unfinished_package_from_a_crashed_run_is_aborted(
    exports: Path, warehouse: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from flows.ingest.export_settings import load_export_settings
    from flows.ingest.run import _pipeline
    from flows.ingest.source import exports_source

    # a run that died after extracting and normalizing, before loading
    warehouse.parent.mkdir(parents=True)
    pipeline = _pipeline("shop", warehouse)
    source = exports_source(exports, "shop", load_export_settings(exports), {})
    pipeline.extract(source, loader_file_format="parquet")
    pipeline.normalize()
    assert pipeline.has_pending_data

    with caplog.at_level(logging.WARNING, logger="flows.ingest.run"):
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


# ------------------------------------------------------------ defects found in review


def write_folder(root: Path, files: dict[str, str | bytes]) -> Path:
    """An export folder holding `files` (relative path -> text or bytes)."""
    exports = root / "exports"
    for name, content in files.items():
        path = exports / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return exports


ORDERS_HEADER = "order_id,customer_id,ordered_at,currency,total_amount\n"


def rejects_of(warehouse: Path, schema: str = "raw_shop") -> list[tuple]:
    return query(
        warehouse,
        f"select file, line, column_name, value, reason from {schema}.ingest_rejects "
        "order by file, line, column_name",
    )


def test_years_outside_1900_to_2100_are_rejected(tmp_path: Path, warehouse: Path) -> None:
    exports = write_folder(
        tmp_path,
        {
            "export-settings.yaml": 'systems: {shop: {date_format: "%d/%m/%Y %H:%M"}}\n',
            "shop/orders.csv": ORDERS_HEADER
            + "O1,C1,05/03/2024 10:00,EUR,1\n"
            + "O2,C1,05/03/24 10:00,EUR,1\n"  # %Y read "24" as the year 0024
            + "O3,C1,06/03/24,EUR,1\n",  # the same, date alone
            "crm/accounts.csv": "account_id,name,created_at\n"
            "A1,Atelier,2024-11-14T20:59:03Z\n"
            "A2,Brasserie,0202-11-14T20:59:03Z\n"
            "A3,Cave,2101-01-01\n",
        },
    )
    report = ingest_exports(exports, warehouse)

    assert (report.rows_loaded, report.rows_rejected) == (2, 4)
    assert query(warehouse, "select order_id from raw_shop.orders") == [("O1",)]
    assert query(warehouse, "select account_id from raw_crm.accounts") == [("A1",)]
    shop = rejects_of(warehouse)
    assert [r[:4] for r in shop] == [
        ("shop/orders.csv", 3, "ordered_at", "05/03/24 10:00"),
        ("shop/orders.csv", 4, "ordered_at", "06/03/24"),
    ]
    assert shop[0][4] == (
        "date out of range: '05/03/24 10:00' in column ordered_at is not between the years "
        "1900 and 2100. The year must have 4 digits in '%d/%m/%Y %H:%M'. "
        "Fix the value in the export."
    )
    crm = rejects_of(warehouse, "raw_crm")
    assert [r[:4] for r in crm] == [
        ("crm/accounts.csv", 3, "created_at", "0202-11-14T20:59:03Z"),
        ("crm/accounts.csv", 4, "created_at", "2101-01-01"),
    ]
    assert all("not between the years 1900 and 2100" in r[4] for r in crm)


def test_a_key_in_two_files_of_one_entity_is_loaded_from_the_first_only(
    tmp_path: Path, warehouse: Path
) -> None:
    exports = write_folder(
        tmp_path,
        {
            "shop/orders.csv": ORDERS_HEADER + "O1,C1,2024-01-01,EUR,1\nO2,C1,2024-01-02,EUR,2\n",
            "shop/orders.jsonl": (
                '{"order_id": "O2", "customer_id": "C9", "ordered_at": "2024-02-02", '
                '"currency": "EUR", "total_amount": 99}\n'
                '{"order_id": "O3", "customer_id": "C1", "ordered_at": "2024-01-03", '
                '"currency": "EUR", "total_amount": 3}\n'
            ),
        },
    )
    report = ingest_exports(exports, warehouse)

    assert report.as_dict()["shop/orders"] == {
        "files_read": 2,
        "files_skipped_unchanged": 0,
        "rows_received": 4,
        "rows_loaded": 3,
        "rows_rejected": 1,
        "rows_deleted": 0,
        "files_uncounted": 0,
    }
    expected_rows = [("O1", "C1", 1.0), ("O2", "C1", 2.0), ("O3", "C1", 3.0)]
    sql = "select order_id, customer_id, total_amount from raw_shop.orders order by 1"
    assert query(warehouse, sql) == expected_rows
    [reject] = rejects_of(warehouse)
    assert reject == (
        "shop/orders.jsonl",
        1,
        "order_id",
        "O2",
        "duplicate order_id 'O2': already in shop/orders.csv, another file of shop/orders "
        "loaded first; only that row is loaded. Keep each row in one file only.",
    )

    # only the later file changes: both are read again, the check still holds
    with (exports / "shop" / "orders.jsonl").open("a", encoding="utf-8") as jsonl:
        jsonl.write(
            '{"order_id": "O4", "customer_id": "C1", "ordered_at": "2024-01-04", '
            '"currency": "EUR", "total_amount": 4}\n'
        )
    report = ingest_exports(exports, warehouse)
    assert report.entities["shop/orders"].files_read == 2
    assert query(warehouse, sql) == [*expected_rows, ("O4", "C1", 4.0)]
    assert [r[:4] for r in rejects_of(warehouse)] == [("shop/orders.jsonl", 1, "order_id", "O2")]


def test_an_extra_column_named_like_another_once_stored_is_dropped(
    tmp_path: Path, warehouse: Path
) -> None:
    exports = write_folder(
        tmp_path,
        {
            "shop/orders.csv": (
                "order_id,customer_id,ordered_at,currency,total_amount,"
                "Total Amount,ORDER_ID,Loyalty Tier,loyalty tier\n"
                "O1,C1,2024-01-01,EUR,1,999,X,gold,silver\n"
            )
        },
    )
    report = ingest_exports(exports, warehouse)  # dlt failed the whole system before

    assert (report.rows_loaded, report.rows_rejected) == (1, 0)
    assert query(warehouse, "select order_id, total_amount, loyalty_tier from raw_shop.orders") == [
        ("O1", 1.0, "gold")
    ]
    rejects = rejects_of(warehouse)
    assert [r[:4] for r in rejects] == [
        ("shop/orders.csv", None, "ORDER_ID", None),
        ("shop/orders.csv", None, "Total Amount", None),
        ("shop/orders.csv", None, "loyalty tier", None),
    ]
    assert rejects[1][4] == (
        "column 'Total Amount' would be stored as 'total_amount', like the canonical column "
        "total_amount; it was not loaded. Rename or remove the column in the export."
    )
    assert "like the column 'Loyalty Tier' of the same file" in rejects[2][4]
    assert sorted(report.warnings) == sorted(f"shop/orders.csv: {r[4]}" for r in rejects)
    # the run went to its end: the contract tables were created
    assert query(warehouse, "select count(*) from raw_support.tickets") == [(0,)]


def test_nan_and_infinity_in_parquet_numbers_are_rejected(tmp_path: Path, warehouse: Path) -> None:
    exports = write_folder(tmp_path, {})
    (exports / "shop").mkdir(parents=True)
    lines = pa.table(
        {
            "order_id": ["O1", "O1", "O1", "O1"],
            "line_number": pa.array([1, 2, 3, 4], pa.int32()),
            "sku": ["A", "A", "A", "A"],
            "quantity": pa.array([1, 1, 1, 1], pa.int64()),
            "unit_price": [9.5, float("nan"), float("inf"), float("-inf")],
        }
    )
    pq.write_table(lines, exports / "shop" / "order_lines.parquet")

    report = ingest_exports(exports, warehouse)

    assert (report.rows_loaded, report.rows_rejected) == (1, 3)
    assert query(warehouse, "select line_number, unit_price from raw_shop.order_lines") == [
        (1, 9.5)
    ]
    assert rejects_of(warehouse) == [
        (
            "shop/order_lines.parquet",
            line,
            "unit_price",
            value,
            f"not a number: '{value}' in column unit_price; fix the value in the export.",
        )
        for line, value in ((2, "nan"), (3, "inf"), (4, "-inf"))
    ]


def test_text_values_are_trimmed_so_padded_keys_are_duplicates(
    tmp_path: Path, warehouse: Path
) -> None:
    exports = write_folder(
        tmp_path,
        {
            "shop/orders.csv": ORDERS_HEADER
            + '" O1 ", C1 ,2024-01-01, EUR ,1\n'
            + "O1,C2,2024-01-02,EUR,2\n"
            + 'O2,"  C 3\t",2024-01-03,EUR,3\n'
        },
    )
    report = ingest_exports(exports, warehouse)

    assert (report.rows_loaded, report.rows_rejected) == (2, 1)
    assert query(
        warehouse, "select order_id, customer_id, currency from raw_shop.orders order by 1"
    ) == [("O1", "C1", "EUR"), ("O2", "C 3", "EUR")]
    assert [r[:4] for r in rejects_of(warehouse)] == [("shop/orders.csv", 3, "order_id", "O1")]


def test_empty_and_header_only_files_load_zero_rows(tmp_path: Path, warehouse: Path) -> None:
    exports = write_folder(
        tmp_path,
        {
            "shop/orders.csv": b"",
            "shop/returns.jsonl": b"",
            "shop/customers.csv": "customer_id,created_at",  # header alone, no line end
            "crm/accounts.csv": "\ufeffaccount_id,name\n",
            "crm/notes.parquet": b"",
        },
    )
    report = ingest_exports(exports, warehouse)  # failed: "missing required column(s)"

    assert (report.rows_loaded, report.rows_rejected) == (0, 0)
    assert report.missing_required == [] and report.unreadable_files == []
    assert sorted(report.warnings) == [
        "crm/notes.parquet: file is empty",
        "shop/orders.csv: file is empty",
        "shop/returns.jsonl: file is empty",
    ]
    assert "  warning: shop/orders.csv: file is empty" in report.summary()
    assert query(warehouse, "select count(*) from raw_shop.orders") == [(0,)]
    assert query(warehouse, "select count(*) from raw_shop.customers") == [(0,)]
    assert rejects_of(warehouse) == [] and rejects_of(warehouse, "raw_crm") == []


def test_counts_are_told_with_the_level_they_deserve(
    exports: Path, warehouse: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (exports / "crm" / "accounts.parquet").unlink()
    (exports / "crm" / "accounts.csv").write_text("name\nAtelier\n", encoding="utf-8")
    told: list[str] = []
    report = ingest_exports(exports, warehouse, progress=told.append)
    line = "  shop/orders: 1 file(s) read, 0 unchanged, 4 rows received, 2 loaded, 2 rejected"
    assert line in report.summary()
    assert "  NOT LOADED crm/accounts.csv: missing required column(s) account_id" in (
        report.summary()
    )
    assert "reading shop/orders.csv" in told

    # before an IngestError, a logger's info as the callback: rejects and files not
    # loaded go to its warning
    logger = logging.getLogger("terrain.test.ingest")
    (exports / "crm" / "accounts.csv").write_text("name\nBrasserie\n", encoding="utf-8")
    report = ingest_exports(exports, warehouse)
    with caplog.at_level(logging.INFO, logger="terrain.test.ingest"):
        _tell_summary(report, logger.info)
    levels = {r.getMessage(): r.levelno for r in caplog.records if r.name == logger.name}
    assert levels[
        "  crm/accounts: 1 file(s) read, 0 unchanged, 1 rows received, 0 loaded, 1 rejected"
    ] == (logging.WARNING)
    assert levels["  NOT LOADED crm/accounts.csv: missing required column(s) account_id"] == (
        logging.WARNING
    )
    assert levels[
        "  shop/orders: 0 file(s) read, 1 unchanged, 0 rows received, 0 loaded, 0 rejected"
    ] == (logging.INFO)


def test_file_and_folder_names_match_whatever_their_case(tmp_path: Path, warehouse: Path) -> None:
    exports = write_folder(
        tmp_path,
        {
            "Shop/Orders.CSV": ORDERS_HEADER + "O1,C1,2024-01-01,EUR,1\nO2,C1,2024-01-01,EUR,x\n",
            "CRM/ACCOUNTS.jsonl": '{"account_id": "A1", "name": "Atelier"}\n',
        },
    )
    report = ingest_exports(exports, warehouse)

    assert report.ignored_files == []
    assert (report.rows_loaded, report.rows_rejected) == (2, 1)
    assert query(warehouse, "select order_id from raw_shop.orders") == [("O1",)]
    assert query(warehouse, "select account_id from raw_crm.accounts") == [("A1",)]
    assert [r[:4] for r in rejects_of(warehouse)] == [("Shop/Orders.CSV", 3, "total_amount", "x")]


def test_out_of_range_ratings_and_quantities_and_exponents_are_rejected(
    tmp_path: Path, warehouse: Path
) -> None:
    exports = write_folder(
        tmp_path,
        {
            "shop/reviews.csv": "review_id,sku,created_at,rating\n"
            "R1,A,2024-01-01,1\nR2,A,2024-01-01,5\nR3,A,2024-01-01,0\nR4,A,2024-01-01,6\n",
            "shop/order_lines.csv": "order_id,line_number,sku,quantity,unit_price\n"
            "O1,1,A,2,10\nO1,2,A,0,10\nO1,3,A,-1,10\nO1,4,A,1,1e3\n",
            "shop/returns.csv": "return_id,order_id,returned_at,quantity\n"
            "RT1,O1,2024-01-02,\nRT2,O1,2024-01-02,-2\n",
        },
    )
    report = ingest_exports(exports, warehouse)

    assert report.as_dict()["shop/reviews"]["rows_loaded"] == 2
    assert report.as_dict()["shop/order_lines"]["rows_loaded"] == 1
    assert report.as_dict()["shop/returns"]["rows_loaded"] == 1
    assert query(warehouse, "select review_id from raw_shop.reviews order by 1") == [
        ("R1",),
        ("R2",),
    ]
    rejects = rejects_of(warehouse)
    assert [r[:4] for r in rejects] == [
        ("shop/order_lines.csv", 3, "quantity", "0"),
        ("shop/order_lines.csv", 4, "quantity", "-1"),
        ("shop/order_lines.csv", 5, "unit_price", "1e3"),
        ("shop/returns.csv", 3, "quantity", "-2"),
        ("shop/reviews.csv", 4, "rating", "0"),
        ("shop/reviews.csv", 5, "rating", "6"),
    ]
    reasons = {(r[0], r[1]): r[4] for r in rejects}
    assert reasons[("shop/reviews.csv", 5)] == (
        "out of range: '6' in column rating must be from 1 to 5 (a review rating goes from "
        "1 to 5); fix the value in the export."
    )
    assert reasons[("shop/order_lines.csv", 4)].startswith(
        "out of range: '-1' in column quantity must be at least 1"
    )
    assert reasons[("shop/order_lines.csv", 5)].startswith("not a number: '1e3'")


def test_a_blank_first_line_does_not_shift_line_numbers(tmp_path: Path, warehouse: Path) -> None:
    exports = write_folder(
        tmp_path,
        {"shop/orders.csv": "\n" + ORDERS_HEADER + "O1,C1,2024-01-01,EUR,1\nO2,C1,never,EUR,2\n"},
    )
    ingest_exports(exports, warehouse)

    # line 1 blank, header line 2, O2 on line 4
    assert [r[:4] for r in rejects_of(warehouse)] == [("shop/orders.csv", 4, "ordered_at", "never")]
    assert query(warehouse, "select order_id from raw_shop.orders") == [("O1",)]


def test_a_date_alone_is_midnight_in_the_configured_time_zone(
    tmp_path: Path, warehouse: Path
) -> None:
    exports = write_folder(
        tmp_path,
        {
            "export-settings.yaml": "defaults: {timezone: Europe/Paris}\n"
            'files: {shop/returns: {date_format: "%d/%m/%Y %H:%M"}}\n',
            "shop/orders.csv": ORDERS_HEADER
            + "O1,C1,2024-07-15,EUR,1\nO2,C1,2024-07-15T00:00:00,EUR,1\n",
            "shop/returns.csv": "return_id,order_id,returned_at\n"
            "R1,O1,15/07/2024\nR2,O1,15/07/2024 00:00\n",
        },
    )
    crm = exports / "crm"
    crm.mkdir()
    pq.write_table(
        pa.table(
            {"account_id": ["A1"], "name": ["x"], "created_at": pa.array([19919], pa.date32())}
        ),
        crm / "accounts.parquet",
    )  # 2024-07-15
    ingest_exports(exports, warehouse)

    # Paris is UTC+2 in July: a date alone and midnight written out are the same instant
    midnight = query(warehouse, "select timestamptz '2024-07-14 22:00:00+00'")[0][0]
    assert query(warehouse, "select ordered_at from raw_shop.orders") == [(midnight,)] * 2
    assert query(warehouse, "select returned_at from raw_shop.returns") == [(midnight,)] * 2
    assert query(warehouse, "select created_at from raw_crm.accounts") == [(midnight,)]


def test_a_vanished_file_is_reported_and_its_rejects_cleared(
    tmp_path: Path, warehouse: Path, caplog: pytest.LogCaptureFixture
) -> None:
    exports = write_folder(
        tmp_path,
        {
            "shop/orders.csv": ORDERS_HEADER + "O1,C1,2024-01-01,EUR,1\nO2,C1,2024-01-01,EUR,x\n",
            "shop/customers.csv": "customer_id,created_at\nC1,2024-01-01\nC2,never\n",
        },
    )
    ingest_exports(exports, warehouse)
    assert len(rejects_of(warehouse)) == 2
    files = "select file from raw_shop.ingest_files order by file"
    assert query(warehouse, files) == [("shop/customers.csv",), ("shop/orders.csv",)]

    (exports / "shop" / "orders.csv").unlink()
    with caplog.at_level(logging.WARNING, logger="flows.ingest.source"):
        report = ingest_exports(exports, warehouse)

    message = (
        "shop/orders.csv was loaded before and is no longer in the export folder: "
        "its rows stay in the warehouse, its rejects were removed"
    )
    assert message in caplog.text
    assert report.warnings == [message]
    assert f"  warning: {message}" in report.summary()
    # merge never deletes: the rows stay; the file's rejects are gone
    assert query(warehouse, "select order_id from raw_shop.orders") == [("O1",)]
    assert [r[:3] for r in rejects_of(warehouse)] == [("shop/customers.csv", 3, "created_at")]
    # the file's health row is gone too (dlt's hard_delete): it no longer counts
    assert query(warehouse, files) == [("shop/customers.csv",)]
    # told once: the next run has nothing more to say
    assert ingest_exports(exports, warehouse).warnings == []


def test_a_file_that_cannot_be_read_says_its_rows_were_not_counted(
    tmp_path: Path, warehouse: Path
) -> None:
    exports = write_folder(
        tmp_path,
        {
            "shop/orders.csv": ORDERS_HEADER + "O1,C1,2024-01-01,EUR,1\n",
            "shop/returns.parquet": b"PAR1 this is not parquet",
        },
    )
    report = ingest_exports(exports, warehouse)

    assert report.as_dict()["shop/returns"]["files_uncounted"] == 1
    assert any(
        line.startswith("  shop/returns: 1 file(s) read, 0 unchanged, 0 rows received")
        and line.endswith("(+ 1 file(s) refused whole, rows not counted)")
        for line in report.summary()
    )
    # unknown, not zero
    assert query(
        warehouse,
        "select rows_received, rows_loaded, rows_rejected, is_refused, "
        "refusal like '%not a readable Parquet file%' from raw_shop.ingest_files "
        "where file = 'shop/returns.parquet'",
    ) == [(None, 0, None, True, True)]
    with pytest.raises(DataHealthError) as failure:
        check_ingest(warehouse)
    assert "shop/returns.parquet: refused whole; its rows could not be counted" in str(
        failure.value
    )
    assert "  - unreadable_file, the whole file; " in str(failure.value)
