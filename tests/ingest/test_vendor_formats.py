"""Vendor exports read as the vendors write them (flows.ingest.vendor_*), checked through
`check_exports`, which reads them with the ingestion code and writes nothing.

The fixtures (tests/fixtures/vendor_exports.py) carry the vendors' exact headers and
quirks; the adversarial cases below are written for the purpose: a header missing, a
header two formats match, a malformed date, an unknown channel, a rating out of 10.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow as pa
import pytest
from fixtures.vendor_exports import (
    JUDGEME_HEADER,
    SHOPIFY_ORDERS_HEADER,
    SHOPIFY_PRODUCTS_HEADER,
    Expected,
    hubspot,
    judgeme_reviews,
    new_company,
    shopify_orders,
    shopify_products,
    write_mixed_folder,
    write_second_folder,
    zendesk_json,
)

from flows.ingest.check_exports import NEEDS_SETTING, READY, UNUSABLE, check_exports
from flows.ingest.export_settings import parse_export_settings
from flows.ingest.folder import scan_export_folder
from flows.ingest.init_folder import init_folder
from flows.ingest.vendor_format import detect_format, formats
from flows.intent.load import load_intent

TODAY = dt.date(2026, 11, 15)
SETTINGS = """\
defaults: {timezone: America/Toronto}
value_map:
  channel: {"5776891": marketplace}
