"""The cases of issue 8 that broke a brief with exit code 0, each on an export folder
written for the purpose, through the real `terrain` command (a subprocess: real Prefect
flows, dlt, dbt, WeasyPrint) and a real Prefect flow state.

- a settings mistake (a date format the files do not use) rejects every order and
  customer: exit code 2, a message naming the files, counts, reasons and fix, nothing
  rendered;
- a messy real-world folder: a review file with bytes that are not UTF-8 on some lines,
  orders in USD (with rates) and GBP (without), an unknown currency, a negative total,
  an order dated 2099, an unknown order status (a dbt test that warns), no returns
  file, reviews reaching further than the orders. Without --allow-partial the run stops
  at the health check; with it, the brief is rendered for the right month, from
  converted amounts, and the warehouse records that it was partial.

The day of the run is fixed by TERRAIN_TODAY, so the cases do not age.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.health import DataHealthError
from flows.health.check import check_before_brief, check_ingest, check_transform
from flows.ingest.run import ingest_exports
from flows.settings import EXAMPLES_DIR, PROJECT_DIR
from flows.warehouse.paths import WarehousePaths

pytestmark = pytest.mark.slow

TODAY = "2026-04-15"

CUSTOMERS = "customer_id,email,created_at\n" + "".join(
    f"C{n},c{n}@example.com,2025-12-01\n" for n in range(1, 6)
)
PRODUCTS = (
    "product_id,sku,name,unit_price,currency\nP1,GP-01,Veste,100,EUR\nP2,AC-01,Ceinture,20,EUR\n"
)

# (order, customer, ordered_at, currency, total, status, lines as (sku, price))
ORDERS = [
    ("O01", "C1", "2026-01-05T10:00:00Z", "EUR", "100", "paid", [("GP-01", "100")]),
    (
        "O02",
        "C2",
        "2026-01-12T10:00:00Z",
        "EUR",
        "120",
        "paid",
        [("GP-01", "100"), ("AC-01", "20")],
    ),
    ("O03", "C3", "2026-01-20T10:00:00Z", "USD", "100", "paid", [("GP-01", "100")]),
    ("O04", "C4", "2026-01-25T10:00:00Z", "EUR", "100", "paid", [("GP-01", "100")]),
    ("O05", "C5", "2026-02-02T10:00:00Z", "EUR", "100", "paid", [("GP-01", "100")]),
    ("O06", "C1", "2026-02-05T10:00:00Z", "EUR", "100", "paid", [("GP-01", "100")]),
    ("O07", "C2", "2026-02-10T10:00:00Z", "usd", "100", "paid", [("GP-01", "100")]),
    ("O08", "C3", "2026-02-14T10:00:00Z", "EUR", "20", "paid", [("AC-01", "20")]),
    ("O09", "C4", "2026-02-20T10:00:00Z", "EUR", "100", "shipped", [("GP-01", "100")]),
    ("O10", "C5", "2026-03-02T10:00:00Z", "EUR", "100", "paid", [("GP-01", "100")]),
    ("O11", "C1", "2026-03-10T10:00:00Z", "EUR", "100", "paid", [("GP-01", "100")]),
    ("O12", "C2", "2026-03-20T10:00:00Z", "EUR", "100", "paid", [("GP-01", "100")]),
    # before the first USD rate: left out of every figure, listed
    ("O13", "C3", "2025-12-20T10:00:00Z", "USD", "100", "paid", [("GP-01", "100")]),
    # no GBP rate at all; 28 February 23:30 UTC is 1 March in Paris
    ("O14", "C4", "2026-02-28T23:30:00Z", "GBP", "100", "paid", [("GP-01", "100")]),
    ("O15", "C5", "2026-02-15T10:00:00Z", "XYZ", "100", "paid", []),  # unknown currency
    ("O16", "C1", "2099-01-05T10:00:00Z", "EUR", "100", "paid", []),  # after the run
    ("O17", "C2", "2026-02-16T10:00:00Z", "EUR", "-50", "paid", []),  # a negative total
    ("O18", "C3", "2026-01-08T10:00:00Z", "EUR", "100", "paid", [("GP-01", "100")]),
    ("O19", "C4", "2026-01-15T10:00:00Z", "EUR", "100", "paid", [("GP-01", "100")]),
    ("O20", "C5", "2026-02-25T10:00:00Z", "EUR", "100", "paid", [("GP-01", "100")]),
]
RATES = "date,currency,rate\n2026-01-01,USD,0.9\n2026-02-01,USD,0.8\n"
# February, main range (GP-*): O05 100 + O06 100 + O07 100 USD x 0.8 + O09 100 + O20 100
FEBRUARY_MAIN_REVENUE = 480.0

# Two of the four lines hold latin-1 bytes; the last review reaches 1 April in Paris,
# further than the orders (which stop on 20 March).
REVIEWS = (
    b"review_id,sku,customer_id,created_at,rating,body\n"
    b"R1,GP-01,C1,2026-02-10T10:00:00Z,5,Tr\xc3\xa8s bien\n"
    b"R2,GP-01,C2,2026-02-18T10:00:00Z,4,Tr\xe8s solide\n"
    b"R3,GP-01,C3,2026-03-15T10:00:00Z,2,Couture d\xe9faite\n"
    b"R4,GP-01,C4,2026-03-31T22:30:00Z,5,Parfait\n"
)


def orders_csv(rows: list[tuple]) -> tuple[str, str]:
    orders = "order_id,customer_id,ordered_at,currency,total_amount,status\n"
    lines = "order_id,line_number,sku,quantity,unit_price\n"
    for order_id, customer, at, currency, total, status, order_lines in rows:
        orders += f"{order_id},{customer},{at},{currency},{total},{status}\n"
        for number, (sku, price) in enumerate(order_lines, start=1):
            lines += f"{order_id},{number},{sku},1,{price}\n"
    return orders, lines


def write_folder(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def terrain(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TERRAIN_TODAY": TODAY, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT_DIR,
        env=env,
        timeout=900,
    )


def run_args(root: Path, exports: Path, *extra: str) -> list[str]:
    return [
        "run",
        "--exports",
        str(exports),
        "--intent",
        str(EXAMPLES_DIR / "starter" / "intent.yaml"),
        "--warehouse",
        str(root / "terrain.duckdb"),
        "--out",
        str(root / "briefs"),
        "--lang",
        "en",
        *extra,
    ]


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.sql(sql).fetchall()


# --------------------------------------------------- a settings mistake: 100 % rejected


def mistaken_settings_folder(root: Path) -> Path:
    orders, lines = orders_csv(ORDERS[:12])
    return write_folder(
        root / "exports",
        {
            # the files are ISO, the settings say day/month/year
            "export-settings.yaml": 'systems:\n  shop: {date_format: "%d/%m/%Y"}\n',
            "shop/customers.csv": CUSTOMERS,
            "shop/products.csv": PRODUCTS,
            "shop/orders.csv": orders,
            "shop/order_lines.csv": lines,
        },
    )


@pytest.fixture(scope="module")
def mistaken_run(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("mistake")
    exports = mistaken_settings_folder(root)
    return root, terrain(*run_args(root, exports, "--month", "latest"))


def test_a_settings_mistake_rejecting_every_order_fails_the_run(mistaken_run) -> None:
    root, result = mistaken_run
    assert result.returncode == 2, result.stderr
    err = result.stderr
    assert "terrain run: error: data health check (ingest) failed, 4 problem(s)" in err
    assert "shop/orders.csv: 12 of 12 rows rejected (100 %, above the 5 % allowed); 0 loaded" in err
    assert "shop/customers.csv: 5 of 5 rows rejected (100 %, above the 5 % allowed)" in err
    # the top reason, with an example (line, column, value) and the fix
    assert (
        "  - not_a_date, 12 row(s); e.g. line 2, column ordered_at, value "
        "'2026-01-05T10:00:00Z': not a date: '2026-01-05T10:00:00Z' in column ordered_at; "
        "expected a date written as '%d/%m/%Y'. Fix the value or date_format in "
        "export-settings.yaml." in err
    )
    assert "Fix: correct the file" in err and "--allow-partial" in err
    assert "shop/orders: no row loaded (12 received, 12 rejected), and the brief needs it" in err
    assert "Traceback" not in err
    assert not (root / "briefs").exists()

    # nothing is published for analysts; the working copy keeps the failed check
    assert not (root / "terrain.duckdb").exists()
    warehouse = WarehousePaths.of(root / "terrain.duckdb").working
    assert query(warehouse, "select stage, passed, allow_partial from raw_health.checks") == [
        ("ingest", False, False)
    ]
    assert query(
        warehouse,
        "select rule, system, entity, file, rows_received, rows_loaded, rows_rejected, share, "
        "threshold, top_reason_code from raw_health.check_failures order by failure_number",
    ) == [
        ("too_many_rejects", "shop", "customers", "shop/customers.csv", 5, 0, 5, 1.0, 0.05,
         "not_a_date"),
        ("too_many_rejects", "shop", "orders", "shop/orders.csv", 12, 0, 12, 1.0, 0.05,
         "not_a_date"),
        ("required_entity_empty", "shop", "orders", None, 12, 0, 12, None, None, None),
        ("required_entity_empty", "shop", "customers", None, 5, 0, 5, None, None, None),
    ]  # fmt: skip


def test_the_failed_check_is_a_failed_prefect_state(tmp_path: Path) -> None:
    from flows.pipeline import ingest_flow

    exports = mistaken_settings_folder(tmp_path)
    os.environ["TERRAIN_TODAY"] = TODAY
    try:
        state = ingest_flow(
            exports_dir=str(exports), warehouse=str(tmp_path / "w.duckdb"), return_state=True
        )
    finally:
        del os.environ["TERRAIN_TODAY"]
    assert state.is_failed()
    with pytest.raises(DataHealthError, match=r"shop/orders.csv: 12 of 12 rows rejected"):
        state.result()


def test_a_required_file_missing_is_named(tmp_path: Path) -> None:
    orders, lines = orders_csv(ORDERS[:4])
    exports = write_folder(
        tmp_path / "exports",
        {"shop/customers.csv": CUSTOMERS, "shop/orders.csv": orders, "shop/order_lines.csv": lines},
    )
    warehouse = tmp_path / "w.duckdb"
    ingest_exports(exports, warehouse)
    with pytest.raises(DataHealthError) as failure:
        check_ingest(warehouse, exports_dir=exports)
    message = str(failure.value)
    assert "shop/products: no file in the export folder, and the brief needs it" in message
    assert f"Fix: export shop/products (.csv, .jsonl or .parquet) into {exports / 'shop'}" in (
        message
    )
    # allowed: recorded as such, no error
    check = check_ingest(warehouse, allow_partial=True)
    assert (check.passed, check.allow_partial, [f.rule for f in check.failures]) == (
        False,
        True,
        ["required_entity_empty"],
    )


# ------------------------------------------------------- a messy real-world folder


def messy_folder(root: Path) -> Path:
    orders, lines = orders_csv(ORDERS)
    return write_folder(
        root / "exports",
        {
            # three orders of twenty rejected at load is 15 %; with the two left without
            # an exchange rate, 25 %: above this limit
            "export-settings.yaml": "files:\n  shop/orders: {max_reject_share: 20%}\n",
            "shop/customers.csv": CUSTOMERS,
            "shop/products.csv": PRODUCTS,
            "shop/orders.csv": orders,
            "shop/order_lines.csv": lines,
            "shop/exchange_rates.csv": RATES,
            "shop/reviews.csv": REVIEWS,
            # no returns file, no CRM, no support
        },
    )


@pytest.fixture(scope="module")
def messy_runs(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("messy")
    exports = messy_folder(root)
    refused = terrain(*run_args(root, exports, "--month", "latest"))
    allowed = terrain(*run_args(root, exports, "--month", "latest", "--allow-partial"))
    findings = None
    if allowed.returncode == 0:
        findings = json.loads((root / "briefs" / "brief-2026-02.json").read_text("utf-8"))
    return root, refused, allowed, findings


def test_undecodable_lines_stop_the_run_without_allow_partial(messy_runs) -> None:
    _, refused, _, _ = messy_runs
    assert refused.returncode == 2, refused.stderr
    err = refused.stderr
    assert "shop/reviews.csv: 2 of 4 rows rejected (50 %, above the 5 % allowed); 2 loaded" in err
    assert (
        "  - not_valid_encoding, 2 row(s); e.g. line 3, value 'R2,GP-01,C2,"
        "2026-02-18T10:00:00Z,4,Tr\ufffds solide': not valid utf-8: the bytes b'\\xe8' on "
        "this line cannot be decoded" in err
    )
    # the orders stay within their own limit (20 %) at this stage
    error = err.split("terrain run: error: ")[1]
    assert error.startswith("data health check (ingest) failed, 1 problem(s)")
    assert "shop/orders" not in error


def test_with_allow_partial_the_brief_is_rendered_for_the_last_month_of_the_orders(
    messy_runs,
) -> None:
    root, _, allowed, findings = messy_runs
    assert allowed.returncode == 0, allowed.stderr
    pdf = root / "briefs" / "brief-2026-02-en.pdf"
    assert allowed.stdout.split() == [str(pdf), str(root / "briefs" / "brief-2026-02.json")]
    assert pdf.read_bytes().startswith(b"%PDF-")
    # the orders stop on 20 March and the 2099 order is rejected: February is the last
    # complete month, although a review reaches 1 April (Paris)
    assert findings["month"] == "2026-02"
    assert findings["company"]["last_complete_month"] == "2026-02-01"
    assert findings["company"]["last_data_date"] == "2026-04-01"  # the company's day
    # the run said it went on, and the brief knows
    assert "going on, as partial data is allowed" in allowed.stderr
    assert findings["data_health"]["partial"] is True
    checks = {c["stage"]: c for c in findings["data_health"]["checks"]}
    assert checks["ingest"]["failure_rules"] == ["too_many_rejects"]
    assert checks["ingest"]["failure_files"] == ["shop/reviews.csv"]
    assert checks["transform"]["failure_rules"] == ["too_many_excluded"]
    assert checks["transform"]["failure_entities"] == ["shop/orders"]


def test_foreign_amounts_are_converted_or_left_out_never_summed_raw(messy_runs) -> None:
    root, _, _, findings = messy_runs
    offers = {o["offer_id"]: o["figures"] for o in findings["offers"]}
    assert offers["main-range"]["revenue"] == pytest.approx(FEBRUARY_MAIN_REVENUE)
    assert offers["main-range"]["orders"] == 5  # the GBP order (1 March in Paris) is out
    warehouse = root / "terrain.duckdb"
    assert query(
        warehouse,
        "select record_id, amount_date, currency, exported_amount, reason "
        "from marts.fct_amount_exclusions order by record_id",
    ) == [
        ("O13", dt.date(2025, 12, 20), "USD", 100.0,
         "no exchange rate for USD on or before 2025-12-20: add it to shop/exchange_rates"),
        ("O14", dt.date(2026, 3, 1), "GBP", 100.0,
         "no exchange rate for GBP on or before 2026-03-01: add it to shop/exchange_rates"),
    ]  # fmt: skip
    assert query(
        warehouse,
        "select order_id, exchange_rate, line_amount from marts.fct_order_lines "
        "where currency = 'USD' order by 1",
    ) == [("O03", 0.9, 90.0), ("O07", 0.8, 80.0)]
    # every order counted is in the company's currency, converted or not
    assert query(
        warehouse, "select count(*) from marts.fct_order_lines where order_id in ('O13', 'O14')"
    ) == [(0,)]


def test_implausible_values_are_rejected_with_their_reason(messy_runs) -> None:
    root, _, _, _ = messy_runs
    assert query(
        root / "terrain.duckdb",
        "select line, column_name, value, reason_code from raw_shop.ingest_rejects "
        "where file = 'shop/orders.csv' order by line",
    ) == [
        (16, "currency", "XYZ", "unknown_currency"),
        (17, "ordered_at", "2099-01-05T10:00:00Z", "date_in_future"),
        (18, "total_amount", "-50", "negative_amount"),
    ]


def test_the_health_rows_equal_the_counts_told(messy_runs) -> None:
    root, refused, _, _ = messy_runs
    warehouse = root / "terrain.duckdb"
    files = query(
        warehouse,
        "select file, rows_received, rows_loaded, rows_rejected from raw_shop.ingest_files "
        "order by file",
    )
    assert ("shop/reviews.csv", 4, 2, 2) in files
    assert ("shop/orders.csv", 20, 17, 3) in files
    for _file, received, loaded, rejected in files:
        assert loaded + rejected == received
    health = {
        row[0]: row[1:]
        for row in query(
            warehouse,
            "select entity_key, status, rows_received, rows_loaded, rows_rejected, "
            "rows_excluded, reject_reasons from report.rpt_brief__data_health",
        )
    }
    assert health["shop/orders"] == (
        "loaded",
        20,
        17,
        3,
        2,
        [
            {"reason_code": "date_in_future", "rows": 1},
            {"reason_code": "negative_amount", "rows": 1},
            {"reason_code": "unknown_currency", "rows": 1},
        ],
    )
    assert health["shop/reviews"][:4] == ("loaded", 4, 2, 2)
    # no returns file: no data, said so (not "0 returns")
    assert health["shop/returns"] == ("no_file", None, 0, None, 0, [])
    assert health["shop/exchange_rates"][:3] == ("loaded", 2, 2)
    # the first run read the files: its log told the counts the tables hold
    told = refused.stderr
    assert (
        "shop/reviews: 1 file(s) read, 0 unchanged, 4 rows received, 2 loaded, 2 rejected" in told
    )
    assert (
        "shop/orders: 1 file(s) read, 0 unchanged, 20 rows received, 17 loaded, 3 rejected" in told
    )


def test_a_dbt_test_that_warns_is_in_the_log_and_stored(messy_runs) -> None:
    root, _, allowed, findings = messy_runs
    line = next(
        line
        for line in allowed.stderr.splitlines()
        if "dbt test warned: relationships" in line and "order_status" in line
    )
    assert "order_status" in line and "on stg_shop__orders, 1 row(s)" in line
    stored = query(
        root / "terrain.duckdb",
        "select model, failing_rows from report.rpt_brief__test_warnings "
        "where test_name like 'relationships_stg_shop__orders_order_status%'",
    )
    assert stored == [("stg_shop__orders", 1)]
    assert any(w["model"] == "stg_shop__orders" for w in findings["data_health"]["test_warnings"])


def test_checks_refuse_the_brief_unless_partial_data_is_allowed(messy_runs, tmp_path: Path) -> None:
    root, _, _, _ = messy_runs
    warehouse = tmp_path / "terrain.duckdb"
    shutil.copy(root / "terrain.duckdb", warehouse)
    # an ingestion check without allowance...
    with pytest.raises(DataHealthError):
        check_ingest(warehouse)
    # ...makes the transform's check fail on the orders left without a rate
    with pytest.raises(DataHealthError) as failure:
        check_transform(warehouse)
    message = str(failure.value)
    assert (
        "shop/orders: 2 of the 17 rows loaded have an amount no exchange rate converts, left "
        "out of every figure; with the 3 rejected that is 25 % of the 20 received, above the "
        "20 % allowed" in message
    )
    assert "no exchange rate for USD on or before 2025-12-20" in message
    assert "add the missing rates to shop/exchange_rates" in message
    # and no brief is rendered from it, unless allowed
    with pytest.raises(DataHealthError, match="no brief is rendered from it"):
        check_before_brief(warehouse)
    assert len(check_before_brief(warehouse, allow_partial=True)) == 2
    result = terrain(
        "brief", "--warehouse", str(warehouse), "--month", "2026-02", "--out", str(tmp_path)
    )
    assert result.returncode == 2
    assert "the warehouse's data failed its health check" in result.stderr
