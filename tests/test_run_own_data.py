"""A newcomer's first run: a small shop-only export folder and the starter intent file.

No CRM, no support system, plain CSV: every stage must still work and the brief's
figures must be the ones the files imply.
"""

from __future__ import annotations

import json
import shutil

import pytest

from flows.brief.period import latest_complete_month
from flows.brief.write import write_brief
from flows.ingest.run import ingest_exports
from flows.intent.load import load_intent
from flows.intent.tables import write_intent_tables
from flows.settings import EXAMPLES_DIR
from flows.transform.dbt import run_dbt

CUSTOMERS = """customer_id,email,created_at
C1, Alice@Example.com ,2026-01-03
C2,bob@example.com,2026-01-10
C3,carla@example.com,2026-02-01
"""
PRODUCTS = """product_id,sku,name,category,unit_price,currency,status
P1,GP-01,Veste,vestes,100,EUR,active
P2,AC-01,Ceinture,accessoires,20,EUR,active
"""
# February: 3 orders, 4 units of the main range (2 + 1 + 1), 400 EUR; one cancelled.
# O7 is 28 February 23:30 UTC, already 1 March in Paris (the company's time zone).
ORDERS = """order_id,customer_id,ordered_at,channel,currency,total_amount,status
O1,C1,2026-01-05T10:00:00Z,web,EUR,120,paid
O2,C1,2026-02-02T10:00:00Z,web,EUR,200,paid
O3,C2,2026-02-14T10:00:00Z,store,EUR,120,paid
O4,C3,2026-02-20T10:00:00Z,web,EUR,100,paid
O5,C3,2026-02-21T10:00:00Z,web,EUR,100,cancelled
O6,C2,2026-03-02T10:00:00Z,web,EUR,100,paid
O7,C1,2026-02-28T23:30:00Z,web,EUR,100,paid
"""
ORDER_LINES = """order_id,line_number,sku,quantity,unit_price
O1,1,GP-01,1,100
O1,2,AC-01,1,20
O2,1,GP-01,2,100
O3,1,GP-01,1,100
O3,2,AC-01,1,20
O4,1,GP-01,1,100
O5,1,GP-01,1,100
O6,1,GP-01,1,100
O7,1,GP-01,1,100
"""
REVIEWS = """review_id,sku,customer_id,created_at,rating,body
R1,GP-01,C1,2026-02-10,5,"Super veste, je l'ai fait réparer une fois déjà"
R2,GP-01,C2,2026-02-18,3,"Livraison en retard, écrivez-moi à bob@example.com"
"""


@pytest.fixture(scope="module")
def own_data(tmp_path_factory):
    root = tmp_path_factory.mktemp("own")
    shop = root / "exports" / "shop"
    shop.mkdir(parents=True)
    for name, text in [
        ("customers", CUSTOMERS),
        ("products", PRODUCTS),
        ("orders", ORDERS),
        ("order_lines", ORDER_LINES),
        ("reviews", REVIEWS),
    ]:
        (shop / f"{name}.csv").write_text(text, encoding="utf-8")
    intent = root / "intent.yaml"
    shutil.copy(EXAMPLES_DIR / "starter" / "intent.yaml", intent)
    warehouse = root / "terrain.duckdb"
    ingest_exports(root / "exports", warehouse)
    write_intent_tables(load_intent(intent), warehouse)
    run_dbt(warehouse)
    month = latest_complete_month(warehouse)
    pdf, findings = write_brief(warehouse, month, root / "briefs", "en")
    return {"month": month, "pdf": pdf, "findings": json.loads(findings.read_text())}


def test_latest_complete_month_is_the_last_full_month_of_data(own_data):
    # Data runs to 2026-03-02, so March is not complete yet.
    assert own_data["month"] == "2026-02"


def test_brief_figures_follow_from_the_files(own_data):
    assert own_data["pdf"].read_bytes().startswith(b"%PDF-")
    offers = {o["offer_id"]: o["figures"] for o in own_data["findings"]["offers"]}
    main = offers["main-range"]
    # Cancelled order O5 does not count; O7 belongs to March in Paris time.
    assert (main["orders"], main["units"], main["revenue"], main["buyers"]) == (3, 4, 400, 3)
    assert main["repeat_rate"] == pytest.approx(1 / 3)  # C1 bought in January already
    assert main["avg_rating"] == pytest.approx(4.0)
    assert offers["accessories"]["revenue"] == 20


def test_starter_themes_find_the_customer_voice(own_data):
    signals = {f["theme_id"]: f for f in own_data["findings"]["findings"] if f["type"] == "signal"}
    assert signals["repair"]["figures"]["documents"] == 1
    assert signals["delivery"]["figures"]["documents"] == 1
    quotes = [v["quote"] for s in signals.values() for v in s["verbatims"]]
    assert not any("bob@example.com" in q for q in quotes)
