"""Reading one export file into canonical Arrow types, with rejects at the right lines."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flows.ingest.contract import ENTITIES_BY_KEY
from flows.ingest.export_file import canonical_schema, read_export_file
from flows.ingest.export_settings import FileFormat
from flows.ingest.readers import ExportFileError

ORDERS = ENTITIES_BY_KEY[("shop", "orders")]
ORDER_LINES = ENTITIES_BY_KEY[("shop", "order_lines")]
TICKETS = ENTITIES_BY_KEY[("support", "tickets")]
CUSTOMERS = ENTITIES_BY_KEY[("shop", "customers")]
EXCHANGE_RATES = ENTITIES_BY_KEY[("shop", "exchange_rates")]

FRENCH = FileFormat(
    delimiter=";", decimal=",", date_format="%d/%m/%Y %H:%M", timezone="Europe/Paris"
)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_messy_french_csv_parses_to_the_right_values(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "orders.csv",
        "\ufefforder_id;customer_id;ordered_at;currency;total_amount;discount_amount\n"
        "O1;C1;05/03/2024 14:30;EUR;1 234,50;10\n"
        "O2;C2;15/07/2024;EUR;1234,50;\n"
        "O3;C3;31/12/2024 23:59;EUR;+0,5;1\u00a0000,25\n",
    )
    parsed = read_export_file(path, ORDERS, FRENCH, "shop/orders.csv")

    assert parsed.rejects == []
    assert parsed.table.schema == canonical_schema(ORDERS)
    rows = parsed.table.to_pylist()
    assert [r["total_amount"] for r in rows] == [1234.5, 1234.5, 0.5]
    assert [r["discount_amount"] for r in rows] == [10.0, None, 1000.25]
    # Paris is UTC+1 in March and December, UTC+2 in July; a date alone is midnight
    # in Paris
    assert [r["ordered_at"] for r in rows] == [
        utc(2024, 3, 5, 13, 30),
        utc(2024, 7, 14, 22),
        utc(2024, 12, 31, 22, 59),
    ]
    # optional canonical columns absent from the file are NULL with their type
    assert [r["channel"] for r in rows] == [None, None, None]


def test_iso_timestamps_with_offsets_and_naive_local_times(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "orders.csv",
        "order_id,customer_id,ordered_at,currency,total_amount\n"
        "O1,C1,2024-03-05T10:00:00Z,EUR,1\n"
        "O2,C1,2024-03-05T10:00:00+02:00,EUR,1\n"
        "O3,C1,2024-03-05 10:00:00,EUR,1\n"
        "O4,C1,2024-03-05T10:00:00.123456789,EUR,1\n"
        "O5,C1,2024-03-05,EUR,1\n",
    )
    fmt = FileFormat(timezone="America/New_York")
    parsed = read_export_file(path, ORDERS, fmt, "shop/orders.csv")

    assert parsed.rejects == []
    assert parsed.table["ordered_at"].to_pylist() == [
        utc(2024, 3, 5, 10),
        utc(2024, 3, 5, 8),
        utc(2024, 3, 5, 15),  # naive -> New York (UTC-5) -> UTC
        utc(2024, 3, 5, 15, 0, 0, 123456),
        utc(2024, 3, 5, 5),  # a date alone: midnight in New York
    ]


def test_bad_values_reject_their_rows_with_line_column_and_value(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "orders.csv",
        "order_id;customer_id;ordered_at;currency;total_amount\n"
        "O1;C1;05/03/2024 14:30;EUR;10,00\n"
        "O2;C2;31/02/2024 10:00;EUR;12,3x\n"  # impossible date and a non-number: 2 rejects
        "\n"
        'O3;C3;06/03/2024;EUR;"99,00"\n'
        "O4;;07/03/2024 08:00;EUR;10\n"  # required value missing
        "O1;C9;07/03/2024 08:00;EUR;10\n"  # duplicate key
        "O5;C5;07/03/2024 08:00;EUR\n"  # a value short
        "O6;C6;08/03/2024 08:00;EUR;1.5\n",  # a dot with a decimal comma is ambiguous
    )
    parsed = read_export_file(path, ORDERS, FRENCH, "shop/orders.csv")

    assert parsed.table["order_id"].to_pylist() == ["O1", "O3"]
    assert (parsed.rows_read, parsed.rows_rejected) == (7, 5)
    found = [(r.line, r.column, r.value) for r in parsed.rejects]
    assert found == [
        (3, "ordered_at", "31/02/2024 10:00"),
        (3, "total_amount", "12,3x"),
        (6, "customer_id", ""),
        (7, "order_id", "O1"),
        (8, None, "O5;C5;07/03/2024 08:00;EUR"),
        (9, "total_amount", "1.5"),
    ]
    reasons = {(r.line, r.column): r.reason for r in parsed.rejects}
    assert reasons[(3, "total_amount")].startswith(
        "not a number: '12,3x' in column total_amount; fix the value or the decimal setting"
    )
    assert "not a date: '31/02/2024 10:00'" in reasons[(3, "ordered_at")]
    assert "already on line 2" in reasons[(7, "order_id")]
    assert all(r.file == "shop/orders.csv" for r in parsed.rejects)


def test_line_numbers_count_quoted_values_over_several_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "tickets.csv",
        "ticket_id,created_at,description\n"
        'T1,2024-01-01,"first line\nsecond line\nthird line"\n'
        "T2,not a date,plain\n",
    )
    parsed = read_export_file(path, TICKETS, FileFormat(), "support/tickets.csv")

    assert parsed.table["description"].to_pylist() == ["first line\nsecond line\nthird line"]
    assert [(r.line, r.column) for r in parsed.rejects] == [(5, "created_at")]


def test_missing_required_column_rejects_the_whole_file(tmp_path: Path) -> None:
    path = write(tmp_path, "orders.csv", "order_id;customer_id;ordered_at\nO1;C1;2024-01-01\n")
    parsed = read_export_file(path, ORDERS, FileFormat(), "shop/orders.csv")

    assert parsed.table.num_rows == 0
    assert parsed.missing_columns == (
        "order_id",
        "customer_id",
        "ordered_at",
        "currency",
        "total_amount",
    )
    [reject] = parsed.rejects
    assert reject.line is None and reject.column is None
    assert "looks semicolon-separated" in reject.reason


def test_one_of_columns_sku_or_product_id(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "order_lines.csv",
        "order_id,line_number,product_id,quantity,unit_price\n"
        "O1,1,P1,2,10.5\nO1,2,,1,3\nO1,x,P2,1,3\n",
    )
    parsed = read_export_file(path, ORDER_LINES, FileFormat(), "shop/order_lines.csv")

    assert parsed.table.to_pylist()[0] | {} == {
        "order_id": "O1",
        "line_number": 1,
        "sku": None,
        "product_id": "P1",
        "quantity": 2,
        "unit_price": 10.5,
    }
    assert [(r.line, r.column) for r in parsed.rejects] == [(3, "sku"), (4, "line_number")]

    neither = write(tmp_path, "bad.csv", "order_id,line_number,quantity,unit_price\nO1,1,2,3\n")
    assert read_export_file(neither, ORDER_LINES, FileFormat(), "x").missing_columns == (
        "sku or product_id",
    )


def test_unknown_extra_columns_are_kept_as_text(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "orders.csv",
        "order_id,customer_id,ordered_at,currency,total_amount,Loyalty Tier,score\n"
        "O1,C1,2024-01-01,EUR,1,gold,12\nO2,C1,2024-01-01,EUR,1,,\n",
    )
    parsed = read_export_file(path, ORDERS, FileFormat(), "shop/orders.csv")

    assert parsed.table.schema.field("Loyalty Tier").type == pa.string()
    assert parsed.table["Loyalty Tier"].to_pylist() == ["gold", None]
    assert parsed.table["score"].to_pylist() == ["12", None]


def test_undecodable_lines_are_rejected_and_the_others_load(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(
        b"order_id,customer_id,ordered_at,currency,total_amount,shipping_country\n"
        b"O1,C1,2024-01-01,EUR,1,FR\n"
        b"O2,Ren\xe9,2024-01-01,EUR,2,FR\n"  # latin-1 in a UTF-8 file
        b'O3,C3,2024-01-01,EUR,3,"two\n'  # a quoted value over two lines...
        b'lines \xff"\n'  # ...whose second line holds the bad byte
        b"O4,C4,2024-01-01,EUR,4,FR\n"
        b"\xc3\x28,C5,2024-01-01,EUR,5,FR\n"  # an invalid 2-byte sequence
    )
    parsed = read_export_file(path, ORDERS, FileFormat(), "shop/orders.csv")

    assert parsed.table["order_id"].to_pylist() == ["O1", "O4"]
    assert (parsed.rows_read, parsed.rows_loaded, parsed.rows_rejected) == (5, 2, 3)
    assert [(r.line, r.code) for r in parsed.rejects] == [
        (3, "not_valid_encoding"),
        (5, "not_valid_encoding"),  # the record starts on line 4, the bad byte is on 5
        (7, "not_valid_encoding"),
    ]
    assert parsed.rejects[0].reason.startswith("not valid utf-8: the bytes b'\\xe9'")
    assert "set 'encoding'" in parsed.rejects[0].reason
    assert parsed.rejects[0].value == "O2,Ren\ufffd,2024-01-01,EUR,2,FR"

    fmt = FileFormat(encoding="latin-1")
    path.write_bytes(
        b"order_id,customer_id,ordered_at,currency,total_amount\nO1,Ren\xe9,2024-01-01,EUR,1\n"
    )
    parsed = read_export_file(path, ORDERS, fmt, "shop/orders.csv")
    assert parsed.table["customer_id"].to_pylist() == ["René"]


def test_undecodable_jsonl_lines_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "orders.jsonl"
    good = b'{"order_id": "O1", "customer_id": "C1", "ordered_at": "2024-01-01", '
    good += b'"currency": "EUR", "total_amount": 1}\n'
    path.write_bytes(good + good.replace(b"C1", b"C\xe9").replace(b"O1", b"O2") + b"\n")
    parsed = read_export_file(path, ORDERS, FileFormat(), "shop/orders.jsonl")
    assert (parsed.rows_read, parsed.rows_loaded, parsed.rows_rejected) == (2, 1, 1)
    assert [(r.line, r.code) for r in parsed.rejects] == [(2, "not_valid_encoding")]


def test_an_undecodable_header_or_utf16_refuses_the_file(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(b"order_id,customer_\xe9d\nO1,C1\n")
    with pytest.raises(ExportFileError, match=r"shop/orders.csv, line 1: the header's bytes"):
        read_export_file(path, ORDERS, FileFormat(), "shop/orders.csv")
    # UTF-16 lines cannot be told apart without decoding: the whole file is out
    path.write_bytes("order_id,customer_id\nO1,C1\n".encode("utf-16")[:-1])
    with pytest.raises(ExportFileError, match=r"line \d+: .*not valid utf-16"):
        read_export_file(path, ORDERS, FileFormat(encoding="utf-16"), "shop/orders.csv")


def test_jsonl_reads_one_object_per_line(tmp_path: Path) -> None:
    lines = [
        {
            "order_id": "O1",
            "customer_id": "C1",
            "ordered_at": "2024-01-01T10:00:00Z",
            "currency": "EUR",
            "total_amount": 12.5,
            "extra": {"a": 1},
        },
        "not json",
        {
            "order_id": "O2",
            "customer_id": "C1",
            "ordered_at": "2024-01-02",
            "currency": "EUR",
            "total_amount": "oops",
        },
        {
            "order_id": "O3",
            "customer_id": "C1",
            "ordered_at": "2024-01-03",
            "currency": "EUR",
            "total_amount": 7,
        },
    ]
    text = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n"
    path = write(tmp_path, "orders.jsonl", text)
    parsed = read_export_file(path, ORDERS, FileFormat(), "shop/orders.jsonl")

    assert parsed.table["order_id"].to_pylist() == ["O1", "O3"]
    assert parsed.table["total_amount"].to_pylist() == [12.5, 7.0]
    assert parsed.table["extra"].to_pylist() == ['{"a": 1}', None]
    assert [(r.line, r.column) for r in parsed.rejects] == [(2, None), (3, "total_amount")]


def test_parquet_typed_columns_are_cast_to_canonical_types(tmp_path: Path) -> None:
    table = pa.table(
        {
            "order_id": pa.array([1, 2], pa.int32()),  # numbers as ids become text
            "customer_id": ["C1", "C2"],
            "ordered_at": pa.array(
                [datetime(2024, 1, 1, 12), datetime(2024, 7, 1, 12)], pa.timestamp("ms")
            ),
            "currency": ["EUR", "EUR"],
            "total_amount": pa.array([10, 20], pa.int64()),
            "discount_amount": pa.array(["1,5", "x"]),
        }
    )
    path = tmp_path / "orders.parquet"
    pq.write_table(table, path)
    fmt = FileFormat(decimal=",", timezone="Europe/Paris")
    parsed = read_export_file(path, ORDERS, fmt, "shop/orders.parquet")

    assert parsed.table.schema == canonical_schema(ORDERS)
    assert parsed.table.to_pylist()[0] | {} == {
        "order_id": "1",
        "customer_id": "C1",
        "ordered_at": utc(2024, 1, 1, 11),
        "channel": None,
        "currency": "EUR",
        "total_amount": 10.0,
        "discount_amount": 1.5,
        "status": None,
        "shipping_country": None,
    }
    assert [(r.line, r.column, r.value) for r in parsed.rejects] == [(2, "discount_amount", "x")]


def test_json_numbers_with_an_exponent_are_numbers_but_text_ones_are_not(
    tmp_path: Path,
) -> None:
    base = '"customer_id": "C1", "ordered_at": "2024-01-01", "currency": "EUR"'
    path = write(
        tmp_path,
        "orders.jsonl",
        f'{{"order_id": "O1", {base}, "total_amount": 1e-05}}\n'
        f'{{"order_id": "O2", {base}, "total_amount": 2E+20}}\n'
        f'{{"order_id": "O3", {base}, "total_amount": "1e3"}}\n',
    )
    parsed = read_export_file(path, ORDERS, FileFormat(decimal=","), "shop/orders.jsonl")

    assert parsed.table["total_amount"].to_pylist() == [1e-05, 2e20]
    assert [(r.line, r.column, r.value) for r in parsed.rejects] == [(3, "total_amount", "1e3")]


def test_a_column_without_a_name_is_dropped(tmp_path: Path) -> None:
    header = "order_id,customer_id,ordered_at,currency,total_amount,"
    trailing = write(tmp_path, "a.csv", header + "\nO1,C1,2024-01-01,EUR,1,\n")
    parsed = read_export_file(trailing, ORDERS, FileFormat(), "shop/orders.csv")
    # a trailing delimiter: nothing lost, nothing to tell
    assert (parsed.rows_loaded, parsed.rejects, parsed.warnings) == (1, [], [])
    assert "" not in parsed.table.column_names

    filled = write(tmp_path, "b.csv", header + "\nO1,C1,2024-01-01,EUR,1,x\n")
    parsed = read_export_file(filled, ORDERS, FileFormat(), "shop/orders.csv")
    assert parsed.rows_loaded == 1
    [reject] = parsed.rejects
    assert (reject.line, reject.column) == (None, None)
    assert reject.reason.startswith("a column has no name in the header; it was not loaded.")


def test_event_dates_after_the_run_or_before_the_earliest_year_are_rejected(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "orders.csv",
        "order_id,customer_id,ordered_at,currency,total_amount\n"
        "O1,C1,2026-03-02T23:59:00Z,EUR,1\n"  # the day of the run itself
        "O2,C1,2099-01-05,EUR,1\n"
        "O3,C1,2026-03-03T00:00:00Z,EUR,1\n"  # the next day (UTC)
        "O4,C1,2014-12-31T23:59:00Z,EUR,1\n"
        "O5,C1,2015-01-01,EUR,1\n"
        "O6,C1,1850-01-01,EUR,1\n",  # out of the years 1900-2100: one reason, not two
    )
    fmt = FileFormat(earliest_year=2015)
    parsed = read_export_file(path, ORDERS, fmt, "shop/orders.csv", today=date(2026, 3, 2))

    assert parsed.table["order_id"].to_pylist() == ["O1", "O5"]
    assert [(r.line, r.code) for r in parsed.rejects] == [
        (3, "date_in_future"),
        (4, "date_in_future"),
        (5, "date_too_early"),
        (7, "date_out_of_range"),
    ]
    assert "after the day of the run (2026-03-02, UTC)" in parsed.rejects[0].reason
    assert "before 2015, the earliest year of this export" in parsed.rejects[2].reason
    # a customer's creation is no event: the same dates load
    customers = write(
        tmp_path,
        "customers.csv",
        "customer_id,created_at\nC1,2099-01-05\nC2,2010-01-01\n",
    )
    parsed = read_export_file(
        customers, CUSTOMERS, fmt, "shop/customers.csv", today=date(2026, 3, 2)
    )
    assert parsed.rejects == []


def test_negative_amounts_are_rejected_with_a_reason_that_says_why(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "order_lines.csv",
        "order_id,line_number,sku,quantity,unit_price\nO1,1,A,1,10\nO1,2,A,1,-10\nO1,3,A,1,0\n",
    )
    parsed = read_export_file(path, ORDER_LINES, FileFormat(), "shop/order_lines.csv")
    assert parsed.table["line_number"].to_pylist() == [1, 3]
    [reject] = parsed.rejects
    assert (reject.line, reject.column, reject.value, reject.code) == (
        3,
        "unit_price",
        "-10",
        "negative_amount",
    )
    assert "a refund is a row of shop/returns or an order status" in reject.reason

    orders = write(
        tmp_path,
        "orders.csv",
        "order_id,customer_id,ordered_at,currency,total_amount,discount_amount\n"
        "O1,C1,2024-01-01,EUR,-5,\nO2,C1,2024-01-01,EUR,5,-1\nO3,C1,2024-01-01,EUR,5,1\n",
    )
    parsed = read_export_file(orders, ORDERS, FileFormat(), "shop/orders.csv")
    assert parsed.table["order_id"].to_pylist() == ["O3"]
    assert [(r.line, r.column, r.code) for r in parsed.rejects] == [
        (2, "total_amount", "negative_amount"),
        (3, "discount_amount", "negative_amount"),
    ]


def test_unknown_currency_codes_are_rejected(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "orders.csv",
        "order_id,customer_id,ordered_at,currency,total_amount\n"
        "O1,C1,2024-01-01,eur,1\nO2,C1,2024-01-01,USD,1\nO3,C1,2024-01-01,EURO,1\n"
        "O4,C1,2024-01-01,€,1\nO5,C1,2024-01-01,XYZ,1\n",
    )
    parsed = read_export_file(path, ORDERS, FileFormat(), "shop/orders.csv")
    assert parsed.table["order_id"].to_pylist() == ["O1", "O2"]
    assert [(r.line, r.value, r.code) for r in parsed.rejects] == [
        (4, "EURO", "unknown_currency"),
        (5, "€", "unknown_currency"),
        (6, "XYZ", "unknown_currency"),
    ]
    assert "is not an ISO 4217 code" in parsed.rejects[0].reason


def test_exchange_rates_are_calendar_dates_whatever_the_time_zone(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "exchange_rates.csv",
        "date;currency;rate\n02/03/2025;USD;0,92\n03/03/2025;usd;0\n04/03/2025;GBP;1,18\n",
    )
    fmt = FileFormat(
        delimiter=";", decimal=",", date_format="%d/%m/%Y", timezone="Pacific/Auckland"
    )
    parsed = read_export_file(path, EXCHANGE_RATES, fmt, "shop/exchange_rates.csv")
    assert parsed.table.to_pylist() == [
        {"date": date(2025, 3, 2), "currency": "USD", "rate": 0.92},
        {"date": date(2025, 3, 4), "currency": "GBP", "rate": 1.18},
    ]
    [reject] = parsed.rejects
    assert (reject.line, reject.column, reject.code) == (3, "rate", "out_of_range")
    assert "must be above 0" in reject.reason


def test_an_empty_optional_currency_is_not_checked(tmp_path: Path) -> None:
    # a deal (or product) without a currency is in the company's: the row loads
    deals = ENTITIES_BY_KEY[("crm", "deals")]
    path = write(
        tmp_path,
        "deals.csv",
        "deal_id,account_id,stage,created_at,currency,amount\n"
        "D1,A1,won,2024-01-01,,100\nD2,A1,won,2024-01-01,EUR,100\nD3,A1,won,2024-01-01,EURO,1\n",
    )
    parsed = read_export_file(path, deals, FileFormat(), "crm/deals.csv")
    assert parsed.table["deal_id"].to_pylist() == ["D1", "D2"]
    assert [(r.line, r.code) for r in parsed.rejects] == [(4, "unknown_currency")]


def test_a_date_pattern_with_seconds_reads_its_dates(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "orders.csv",
        "order_id,customer_id,ordered_at,currency,total_amount\n"
        "O1,C1,2024-03-05 14:02:11,EUR,1\nO2,C1,2024-03-05,EUR,1\n"
        "O3,C1,2024-02-31 10:00:00,EUR,1\n",
    )
    fmt = FileFormat(date_format="%Y-%m-%d %H:%M:%S")
    parsed = read_export_file(path, ORDERS, fmt, "shop/orders.csv")
    assert parsed.table["ordered_at"].to_pylist() == [utc(2024, 3, 5, 14, 2, 11), utc(2024, 3, 5)]
    assert [(r.line, r.code) for r in parsed.rejects] == [(4, "not_a_date")]
