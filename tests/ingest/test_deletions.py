"""Rows deleted in the source: snapshots, increments with a deletes file, change detection.

Reproduces issue 12: a row deleted from an export stayed in the warehouse forever, and
a same-size edit that kept the file's modification time was skipped as unchanged.
Real dlt pipelines into a real DuckDB file.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from flows.ingest import file_state
from flows.ingest.file_state import RACY_NANOSECONDS
from flows.ingest.run import ingest_exports

HEADER = "order_id,customer_id,ordered_at,currency,total_amount\n"
O1 = "O1,C1,2024-01-05,EUR,10\n"
O2 = "O2,C1,2024-01-06,EUR,20\n"
O3 = "O3,C2,2024-01-07,EUR,30\n"


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    (folder / "shop").mkdir(parents=True)
    return folder


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return tmp_path / "terrain.duckdb"


def write(path: Path, text: str, mtime_ns: int | None = None) -> Path:
    path.write_text(text, encoding="utf-8")
    if mtime_ns is not None:
        os.utime(path, ns=(mtime_ns, mtime_ns))
    return path


def orders(warehouse: Path) -> dict[str, tuple]:
    """order_id -> (total_amount, deleted or not, _deleted_at)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select order_id, total_amount, _deleted_at from raw_shop.orders"
        ).fetchall()
    return {order: (total, at is not None, at) for order, total, at in rows}


def live(warehouse: Path) -> set[str]:
    return {order for order, (_, deleted, _) in orders(warehouse).items() if not deleted}


# ----------------------------------------------------------------------------- snapshots


def test_a_row_missing_from_a_new_snapshot_is_marked_deleted_and_kept(
    exports: Path, warehouse: Path
) -> None:
    path = write(exports / "shop" / "orders.csv", HEADER + O1 + O2 + O3)
    ingest_exports(exports, warehouse)
    assert live(warehouse) == {"O1", "O2", "O3"}

    before = datetime.now(UTC)
    write(path, HEADER + O1 + O3)
    report = ingest_exports(exports, warehouse)

    found = orders(warehouse)
    assert set(found) == {"O1", "O2", "O3"}  # kept for history...
    assert live(warehouse) == {"O1", "O3"}  # ...marked deleted, with when it disappeared
    assert found["O2"][0] == 20 and found["O2"][2] >= before
    assert report.entities["shop/orders"].rows_deleted == 1
    assert "1 marked deleted" in "\n".join(report.summary())

    # told once: an unchanged file changes nothing, the time of disappearance stays
    ingest_exports(exports, warehouse)
    assert orders(warehouse)["O2"][2] == found["O2"][2]

    # a row that comes back is live again
    write(path, HEADER + O1 + O2.replace("EUR,20", "EUR,25") + O3)
    ingest_exports(exports, warehouse)
    assert live(warehouse) == {"O1", "O2", "O3"}
    assert orders(warehouse)["O2"][0] == 25


def test_a_row_rejected_for_a_bad_value_is_not_a_deleted_row(
    exports: Path, warehouse: Path
) -> None:
    path = write(exports / "shop" / "orders.csv", HEADER + O1 + O2)
    ingest_exports(exports, warehouse)
    write(path, HEADER + O1 + "O2,C1,2024-01-06,EUR,twenty\n")
    ingest_exports(exports, warehouse)
    # the row is still in the export, only unreadable: its last good version stays live
    assert live(warehouse) == {"O1", "O2"}
    assert orders(warehouse)["O2"][0] == 20


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "an export that wrote nothing"),
        (HEADER + O1 + "O3,C2,2024-01-07\n", "a line that cannot be split into values"),
    ],
)
def test_no_deletion_is_inferred_from_a_file_that_proves_nothing(
    exports: Path, warehouse: Path, text: str, why: str
) -> None:
    path = write(exports / "shop" / "orders.csv", HEADER + O1 + O2 + O3)
    ingest_exports(exports, warehouse)
    write(path, text)
    ingest_exports(exports, warehouse)
    assert live(warehouse) >= {"O2", "O3"}, why


def test_a_header_alone_is_an_empty_snapshot(exports: Path, warehouse: Path) -> None:
    path = write(exports / "shop" / "orders.csv", HEADER + O1 + O2)
    ingest_exports(exports, warehouse)
    write(path, HEADER)
    ingest_exports(exports, warehouse)
    assert live(warehouse) == set()


def test_a_file_missing_required_columns_deletes_nothing(exports: Path, warehouse: Path) -> None:
    path = write(exports / "shop" / "orders.csv", HEADER + O1 + O2)
    ingest_exports(exports, warehouse)
    write(path, "order_id,customer_id\nO1,C1\n")
    report = ingest_exports(exports, warehouse)
    assert [file for file, _ in report.missing_required] == ["shop/orders.csv"]
    assert live(warehouse) == {"O1", "O2"}