"""


def rows(result, entity: str) -> list[dict]:
    tables = result.tables.get(entity, [])
    return pa.concat_tables(tables).to_pylist() if tables else []


def file_check(result, label: str):
    return next(f for f in result.files if f.label == label)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> tuple[Path, Expected]:
    root = tmp_path_factory.mktemp("vendor") / "exports"
    expected = write_mixed_folder(root)
    (root / "export-settings.yaml").write_text(SETTINGS, encoding="utf-8")
    return root, expected


@pytest.fixture(scope="module")
def checked(mixed):
    root, _ = mixed
    return check_exports(root, TODAY)


# ------------------------------------------------------------------ the format files


def test_every_format_file_is_valid_and_named_after_its_id() -> None:
    found = formats()
    assert {
        "shopify-orders",
        "shopify-products",
        "judgeme-reviews",
        "hubspot-companies",
        "hubspot-contacts",
        "hubspot-deals",
        "hubspot-notes",
        "zendesk-tickets-json",
        "zendesk-users-json",
    } <= set(found)


@pytest.mark.parametrize(
    ("header", "format_id"),
    [
        (SHOPIFY_ORDERS_HEADER, "shopify-orders"),
        (SHOPIFY_PRODUCTS_HEADER, "shopify-products"),
        (JUDGEME_HEADER, "judgeme-reviews"),
        # the products export's 2024 dialect
        (["Title", "URL handle", "Option1 value", "SKU", "Price", "Status"], "shopify-products"),
    ],
)
def test_a_vendor_header_is_recognised_as_exactly_its_format(header, format_id) -> None:
    assert [spec.id for spec in detect_format(header)] == [format_id]


def test_a_canonical_header_matches_no_vendor_format() -> None:
    header = ["order_id", "customer_id", "ordered_at", "channel", "currency", "total_amount"]
    assert detect_format(header) == []


# ------------------------------------------------------------------ the mixed folder


def test_mixed_folder_is_ready_and_every_file_is_recognised(checked) -> None:
    assert checked.verdict == READY, [(f.label, f.why) for f in checked.files]
    assert checked.ignored == []
    assert checked.lookup_files == [("zendesk-users.json", "zendesk-users-json")]
    formats_seen = {f.label.split("#")[0]: f.format for f in checked.files}
    assert formats_seen == {
        "orders_export_1.csv": "shopify-orders",
        "products_export_1.csv": "shopify-products",
        "customers_export.csv": "shopify-customers",
        "judgeme-reviews.csv": "judgeme-reviews",
        "hubspot-companies.csv": "hubspot-companies",
        "hubspot-contacts.csv": "hubspot-contacts",
        "hubspot-deals.csv": "hubspot-deals",
        "hubspot-notes.csv": "hubspot-notes",
        "zendesk-tickets.json": "zendesk-tickets-json",
    }
    for check in checked.files:
        assert check.received == check.loaded + check.rejected, check.label


def test_shopify_orders_split_into_orders_lines_and_customers(mixed, checked) -> None:
    _, expected = mixed
    orders = {row["order_id"]: row for row in rows(checked, "shop/orders")}
    lines = rows(checked, "shop/order_lines")
    customers = rows(checked, "shop/customers")
    assert len(orders) == expected.orders == 320
    assert len(lines) == expected.order_rows
    assert len(customers) == expected.customers
    # order fields come from the first row of each order only
    assert all(row["currency"] == "CAD" and row["total_amount"] > 0 for row in orders.values())
    channels: dict[str, int] = {}
    for row in orders.values():
        channels[row["channel"]] = channels.get(row["channel"], 0) + 1
    by_source = expected.orders_by_source
    assert channels == {
        "web": by_source["web"],
        "store": by_source["pos"],
        "marketplace": by_source["5776891"],  # mapped in export-settings.yaml
        "phone": by_source["shopify_draft_order"],
    }
    cancelled = [row for row in orders.values() if row["status"] == "cancelled"]
    assert len(cancelled) == expected.cancelled_orders
    # line numbers are positions within their order; every order has its lines
    by_order: dict[str, list[int]] = {}
    for line in lines:
        by_order.setdefault(line["order_id"], []).append(line["line_number"])
    assert set(by_order) == set(orders)
    assert all(sorted(n) == list(range(1, len(n) + 1)) for n in by_order.values())
    # a customer is created at its first order
    first_order: dict[str, dt.datetime] = {}
    for row in orders.values():
        seen = first_order.get(row["customer_id"])
        first_order[row["customer_id"]] = (
            min(seen, row["ordered_at"]) if seen else row["ordered_at"]
        )
    assert {c["customer_id"]: c["created_at"] for c in customers} == first_order


def test_shopify_customers_export_fills_customers_who_ordered(mixed, checked) -> None:
    _, expected = mixed
    customers = rows(checked, "shop/customers")
    assert len(customers) == expected.customers
    assert all(c["postal_code"] == "H2X 1Y4" and c["country"] == "CA" for c in customers)
    assert all(c["city"] and c["first_name"] for c in customers)
    check = file_check(checked, "customers_export.csv")
    # the export lists 140 customers; those who never ordered have no creation date
    assert (check.received, check.left_out) == (expected.customers, 140 - expected.customers)
    # the orders export does not fill shop/customers when the customers export is there
    assert not any(f.label == "orders_export_1.csv#customers" for f in checked.files)


def test_shopify_offsets_become_utc(tmp_path: Path) -> None:
    company = new_company()
    data = shopify_orders(company, orders=3).decode()
    created = data.splitlines()[1].split(",")[SHOPIFY_ORDERS_HEADER.index("Created at")]
    local = dt.datetime.strptime(created, "%Y-%m-%d %H:%M:%S %z")
    (tmp_path / "orders_export_1.csv").write_text(data, encoding="utf-8")
    result = check_exports(tmp_path, TODAY)
    first = next(r for r in rows(result, "shop/orders") if r["order_id"] == "#1001")
    assert first["ordered_at"] == local.astimezone(dt.UTC)
    assert local.utcoffset() in (dt.timedelta(hours=-5), dt.timedelta(hours=-4))


def test_shopify_products_one_per_variant_named_from_the_first_row(mixed, checked) -> None:
    _, expected = mixed
    products = {row["sku"]: row for row in rows(checked, "shop/products")}
    assert len(products) == expected.products
    assert products["PB-L"]["name"] == "Parka Boréale"  # a variant row has no title
    assert products["PB-L"]["category"] == "Coats & Jackets"  # the taxonomy's last part
    assert products["VE-M"]["status"] == "limited"  # Shopify's draft
    assert products["CF-M"]["unit_price"] == 79.5
    assert file_check(checked, "products_export_1.csv").left_out == 3  # image-only rows


def test_judgeme_reviews_resolve_handles_to_skus_and_leave_spam_out(mixed, checked) -> None:
    _, expected = mixed
    reviews = rows(checked, "shop/reviews")
    assert len(reviews) == expected.reviews - expected.spam_reviews
    assert {r["sku"] for r in reviews} <= {
        "PB-S", "TL-01", "MC-S", "CF-S", "KR-01", "BH-40", "CC-50", "VE-M"
    }  # fmt: skip
    assert all(1 <= r["rating"] <= 5 and r["created_at"].tzinfo is not None for r in reviews)
    assert len({r["review_id"] for r in reviews}) == len(reviews)
    check = file_check(checked, "judgeme-reviews.csv")
    assert check.left_out == expected.spam_reviews


def test_hubspot_exports_fill_the_crm(mixed, checked) -> None:
    _, expected = mixed
    accounts = rows(checked, "crm/accounts")
    contacts = rows(checked, "crm/contacts")
    deals = rows(checked, "crm/deals")
    notes = rows(checked, "crm/notes")
    assert (len(accounts), len(contacts), len(deals), len(notes)) == (
        expected.companies,
        expected.contacts,
        expected.deals,
        expected.notes,
    )
    assert {a["type"] for a in accounts} == {"b2b", "partner"}
    assert {a["size_band"] for a in accounts} <= {"1-9", "10-49", "50-249", "250+"}
    # the first of several associated companies
    multi = next(c for c in contacts if c["contact_id"] == "50000")
    assert multi["account_id"] == "9000"
    outcomes = [d["outcome"] for d in deals]
    assert (outcomes.count("won"), outcomes.count("lost")) == (
        expected.deals_won,
        expected.deals_lost,
    )
    # an open deal's close date is a forecast: not a close
    assert all((d["closed_at"] is None) == (d["outcome"] == "open") for d in deals)
    assert {n["author_role"] for n in notes} == {"staff"}
    # HubSpot's times have no offset: the file's time zone (America/Toronto) applies
    root, _ = mixed
    written = next(
        r["Create Date"]
        for r in csv.DictReader(
            io.StringIO((root / "hubspot-companies.csv").read_text("utf-8-sig"))
        )
        if r["Record ID"] == "9000"
    )
    local = dt.datetime.strptime(written, "%Y-%m-%d %H:%M").replace(
        tzinfo=ZoneInfo("America/Toronto")
    )
    create = next(a for a in accounts if a["account_id"] == "9000")["created_at"]
    assert create == local and create.utcoffset() == dt.timedelta(0)
    assert create.astimezone(dt.UTC).replace(tzinfo=None) != local.replace(tzinfo=None)


def test_zendesk_json_tickets_comments_and_ratings(mixed, checked) -> None:
    _, expected = mixed
    tickets = rows(checked, "support/tickets")
    comments = rows(checked, "support/ticket_comments")
    ratings = rows(checked, "support/satisfaction")
    assert (len(tickets), len(comments), len(ratings)) == (
        expected.tickets,
        expected.comments,
        expected.ratings,
    )
    assert all(t["requester_email"] and "@" in t["requester_email"] for t in tickets)
    assert {t["channel"] for t in tickets} <= {"email", "web", "chat", "voice"}
    assert any("|" in (t["tags"] or "") for t in tickets)
    roles = [c["author_role"] for c in comments]
    assert roles.count("customer") == roles.count("agent") == expected.tickets
    assert {r["score"] for r in ratings} == {"good", "bad"}


def test_identity_links_are_the_shares_the_data_implies(mixed, checked) -> None:
    _, expected = mixed
    links = {link.source: link for link in checked.identity}
    assert links["support/tickets"].linked == expected.tickets_by_customers
    assert links["shop/reviews"].linked == expected.reviews_by_customers
    assert links["crm/contacts"].linked == expected.contacts_by_customers
    assert 0 < links["support/tickets"].share < 1


def test_check_exports_writes_nothing(mixed) -> None:
    root, _ = mixed
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    check_exports(root, TODAY)
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


# ------------------------------------------------------------------ adversarial cases


def test_a_declared_file_missing_a_required_header_is_unusable_and_named(tmp_path: Path) -> None:
    company = new_company()
    text = shopify_orders(company, orders=20).decode().replace("Lineitem sku", "Item code", 1)
    (tmp_path / "orders.csv").write_text(text, encoding="utf-8")
    (tmp_path / "export-settings.yaml").write_text(
        "vendor_files:\n  orders.csv: {format: shopify-orders}\n", encoding="utf-8"
    )
    result = check_exports(tmp_path, TODAY)
    check = file_check(result, "orders.csv#orders")
    assert check.verdict == UNUSABLE
    assert "Lineitem sku" in check.refused and "lineitem_sku" in check.refused
    assert check.loaded == 0 and check.rejected == check.received == company.expected.order_rows


def test_an_undeclared_file_without_its_headers_is_not_guessed(tmp_path: Path) -> None:
    company = new_company()
    text = shopify_orders(company, orders=5).decode().replace("Financial Status", "Statut", 1)
    (tmp_path / "orders.csv").write_text(text, encoding="utf-8")
    result = check_exports(tmp_path, TODAY)
    assert result.ignored == ["orders.csv"]
    assert "shop/orders" in result.missing_required
    assert result.verdict == UNUSABLE


def test_a_header_two_formats_match_asks_for_a_declaration(tmp_path: Path) -> None:
    # a contacts export with the company's properties added: both HubSpot formats match
    header = "Record ID,First Name,Email,Lifecycle Stage,Company name,Company Domain Name\n"
    row = "1,Léa,lea@exemple.ca,Customer,Pourvoirie Roy,roy.example.com\n"
    (tmp_path / "hubspot.csv").write_text(header + row, encoding="utf-8")
    folder = scan_export_folder(tmp_path)
    assert [a.candidates for a in folder.ambiguous] == [("hubspot-companies", "hubspot-contacts")]
    result = check_exports(tmp_path, TODAY)
    assert result.folder_lines == [
        "vendor_files: {hubspot.csv: {format: <hubspot-companies|hubspot-contacts>}}"
    ]
    assert "say which it is" in result.folder_problems[0]
    # declared, it is read as said
    (tmp_path / "export-settings.yaml").write_text(
        "vendor_files:\n  hubspot.csv: {format: hubspot-contacts}\n", encoding="utf-8"
    )
    declared = check_exports(tmp_path, TODAY)
    check = file_check(declared, "hubspot.csv")
    assert (check.format, check.how, check.loaded) == ("hubspot-contacts", "declared", 1)


def test_a_malformed_date_rejects_its_order_only_with_the_file_line(tmp_path: Path) -> None:
    company = new_company()
    data = shopify_orders(company, orders=40)
    records = list(csv.DictReader(io.StringIO(data.decode())))
    # the first row of the fourth order (its fields are on that row only)
    row = [i for i, r in enumerate(records) if r["Created at"]][3]
    text = _rewritten(data, {row: {"Created at": "05/03/2026 14:02"}})
    (tmp_path / "orders_export_1.csv").write_text(text, encoding="utf-8")
    # the file line of that row: the header, then the rows (a note spans two lines)
    target = (
        next(n for n, line in enumerate(text.splitlines(), start=1) if "05/03/2026 14:02" in line)
        - 1
    )
    (tmp_path / "export-settings.yaml").write_text(SETTINGS, encoding="utf-8")
    result = check_exports(tmp_path, TODAY)
    check = file_check(result, "orders_export_1.csv#orders")
    assert (check.received, check.loaded, check.rejected) == (40, 39, 1)
    reason = check.reasons[0]
    assert reason.code == "not_a_date"
    assert reason.example.line == target + 1
    assert reason.example.column == "Created at (ordered_at)"
    assert reason.example.value == "05/03/2026 14:02"
    assert check.verdict == READY  # 1 of 40 is under the 5 % allowed
    lines_check = file_check(result, "orders_export_1.csv#order_lines")
    assert lines_check.rejected == 0  # the order's lines do not need its date


def test_an_unknown_channel_needs_a_setting_then_maps(tmp_path: Path) -> None:
    company = new_company()
    (tmp_path / "orders_export_1.csv").write_bytes(shopify_orders(company))
    result = check_exports(tmp_path, TODAY)
    check = file_check(result, "orders_export_1.csv#orders")
    assert check.verdict == NEEDS_SETTING
    assert (
        'value_map: {channel: {"5776891": <web|store|marketplace|b2b|phone|other>}}'
        in check.settings_lines
    )
    unknown = next(v for v in check.values if v.value == "5776891")
    assert (unknown.mapped_to, unknown.is_mapped) == ("other", False)
    (tmp_path / "export-settings.yaml").write_text(SETTINGS, encoding="utf-8")
    fixed = file_check(check_exports(tmp_path, TODAY), "orders_export_1.csv#orders")
    assert fixed.verdict == READY
    assert next(v for v in fixed.values if v.value == "5776891").mapped_to == "marketplace"


def test_a_value_map_entry_must_be_a_known_value() -> None:
    with pytest.raises(ValueError, match="'5776891' maps to 'amazon', which is not one of"):
        parse_export_settings('value_map:\n  channel: {"5776891": amazon}\n')


def _rewritten(data: bytes, changes: dict[int, dict[str, str]]) -> str:
    """A CSV export with some cells changed: data row (from 0) -> header -> value."""
    records = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    for row, cells in changes.items():
        records[row].update(cells)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()


def _reviews_with_ratings(tmp_path: Path, ratings: list[str]) -> None:
    company = new_company()
    (tmp_path / "products_export_1.csv").write_bytes(shopify_products(company))
    data = judgeme_reviews(company, reviews=len(ratings))
    changes = {i: {"rating": rating, "curated": "ok"} for i, rating in enumerate(ratings)}
    (tmp_path / "judgeme-reviews.csv").write_text(_rewritten(data, changes), encoding="utf-8")


def test_a_rating_out_of_10_is_rejected_with_the_setting_that_reads_it(tmp_path: Path) -> None:
    _reviews_with_ratings(tmp_path, ["8", "10", "3", "1"])
    check = file_check(check_exports(tmp_path, TODAY), "judgeme-reviews.csv")
    rejected = {r.code: r for r in check.reasons}
    assert rejected["out_of_range"].rows == 2
    assert "rating_scale: 10" in rejected["out_of_range"].example.reason
    assert check.verdict == NEEDS_SETTING
    assert "vendor_files: {judgeme-reviews.csv: {format: judgeme-reviews, rating_scale: 10}}" in (
        check.settings_lines
    )
    (tmp_path / "export-settings.yaml").write_text(
        "vendor_files:\n  judgeme-reviews.csv: {format: judgeme-reviews, rating_scale: 10}\n",
        encoding="utf-8",
    )
    result = check_exports(tmp_path, TODAY)
    ratings = [r["rating"] for r in sorted(rows(result, "shop/reviews"), key=_line_order)]
    # 8/10 -> 4, 10/10 -> 5, 3/10 -> 2 (rounded up), 1/10 -> 1
    assert sorted(ratings) == [1, 2, 4, 5]
    assert file_check(result, "judgeme-reviews.csv").verdict == READY


def _line_order(row: dict) -> str:
    return row["review_id"]


def test_a_review_of_an_unknown_handle_is_rejected_and_counted(tmp_path: Path) -> None:
    company = new_company()
    (tmp_path / "products_export_1.csv").write_bytes(shopify_products(company))
    text = judgeme_reviews(company, reviews=50).decode()
    text = text.replace(",parka-boreale,", ",parka-inconnue,")
    (tmp_path / "judgeme-reviews.csv").write_text(text, encoding="utf-8")
    check = file_check(check_exports(tmp_path, TODAY), "judgeme-reviews.csv")
    unresolved = next(r for r in check.reasons if r.code == "unresolved_reference")
    assert "parka-inconnue" in unresolved.example.reason
    assert check.received == check.loaded + check.rejected
    assert unresolved.rows == check.rejected > 0


def test_reviews_without_the_products_export_say_what_to_add(tmp_path: Path) -> None:
    company = new_company()
    (tmp_path / "judgeme-reviews.csv").write_bytes(judgeme_reviews(company, reviews=20))
    check = file_check(check_exports(tmp_path, TODAY), "judgeme-reviews.csv")
    assert check.verdict == UNUSABLE
    assert "Shopify products export" in check.reasons[0].example.reason


def test_zendesk_requesters_missing_from_the_users_export_stay_unlinked(tmp_path: Path) -> None:
    company = new_company()
    shopify_orders(company)
    files = zendesk_json(company, tickets=30)
    (tmp_path / "tickets.json").write_bytes(files["tickets.json"])  # no users export
    result = check_exports(tmp_path, TODAY)
    check = file_check(result, "tickets.json#tickets")
    assert check.loaded == 30 and check.rejected == 0
    assert all(t["requester_email"] is None for t in rows(result, "support/tickets"))


def test_hubspot_internal_names_are_read_like_labels(tmp_path: Path) -> None:
    company = new_company()
    deals = hubspot(company)["hubspot-deals.csv"].decode("utf-8-sig")
    renamed = deals.replace("Deal Name", "dealname").replace("Deal Stage", "dealstage")
    renamed = renamed.replace("Closed Won", "closedwon").replace("Closed Lost", "closedlost")
    (tmp_path / "deals.csv").write_text(renamed, encoding="utf-8")
    result = check_exports(tmp_path, TODAY)
    outcomes = [d["outcome"] for d in rows(result, "crm/deals")]
    assert outcomes.count("won") == company.expected.deals_won
    assert outcomes.count("lost") == company.expected.deals_lost


# ------------------------------------------------------------------ the second folder


@pytest.fixture(scope="module")
def second(tmp_path_factory):
    root = tmp_path_factory.mktemp("vendor2") / "exports"
    expected = write_second_folder(root)
    return check_exports(root, TODAY), expected


def test_second_folder_is_ready_with_every_format_recognised(second) -> None:
    result, _ = second
    assert result.verdict == READY, [(f.label, f.why) for f in result.files]
    assert {f.label.split("#")[0]: f.format for f in result.files} == {
        "woocommerce-orders.csv": "woocommerce-orders",
        "products_export.csv": "shopify-products",
        "yotpo-reviews.csv": "yotpo-reviews",
        "trustpilot-service.csv": "trustpilot-reviews",
        "trustpilot-products.csv": "trustpilot-product-reviews",
        "zendesk-tickets.csv": "zendesk-tickets-csv",
        "zendesk-satisfaction.json": "zendesk-satisfaction-json",
    }


def test_woocommerce_orders_split_with_unit_prices_from_line_subtotals(second) -> None:
    result, expected = second
    orders = rows(result, "shop/orders")
    lines = rows(result, "shop/order_lines")
    assert (len(orders), len(lines)) == (expected.orders, expected.order_rows)
    assert len(rows(result, "shop/customers")) == expected.customers
    assert {o["channel"] for o in orders} == {"web"}
    assert {o["status"] for o in orders} <= {"paid", "refunded", "cancelled"}
    prices = {p["sku"]: p["unit_price"] for p in rows(result, "shop/products")}
    assert all(line["unit_price"] == pytest.approx(prices[line["sku"]]) for line in lines)
    # site-local times without an offset: the file's time zone (UTC by default)
    assert orders[0]["ordered_at"].tzinfo is not None


def test_yotpo_and_trustpilot_reviews(second) -> None:
    result, expected = second
    checks = {f.label: f for f in result.files}
    yotpo = checks["yotpo-reviews.csv"]
    assert yotpo.loaded == expected.reviews  # site reviews and unpublished ones left out
    reviews = rows(result, "shop/reviews")
    by_file = {
        "yotpo": [r for r in reviews if r["review_id"].startswith("35")],
        "service": [r for r in reviews if r["product_id"] == "company"],
        "products": [r for r in reviews if r["review_id"].startswith("p")],
    }
    assert len(by_file["service"]) == 150 and len(by_file["products"]) == 120
    assert all(r["sku"] for r in by_file["yotpo"])  # resolved through the product title
    assert all(r["sku"] is None for r in by_file["service"])
    assert all(1 <= r["rating"] <= 5 for r in reviews)


def test_zendesk_csv_tickets_and_json_ratings(second) -> None:
    result, expected = second
    tickets = rows(result, "support/tickets")
    assert len(tickets) == expected.tickets
    assert {t["status"] for t in tickets} <= {"solved", "closed", "open", "pending"}
    assert any(t["tags"] == "reparation|parka" for t in tickets)
    ratings = rows(result, "support/satisfaction")
    assert len(ratings) == expected.ratings
    # the ratings export fills support/satisfaction, not the tickets CSV's score column
    assert not any(f.label.startswith("zendesk-tickets.csv#") for f in result.files)


# ------------------------------------------------------------------ terrain init


def test_init_writes_a_settings_file_that_declares_and_asks(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    write_mixed_folder(exports)
    told = init_folder(exports)
    written = (exports / "export-settings.yaml").read_text(encoding="utf-8")
    parsed = parse_export_settings(written)
    assert parsed.vendor_block("orders_export_1.csv") == {"format": "shopify-orders"}
    assert parsed.vendor_block("zendesk-tickets.json") == {"format": "zendesk-tickets-json"}
    assert parsed.vendor_block("zendesk-users.json") == {"format": "zendesk-users-json"}
    assert parsed.value_map == {}  # the unknown values are asked about, not answered
    assert '#     "5776891": <value>  # 43 rows of orders_export_1.csv (Source)' in written
    intent = load_intent(tmp_path / "intent.yaml")
    assert intent.currency == "CAD"
    assert {o.id for o in intent.offers} >= {"coats-jackets", "boots", "gift-cards"}
    assert all(set(o.channels) == {"web", "store", "other"} for o in intent.offers)
    assert told[0].startswith("wrote ")
    # a second init leaves both files as they are
    (exports / "export-settings.yaml").write_text("defaults: {timezone: UTC}\n", encoding="utf-8")
    again = init_folder(exports)
    assert all("already there" in line for line in again[:2])
    assert (exports / "export-settings.yaml").read_text(encoding="utf-8") == (
        "defaults: {timezone: UTC}\n"
    )


def test_a_declared_file_that_is_not_there_is_said(tmp_path: Path) -> None:
    company = new_company()
    (tmp_path / "orders_export_1.csv").write_bytes(shopify_orders(company, orders=5))
    (tmp_path / "export-settings.yaml").write_text(
        "vendor_files:\n  shop/orders_export_1.csv: {format: shopify-orders}\n", encoding="utf-8"
    )
    result = check_exports(tmp_path, TODAY)
    assert "declares shop/orders_export_1.csv under vendor_files" in result.folder_problems[0]
