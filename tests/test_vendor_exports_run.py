"""From vendor exports to a brief, without conversion code: `terrain init`, `terrain
check-exports`, then the run (ingest, dbt, brief) on a folder of Shopify, Judge.me,
HubSpot and Zendesk exports as the tools write them (tests/fixtures/vendor_exports.py).
"""

from __future__ import annotations

import json

import duckdb
import pytest
from fixtures.vendor_exports import (
    new_company,
    shopify_orders,
    write_mixed_folder,
    write_second_folder,
)

from flows.brief.period import latest_complete_month
from flows.brief.write import write_brief
from flows.cli import main
from flows.health.check import check_ingest
from flows.ingest.run import ingest_exports
from flows.intent.load import load_intent
from flows.intent.tables import write_intent_tables
from flows.transform.dbt import run_dbt

# the company's one setting: the Shopify app id its marketplace orders come through
SETTINGS = """\
defaults: {timezone: America/Toronto}
value_map:
  channel: {"5776891": marketplace}
"""


@pytest.fixture(scope="module")
def vendor_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("vendor-run")
    exports = root / "exports"
    expected = write_mixed_folder(exports)
    (exports / "export-settings.yaml").write_text(SETTINGS, encoding="utf-8")
    intent = root / "intent.yaml"
    assert main(["init", str(exports), "--intent", str(intent)]) == 0
    warehouse = root / "terrain.duckdb"
    report = ingest_exports(exports, warehouse)
    check = check_ingest(warehouse, exports_dir=exports)
    write_intent_tables(load_intent(intent), warehouse)
    run_dbt(warehouse)
    month = latest_complete_month(warehouse)
    pdf, findings = write_brief(warehouse, month, root / "briefs", "en")
    return {
        "root": root,
        "exports": exports,
        "intent": intent,
        "expected": expected,
        "report": report,
        "check": check,
        "warehouse": warehouse,
        "month": month,
        "pdf": pdf,
        "findings": json.loads(findings.read_text()),
    }


def test_check_exports_says_ready_before_the_run(vendor_run, capsys) -> None:
    assert main(["check-exports", str(vendor_run["exports"])]) == 0
    out = capsys.readouterr().out
    assert "orders_export_1.csv#orders -> shop/orders  [READY]" in out
    assert "5776891 -> marketplace (43)" in out or "5776891 -> marketplace" in out
    assert "support/tickets:" in out and "by requester e-mail" in out
    assert out.rstrip().splitlines()[-1].startswith("Verdict: ready")


def test_init_wrote_an_intent_file_from_the_data(vendor_run) -> None:
    intent = load_intent(vendor_run["intent"])
    assert intent.currency == "CAD"
    categories = {c for offer in intent.offers for c in offer.categories}
    assert {"Coats & Jackets", "Boots", "Gift Cards"} <= categories
    # the settings file the company wrote is kept
    settings = (vendor_run["exports"] / "export-settings.yaml").read_text(encoding="utf-8")
    assert settings == SETTINGS


def test_the_run_loads_every_vendor_file_and_writes_the_brief(vendor_run) -> None:
    expected = vendor_run["expected"]
    entities = vendor_run["report"].entities
    counts = {
        name: (s.rows_received, s.rows_loaded, s.rows_rejected) for name, s in entities.items()
    }
    assert counts["shop/orders"] == (expected.orders, expected.orders, 0)
    assert counts["shop/order_lines"] == (expected.order_rows, expected.order_rows, 0)
    assert counts["shop/reviews"][1] == expected.reviews - expected.spam_reviews
    assert counts["support/tickets"] == (expected.tickets, expected.tickets, 0)
    assert counts["crm/deals"] == (expected.deals, expected.deals, 0)
    assert vendor_run["check"].passed and vendor_run["check"].warnings == []
    assert vendor_run["pdf"].read_bytes().startswith(b"%PDF-")
    coverage = {
        (c["system"], c["entity"]): c["row_count"] for c in vendor_run["findings"]["coverage"]
    }
    assert coverage[("shop", "orders")] == expected.orders
    assert coverage[("support", "ticket_comments")] == expected.comments
    assert coverage[("crm", "notes")] == expected.notes


def test_identity_linking_is_reported_in_the_warehouse(vendor_run) -> None:
    expected = vendor_run["expected"]
    with duckdb.connect(str(vendor_run["warehouse"]), read_only=True) as con:
        links = {
            key: (rows, linked)
            for key, rows, linked in con.execute(
                "select entity_key, row_count, linked_rows from report.rpt_brief__identity_links"
            ).fetchall()
        }
    assert links["support/tickets"] == (expected.tickets, expected.tickets_by_customers)
    assert links["shop/reviews"] == (
        expected.reviews - expected.spam_reviews,
        expected.reviews_by_customers,
    )
    assert links["crm/contacts"] == (expected.contacts, expected.contacts_by_customers)


def test_marketplace_orders_reach_the_channel_mix(vendor_run) -> None:
    with duckdb.connect(str(vendor_run["warehouse"]), read_only=True) as con:
        values = con.execute(
            "select vendor_value, mapped_to, is_mapped, value_map, rows from raw_shop.ingest_values "
            "where column_name = 'channel' order by rows desc"
        ).fetchall()
        channels = dict(
            con.execute("select channel, count(*) from raw_shop.orders group by all").fetchall()
        )
    assert ("5776891", "marketplace", True, "channel", 43) in values
    assert "other" not in channels and channels["marketplace"] == 43


def test_an_unmapped_channel_is_a_health_warning_with_the_line_to_add(tmp_path) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    company = new_company()
    (exports / "orders_export_1.csv").write_bytes(shopify_orders(company))
    warehouse = tmp_path / "terrain.duckdb"
    ingest_exports(exports, warehouse)
    check = check_ingest(warehouse, allow_partial=True, exports_dir=exports)
    [warning] = check.warnings
    assert "orders_export_1.csv#orders: 43 of 320 rows" in warning
    assert "'5776891' (43 rows, read as other)" in warning
    assert 'value_map: {channel: {"5776891": <value>}}' in warning
    assert "warning: orders_export_1.csv#orders" in check.message()


def test_a_woocommerce_yotpo_trustpilot_zendesk_csv_folder_runs_to_a_brief(tmp_path) -> None:
    exports = tmp_path / "exports"
    expected = write_second_folder(exports)
    assert main(["init", str(exports)]) == 0  # intent.yaml beside the folder
    assert main(["check-exports", str(exports)]) == 0
    warehouse = tmp_path / "terrain.duckdb"
    report = ingest_exports(exports, warehouse)
    assert check_ingest(warehouse, exports_dir=exports).passed
    write_intent_tables(load_intent(tmp_path / "intent.yaml"), warehouse)
    run_dbt(warehouse)
    pdf, findings = write_brief(warehouse, latest_complete_month(warehouse), tmp_path, "fr")
    assert pdf.read_bytes().startswith(b"%PDF-")
    coverage = {
        (c["system"], c["entity"]): c["row_count"]
        for c in json.loads(findings.read_text())["coverage"]
    }
    assert coverage[("shop", "orders")] == expected.orders
    assert coverage[("shop", "reviews")] == expected.reviews + 150 + 120
    assert coverage[("support", "tickets")] == expected.tickets
    assert coverage[("support", "satisfaction")] == expected.ratings
    assert report.rows_rejected == 0