def test_the_snapshot_of_an_entity_is_all_its_files(exports: Path, warehouse: Path) -> None:
    write(exports / "shop" / "orders.csv", HEADER + O1)
    jsonl = write(
        exports / "shop" / "orders.jsonl",
        '{"order_id": "O2", "customer_id": "C1", "ordered_at": "2024-01-06", '
        '"currency": "EUR", "total_amount": 20}\n',
    )
    ingest_exports(exports, warehouse)
    assert live(warehouse) == {"O1", "O2"}
    jsonl.unlink()  # the other file is unchanged: it is read again to find what went
    report = ingest_exports(exports, warehouse)
    assert live(warehouse) == {"O1"}
    assert any("marked deleted" in w for w in report.warnings)


def test_all_files_of_an_entity_gone_deletes_nothing(exports: Path, warehouse: Path) -> None:
    path = write(exports / "shop" / "orders.csv", HEADER + O1)
    write(exports / "shop" / "customers.csv", "customer_id,created_at\nC1,2024-01-01\n")
    ingest_exports(exports, warehouse)
    path.unlink()
    report = ingest_exports(exports, warehouse)
    assert live(warehouse) == {"O1"}
    assert any("its rows stay in the warehouse" in w for w in report.warnings)


# ---------------------------------------------------------------------------- increments

INCREMENT = "files:\n  shop/orders: {mode: increment}\n"


def test_an_increment_keeps_the_rows_it_does_not_repeat(exports: Path, warehouse: Path) -> None:
    write(exports / "export-settings.yaml", INCREMENT)
    path = write(exports / "shop" / "orders.csv", HEADER + O1 + O2)
    ingest_exports(exports, warehouse)
    write(path, HEADER + O3 + O2.replace("EUR,20", "EUR,22"))
    ingest_exports(exports, warehouse)
    assert live(warehouse) == {"O1", "O2", "O3"}
    assert orders(warehouse)["O2"][0] == 22


def test_a_deletes_file_marks_its_keys_deleted_at_its_time(exports: Path, warehouse: Path) -> None:
    write(exports / "export-settings.yaml", INCREMENT)
    write(exports / "shop" / "orders.csv", HEADER + O1 + O2)
    ingest_exports(exports, warehouse)

    deletes = write(
        exports / "shop" / "orders_deleted.csv",
        "order_id,deleted_at\nO1,2024-02-01T10:00:00Z\nO9,\n",  # O9 was never loaded
    )
    report = ingest_exports(exports, warehouse)
    found = orders(warehouse)
    assert live(warehouse) == {"O2"}
    assert found["O1"][2] == datetime(2024, 2, 1, 10, tzinfo=UTC)
    assert "O9" not in found
    assert report.entities["shop/orders"].rows_deleted == 1

    # a new increment repeating O1 does not bring it back while the deletes file lists it
    write(exports / "shop" / "orders.csv", HEADER + O1.replace("EUR,10", "EUR,11") + O3)
    ingest_exports(exports, warehouse)
    assert live(warehouse) == {"O2", "O3"}
    # taken out of the deletes file, and exported again: live again
    write(deletes, "order_id,deleted_at\n")
    write(exports / "shop" / "orders.csv", HEADER + O1.replace("EUR,10", "EUR,12"))
    ingest_exports(exports, warehouse)
    assert live(warehouse) == {"O1", "O2", "O3"}


def test_a_deletes_file_with_bad_keys_rejects_them(exports: Path, warehouse: Path) -> None:
    write(exports / "export-settings.yaml", INCREMENT)
    write(exports / "shop" / "orders.csv", HEADER + O1 + O2)
    ingest_exports(exports, warehouse)
    write(exports / "shop" / "orders_deleted.csv", "order_id,deleted_at\nO1,yesterday\nO2,\n")
    ingest_exports(exports, warehouse)
    assert live(warehouse) == {"O1"}  # O1's line is rejected: nothing said it was deleted
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute(
            "select file, line, column_name from raw_shop.ingest_rejects"
        ).fetchall() == [("shop/orders_deleted.csv", 2, "deleted_at")]


# ---------------------------------------------------------------------- change detection


def test_a_same_size_edit_with_the_old_modification_time_is_loaded(
    exports: Path, warehouse: Path
) -> None:
    path = write(exports / "shop" / "orders.csv", HEADER + O1 + O2, mtime_ns=1_700_000_000 * 10**9)
    time.sleep(RACY_NANOSECONDS / 1e9 + 0.2)
    ingest_exports(exports, warehouse)  # hashed well after the last change: trusted
    # same size, same modification time (touch -d, a copy keeping times), new content
    write(path, HEADER + O1 + O2.replace("EUR,20", "EUR,29"), mtime_ns=1_700_000_000 * 10**9)
    report = ingest_exports(exports, warehouse)
    assert report.entities["shop/orders"].files_read == 1
    assert orders(warehouse)["O2"][0] == 29


def test_an_untouched_file_is_skipped_without_being_read(
    exports: Path, warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(exports / "shop" / "orders.csv", HEADER + O1)
    time.sleep(RACY_NANOSECONDS / 1e9 + 0.2)  # hashed well after its last change...
    ingest_exports(exports, warehouse)
    read: list[Path] = []
    real = file_state.read_regular_file
    monkeypatch.setattr(file_state, "read_regular_file", lambda p: read.append(p) or real(p))
    report = ingest_exports(exports, warehouse)  # ...so its status alone says "unchanged"
    assert report.entities["shop/orders"].files_skipped_unchanged == 1
    assert read == []
