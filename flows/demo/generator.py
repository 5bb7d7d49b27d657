"""Generates the demo company, Atelier Garance, as an export folder plus its intent file.

    from flows.demo.generator import generate_demo
    result = generate_demo(Path("warehouse/demo"))

writes `exports/<system>/<entity>.<ext>`, `exports/export-settings.yaml`,
`intent.yaml` and `ground_truth.json` under the output folder. The same
arguments always give byte-identical files: every random draw comes from
generators seeded by `seed`, and nothing reads the clock.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from flows.demo import writers
from flows.demo.crm import Crm, build_crm
from flows.demo.matching import ThemeMatcher
from flows.demo.scenarios import Plan, Timeline, add_months
from flows.demo.shop import Shop, build_shop
from flows.demo.support import Support, build_support
from flows.demo.truth import Truth
from flows.demo.voice import Voice

INTENT_TEMPLATE = Path(__file__).with_name("intent.yaml")
SCHEMA_MODELINE = "# yaml-language-server: $schema="
# The intent file's dates are written for this end date; other ends shift them by whole months.
REFERENCE_END = dt.date(2026, 11, 15)
_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


@dataclass(frozen=True)
class DemoResult:
    exports_dir: Path
    intent_path: Path
    ground_truth_path: Path
    last_complete_month: str  # YYYY-MM
    counts: dict[str, int]  # rows per file, keyed "system/entity"


def intent_text(end: dt.date) -> str:
    """The demo intent file, with its dates moved along if `end` is not the reference end.

    The template's first line names its JSON Schema for editors by a path relative to
    flows/demo/; the demo's copy is written elsewhere, so it goes without that line.
    """
    text = INTENT_TEMPLATE.read_text(encoding="utf-8")
    if text.startswith(SCHEMA_MODELINE):
        text = text.split("\n", 1)[1]
    shift = (end.year - REFERENCE_END.year) * 12 + end.month - REFERENCE_END.month
    if shift == 0:
        return text

    def move(match: re.Match[str]) -> str:
        day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        return add_months(day, shift).isoformat()

    return _DATE.sub(move, text)


def generate_demo(
    out_dir: Path,
    seed: int = 7,
    orders: int = 20000,
    end: dt.date = REFERENCE_END,
    months: int = 26,
) -> DemoResult:
    """Write the demo export folder, intent file and ground truth under `out_dir`."""
    if orders < 200:
        raise ValueError(
            f"orders must be at least 200 for the planted stories to show, got {orders}"
        )
    out_dir = Path(out_dir)
    exports = out_dir / "exports"
    exports.mkdir(parents=True, exist_ok=True)

    intent_path = out_dir / "intent.yaml"
    intent_path.write_text(intent_text(end), encoding="utf-8")
    intent = yaml.safe_load(intent_path.read_text(encoding="utf-8"))
    capsule = next(o for o in intent["offers"] if o["id"] == "capsule")
    timeline = Timeline.build(end, months)
    repair_service = next(d for d in intent["decisions"] if d["id"] == "repair-service")
    plan = Plan(
        timeline,
        capsule_since=capsule["since"],
        capsule_until=capsule["until"],
        repair_service_since=repair_service["date"],
    )

    matcher = ThemeMatcher.from_intent(intent_path)
    voice = Voice(random.Random(seed * 1000 + 9), matcher)
    shop = build_shop(plan, seed, voice, matcher, orders)
    crm = build_crm(plan, seed, voice, matcher, shop)
    support = build_support(plan, seed, voice, matcher, shop)

    counts = write_exports(exports, shop, crm, support)
    writers.write_export_settings(exports)

    truth = Truth(plan, shop.docs + crm.docs + support.docs, shop).build(seed, orders, end)
    truth_path = out_dir / "ground_truth.json"
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return DemoResult(exports, intent_path, truth_path, timeline.last_complete_month, counts)


def write_exports(exports: Path, shop: Shop, crm: Crm, support: Support) -> dict[str, int]:
    """Write every entity file; returns the number of rows of each, keyed "system/entity"."""
    customers = [
        {
            "customer_id": c.customer_id,
            "email": c.email,
            "created_at": c.created,
            "country": c.country,
            "city": c.city,
            "postal_code": c.postal_code,
            "account_id": c.account.account_id if c.account else None,
            "tags": c.tags,
            # guest checkouts (one customer in ten) leave no name
            "first_name": c.first_name if c.index % 10 != 3 else None,
            "last_name": c.last_name if c.index % 10 != 3 else None,
        }
        for c in shop.customers
    ]
    customers.sort(key=lambda row: row["customer_id"])
    products = [
        {
            "product_id": shop.product_ids[p.sku],
            "sku": p.sku,
            "name": p.name,
            "category": p.category,
            "unit_price": p.price,
            "currency": "EUR",
            "status": p.status,
            "launched_at": dt.datetime.combine(shop.launched[p.sku], dt.time(8)),
            "tags": p.tags,
        }
        for p in shop.products
    ]
    orders = [
        {
            "order_id": o.order_id,
            "customer_id": o.customer.customer_id,
            "ordered_at": o.ordered,
            "channel": o.channel,
            "currency": "EUR",
            "total_amount": round(o.subtotal - o.discount, 2),
            "discount_amount": o.discount,
            "status": o.status,
            "shipping_country": "FR" if o.channel == "store" else o.customer.country,
        }
        for o in shop.orders
    ]
    lines = [
        {
            "order_id": o.order_id,
            "line_number": line_.line_number,
            "sku": line_.sku,
            "product_id": line_.product_id,
            "quantity": line_.quantity,
            "unit_price": line_.unit_price,
        }
        for o in shop.orders
        for line_ in o.lines
    ]

    counts = {
        "shop/customers": writers.write_csv(
            exports / "shop/customers.csv", "shop", "customers", customers
        ),
        "shop/products": writers.write_csv(
            exports / "shop/products.csv", "shop", "products", products
        ),
        "shop/orders": writers.write_csv(exports / "shop/orders.csv", "shop", "orders", orders),
        "shop/order_lines": writers.write_parquet(
            exports / "shop/order_lines.parquet", "shop", "order_lines", lines
        ),
        "shop/returns": writers.write_csv(
            exports / "shop/returns.csv", "shop", "returns", shop.returns
        ),
        "shop/reviews": writers.write_jsonl(
            exports / "shop/reviews.jsonl", "shop", "reviews", shop.reviews
        ),
        "crm/accounts": writers.write_csv(
            exports / "crm/accounts.csv", "crm", "accounts", crm.accounts
        ),
        "crm/contacts": writers.write_csv(
            exports / "crm/contacts.csv", "crm", "contacts", crm.contacts
        ),
        "crm/deals": writers.write_csv(exports / "crm/deals.csv", "crm", "deals", crm.deals),
        "crm/notes": writers.write_csv(exports / "crm/notes.csv", "crm", "notes", crm.notes),
        "support/tickets": writers.write_csv(
            exports / "support/tickets.csv",
            "support",
            "tickets",
            support.tickets,
            extra={"first_reply_hours": "decimal"},
        ),
        "support/ticket_comments": writers.write_csv(
            exports / "support/ticket_comments.csv", "support", "ticket_comments", support.comments
        ),
        "support/satisfaction": writers.write_csv(
            exports / "support/satisfaction.csv", "support", "satisfaction", support.ratings
        ),
    }
    return counts
