"""The export folder is a boundary: nothing outside it is read, and rejects keep little.

Reproduces issue 12: a symbolic link in the export folder pointing to /etc/passwd or
/proc/self/environ was followed, and the first line of the target (the whole process
environment, credentials included) was stored in raw_shop.ingest_rejects.reason.

A refused file is counted like any file refused whole (issue 8): one reject with the
reason code `refused_file`, an `ingest_files` row whose rows are not counted, and the
data health check that follows ingestion fails the run for it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.health import DataHealthError
from flows.health.check import check_ingest
from flows.ingest.rejects import MAX_REASON_CHARS, MAX_VALUE_CHARS
from flows.ingest.run import IngestError, ingest_exports

CUSTOMERS = "customer_id,email,created_at\nC1,a@example.com,2024-01-01\n"
ORDERS = "order_id,customer_id,ordered_at,currency,total_amount\nO1,C1,2024-01-05,EUR,10\n"
SECRET = "s3cr3t-Terrain-Canary-7f1c2a9e4b"


def exports_with(root: Path, files: dict[str, str]) -> Path:
    exports = root / "exports"
    for name, text in files.items():
        path = exports / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return exports


def every_text(warehouse: Path) -> str:
    """Every text value of every table of the warehouse, joined (to search for leaks)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = con.execute(
            "select schema_name, table_name, column_name from duckdb_columns() "
            "where data_type = 'VARCHAR'"
        ).fetchall()
        parts = []
        for schema, table, column in columns:
            values = con.execute(f'select "{column}" from "{schema}"."{table}"').fetchall()
            parts += [str(v) for (v,) in values if v is not None]
    return "\n".join(parts)


def files(warehouse: Path) -> list[tuple]:
    """raw_shop.ingest_files: (file, received, loaded, rejected, refused)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select file, rows_received, rows_loaded, rows_rejected, is_refused "
            "from raw_shop.ingest_files order by file"
        ).fetchall()


def rejects(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select file, line, value, reason from raw_shop.ingest_rejects order by file"
        ).fetchall()


# Ingest in a process of its own, started with the secret in its environment: that is
# what /proc/self/environ shows (a variable set later in this process would not be).
INGEST = (
    "import sys\n"
    "from pathlib import Path\n"
    "from flows.health import DataHealthError\n"
    "from flows.health.check import check_ingest\n"
    "from flows.ingest.run import ingest_exports\n"
    "ingest_exports(Path(sys.argv[1]), Path(sys.argv[2]))\n"
    "try:\n"
    "    check_ingest(Path(sys.argv[2]), exports_dir=Path(sys.argv[1]))\n"
    "except DataHealthError as error:\n"
    "    print(error)\n"
)


@pytest.mark.parametrize("target", ["/etc/passwd", "/proc/self/environ"])
def test_a_symbolic_link_to_a_system_file_is_refused_unread(tmp_path: Path, target: str) -> None:
    exports = exports_with(tmp_path, {"shop/orders.csv": ORDERS})
    (exports / "shop" / "customers.csv").symlink_to(target)
    warehouse = tmp_path / "terrain.duckdb"

    result = subprocess.run(
        [sys.executable, "-c", INGEST, str(exports), str(warehouse)],
        env={**os.environ, "TERRAIN_TEST_API_TOKEN": SECRET},
        capture_output=True,
        text=True,
        check=True,
    )

    message = result.stdout
    assert "shop/customers.csv" in message and "symbolic link" in message
    # the other file loaded; the link is one reject, without a line and without a value
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select order_id from raw_shop.orders").fetchall() == [("O1",)]
        assert con.execute("select count(*) from raw_shop.customers").fetchall() == [(0,)]
    [(file, line, value, reason)] = rejects(warehouse)
    assert (file, line, value) == ("shop/customers.csv", None, None)
    assert "symbolic link" in reason
    # counted as a file refused whole: its rows could not be counted (NULL, not 0)
    assert files(warehouse) == [
        ("shop/customers.csv", None, 0, None, True),
        ("shop/orders.csv", 1, 1, 0, False),
    ]
    assert "data health check (ingest) failed" in message
    # nothing of the target is anywhere in the warehouse, nor in the messages
    for text in (every_text(warehouse), result.stdout, result.stderr):
        assert SECRET not in text and "TERRAIN_TEST_API_TOKEN" not in text
        assert "root:x:0:0" not in text


def test_devices_fifos_and_links_inside_the_folder_are_refused_without_blocking(
    tmp_path: Path,
) -> None:
    exports = exports_with(
        tmp_path, {"shop/orders.csv": ORDERS, "archive/customers.csv": CUSTOMERS}
    )
    os.mkfifo(exports / "shop" / "returns.csv")  # opening it to read would block forever
    (exports / "shop" / "reviews.csv").symlink_to("/dev/zero")
    # even a link to a file inside the export folder is not followed
    (exports / "shop" / "customers.csv").symlink_to(exports / "archive" / "customers.csv")
    warehouse = tmp_path / "terrain.duckdb"

    report = ingest_exports(exports, warehouse)

    refused = dict(report.unreadable_files)
    assert set(refused) == {"shop/customers.csv", "shop/returns.csv", "shop/reviews.csv"}
    assert "named pipe" in refused["shop/returns.csv"]
    assert "symbolic link" in refused["shop/reviews.csv"]
    assert len(rejects(warehouse)) == 3
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute(
            "select file, reason_code from raw_shop.ingest_rejects order by file"
        ).fetchall() == [
            ("shop/customers.csv", "refused_file"),
            ("shop/returns.csv", "refused_file"),
            ("shop/reviews.csv", "refused_file"),
        ]
    assert [(f, refused) for f, _, _, _, refused in files(warehouse)] == [
        ("shop/customers.csv", True),
        ("shop/orders.csv", False),
        ("shop/returns.csv", True),
        ("shop/reviews.csv", True),
    ]
    with pytest.raises(DataHealthError) as failed:
        check_ingest(warehouse, exports_dir=exports)
    for name in ("shop/customers.csv", "shop/returns.csv", "shop/reviews.csv"):
        assert name in str(failed.value)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw_shop.orders").fetchall() == [(1,)]
        assert con.execute("select count(*) from raw_shop.customers").fetchall() == [(0,)]


def test_a_linked_system_folder_is_refused_and_the_other_systems_load(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere).mkdir()
    (elsewhere / "accounts.csv").write_text("account_id,name\nA1,Leak\n", encoding="utf-8")
    exports = exports_with(tmp_path, {"shop/orders.csv": ORDERS})
    (exports / "crm").symlink_to(elsewhere, target_is_directory=True)
    warehouse = tmp_path / "terrain.duckdb"

    with pytest.raises(IngestError, match="crm: refused: it is a symbolic link"):
        ingest_exports(exports, warehouse)

    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw_shop.orders").fetchall() == [(1,)]
        assert con.execute("select count(*) from raw_crm.accounts").fetchall() == [(0,)]
    assert "Leak" not in every_text(warehouse)


def test_a_link_with_another_name_is_reported_not_followed(tmp_path: Path) -> None:
    exports = exports_with(tmp_path, {"shop/orders.csv": ORDERS})
    (exports / "shop" / "notes.txt").symlink_to("/etc/passwd")
    report = ingest_exports(exports, tmp_path / "terrain.duckdb")
    assert [label for label, _ in report.refused] == ["shop/notes.txt"]
    assert any("NOT READ shop/notes.txt" in line for line in report.summary())


def test_an_export_settings_file_that_is_a_link_is_refused(tmp_path: Path) -> None:
    exports = exports_with(tmp_path, {"shop/orders.csv": ORDERS})
    (exports / "export-settings.yaml").symlink_to("/etc/hostname")
    with pytest.raises(IngestError, match="export-settings.yaml.*symbolic link"):
        ingest_exports(exports, tmp_path / "terrain.duckdb")


def test_reject_reasons_keep_a_bounded_redacted_excerpt(tmp_path: Path) -> None:
    """A regular file whose first line is a process environment, and huge bad values."""
    environ = f"PATH=/usr/bin\x00HOME=/root\x00API_TOKEN={SECRET}\x00USER=root\n1,2,3\n"
    huge = "x" * 5000 + " contact: jane.doe@example.com " + "y" * 5000
    exports = exports_with(
        tmp_path,
        {
            "shop/customers.csv": environ,
            "shop/orders.csv": ORDERS + f'O2,C1,2024-01-06,EUR,"{huge}"\nO3,C1,{SECRET},EUR,12\n',
        },
    )
    warehouse = tmp_path / "terrain.duckdb"
    report = ingest_exports(exports, warehouse)
    assert [file for file, _ in report.missing_required] == ["shop/customers.csv"]

    found = rejects(warehouse)
    assert len(found) == 3
    for _file, _line, value, reason in found:
        assert len(reason) <= MAX_REASON_CHARS
        assert value is None or len(value) <= MAX_VALUE_CHARS
        for text in (value or "", reason):
            assert SECRET not in text and "jane.doe@example.com" not in text
    header_reason = next(r for f, _, _, r in found if f == "shop/customers.csv")
    assert "API_TOKEN=[secret]" in header_reason  # the variable's name, not its value
    text = every_text(warehouse)
    assert SECRET not in text and "jane.doe" not in text
