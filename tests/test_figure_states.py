"""Figures the data cannot support are never judged (issue 8, point 3): each case on an
export folder written for the purpose, through the real `terrain` command (Prefect, dlt,
dbt, WeasyPrint), asserting the exit code, the state in the findings JSON and the words
in the PDF.

The folder: five weeks of orders (20 January to 28 February 2026) through no declared
channel, no returns file, no CRM (the segments are matched on CRM account types),
support tickets none of which names a product, reviews of the core range only, and an
experiment whose item nobody reviewed. The run passes its data health check (nothing is
rejected) and the brief of February says, figure by figure, what it cannot assess.

A settings mistake that rejects every order, rendered with --allow-partial, gives a
short brief that says there is no data and that the data health check failed.

The day of the run is fixed by TERRAIN_TODAY, so the cases do not age.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from brief.conftest import pdf_text, squash
from test_data_health import CUSTOMERS, mistaken_settings_folder, terrain, write_folder

from flows.settings import EXAMPLES_DIR

pytestmark = pytest.mark.slow

PRODUCTS = (
    "product_id,sku,name,unit_price,currency\n"
    "P1,GP-01,Veste,100,EUR\nP2,AC-01,Ceinture,20,EUR\nP3,EX-01,Veste capsule,120,EUR\n"
)

# (order, customer, ordered_at, sku, price): five weeks of history, no channel column
ORDERS = [
    ("O01", "C1", "2026-01-20T10:00:00Z", "GP-01", "100"),
    ("O02", "C2", "2026-01-24T10:00:00Z", "GP-01", "100"),
    ("O03", "C3", "2026-01-28T10:00:00Z", "EX-01", "120"),
    ("O04", "C4", "2026-02-02T10:00:00Z", "GP-01", "100"),
    ("O05", "C5", "2026-02-05T10:00:00Z", "GP-01", "100"),
    ("O06", "C1", "2026-02-09T10:00:00Z", "GP-01", "100"),
    ("O07", "C2", "2026-02-12T10:00:00Z", "EX-01", "120"),
    ("O08", "C3", "2026-02-16T10:00:00Z", "GP-01", "100"),
    ("O09", "C4", "2026-02-19T10:00:00Z", "AC-01", "20"),
    ("O10", "C5", "2026-02-23T10:00:00Z", "GP-01", "100"),
    ("O11", "C1", "2026-02-26T10:00:00Z", "EX-01", "120"),
    ("O12", "C2", "2026-02-28T10:00:00Z", "GP-01", "100"),
]
# reviews of the core range only: the experiment's item has none
REVIEWS = "review_id,sku,customer_id,created_at,rating,body\n" + "".join(
    f"R{n},GP-01,C{n % 5 + 1},2026-02-{n + 10:02d}T10:00:00Z,{3 + n % 3},Bonne veste\n"
    for n in range(1, 7)
)
# tickets that name no product: none can be linked to an offer
TICKETS = (
    "ticket_id,created_at,customer_id,subject,description\n"
    "T1,2026-02-03T09:00:00Z,C1,Question,Où est ma commande ?\n"
    "T2,2026-02-10T09:00:00Z,C2,Question,Pouvez-vous m'envoyer la facture ?\n"
    "T3,2026-02-20T09:00:00Z,C3,Question,Je voudrais changer mon adresse de livraison.\n"
)
EXPERIMENT = """
  - id: capsule
    name: Capsule
    kind: experiment
    products: {skus: ["EX-*"], categories: []}
    since: 2026-01-01
    until: 2026-06-30
    intent:
      segments: [consumers]
      channels: [web]
"""


def intent_file(root: Path) -> Path:
    """The starter intent (segments on CRM account types, targets on the main range),
    with an experiment offer."""
    text = (EXAMPLES_DIR / "starter" / "intent.yaml").read_text(encoding="utf-8")
    marker = "\n# Decisions"
    assert marker in text
    path = root / "intent.yaml"
    path.write_text(text.replace(marker, EXPERIMENT + marker, 1), encoding="utf-8")
    return path


def states_folder(root: Path) -> Path:
    orders = "order_id,customer_id,ordered_at,currency,total_amount,status\n"
    lines = "order_id,line_number,sku,quantity,unit_price\n"
    for order_id, customer, at, sku, price in ORDERS:
        orders += f"{order_id},{customer},{at},EUR,{price},paid\n"
        lines += f"{order_id},1,{sku},1,{price}\n"
    return write_folder(
        root / "exports",
        {
            "shop/customers.csv": CUSTOMERS,
            "shop/products.csv": PRODUCTS,
            "shop/orders.csv": orders,
            "shop/order_lines.csv": lines,
            "shop/reviews.csv": REVIEWS,
            "support/tickets.csv": TICKETS,
        },
    )


def run(root: Path, exports: Path, intent: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return terrain(
        "run",
        "--exports", str(exports),
        "--intent", str(intent),
        "--warehouse", str(root / "terrain.duckdb"),
        "--out", str(root / "briefs"),
        "--lang", "en",
        *extra,
    )  # fmt: skip


@pytest.fixture(scope="module")
def states_run(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("states")
    result = run(root, states_folder(root), intent_file(root), "--month", "latest")
    findings, text = None, ""
    if result.returncode == 0:
        findings = json.loads((root / "briefs" / "brief-2026-02.json").read_text("utf-8"))
        text = pdf_text(root / "briefs" / "brief-2026-02-en.pdf")
    return result, findings, text


def states(findings: dict, offer_id: str) -> dict:
    return next(o for o in findings["offers"] if o["offer_id"] == offer_id)["figure_states"]


def gap(findings: dict, offer_id: str, metric: str) -> dict:
    return next(
        f
        for f in findings["findings"]
        if f["type"] == "gap" and f["offer_id"] == offer_id and f["metric"] == metric
    )


def test_the_run_passes_its_health_check_and_renders_february(states_run) -> None:
    result, findings, _ = states_run
    assert result.returncode == 0, result.stderr
    assert findings["month"] == "2026-02"
    assert findings["data_health"]["partial"] is False
    assert findings["month_state"] == "measured"


def test_a_return_rate_without_returns_file_is_no_data(states_run) -> None:
    _, findings, text = states_run
    state = states(findings, "main-range")["return_rate"]
    assert (state["state"], state["input"], state["no_data_reason"]) == (
        "no_data",
        "shop/returns",
        "no_file",
    )
    target = gap(findings, "main-range", "return_rate_max")
    assert (target["classification"], target["is_breach"]) == ("no_data", False)
    assert squash("No data: no shop/returns file") in squash(text)


def test_tickets_none_could_be_linked_are_no_data(states_run) -> None:
    _, findings, text = states_run
    state = states(findings, "main-range")["tickets_per_100_orders"]
    assert (state["state"], state["input"], state["no_data_reason"]) == (
        "no_data",
        "support/tickets",
        "not_linked",
    )
    assert gap(findings, "main-range", "tickets_per_100_orders_max")["classification"] == "no_data"
    assert squash("No data: no row of support/tickets linked to an offer") in squash(text)


def test_a_repeat_rate_on_five_weeks_of_history_is_insufficient(states_run) -> None:
    _, findings, text = states_run
    state = states(findings, "main-range")["repeat_rate"]
    # February is the first month the orders cover in full: no complete month before it
    assert (state["state"], state["floor_name"], state["floor_value"], state["observed_value"]) == (
        "insufficient_data",
        "repeat_min_history_months",
        3.0,
        0.0,
    )
    target = gap(findings, "main-range", "repeat_rate_min")
    assert (target["classification"], target["is_breach"]) == ("insufficient_data", False)
    assert squash(
        "Insufficient data: 0 months of order history, below the floor of 3 "
        "(repeat_min_history_months)"
    ) in squash(text)


def test_an_experiment_item_without_reviews_is_not_rated(states_run) -> None:
    _, findings, text = states_run
    item = next(
        f for f in findings["findings"] if f["type"] == "experiment" and f["item_id"] == "EX-01"
    )
    assert item["figures"]["reviews"] == 0
    assert item["figures"]["rating_component"] is None
    assert item["component_states"]["rating"]["state"] == "no_data"
    assert "rating_above_core" not in item["reasons"]
    assert "rated above the range" not in text
    assert squash("Veste capsule · Rating — No data: no shop/reviews data in the period") in squash(
        text
    )


def test_mixes_without_their_input_make_no_claim(states_run) -> None:
    _, findings, text = states_run
    segments = states(findings, "main-range")["off_target_buyer_share"]
    assert (segments["state"], segments["input"], segments["no_data_reason"]) == (
        "no_data",
        "crm/accounts",
        "no_file",
    )
    channels = states(findings, "main-range")["off_target_channel_share"]
    assert (channels["state"], channels["input"], channels["no_data_reason"]) == (
        "no_data",
        "shop/orders.channel",
        "no_values",
    )
    flat = squash(text)
    for claim in (
        "All buyers belong to the intended segments",
        "Every order goes through the planned channels",
        "Every sale goes through the planned channels",
        "No notable finding this month",
        "On target",
    ):
        assert squash(claim) not in flat, claim
    assert squash("No data: no crm/accounts file") in flat
    assert squash("No data: the column shop/orders.channel is empty") in flat


def test_the_cover_names_missing_sources_and_what_they_leave_unassessed(states_run) -> None:
    _, findings, text = states_run
    health = findings["data_health"]
    assert {"shop/returns", "crm/accounts", "support/satisfaction"} <= set(
        health["missing_sources"]
    )
    cover = squash(text.split("The month at a glance")[0])
    assert squash("shop/orders 12 0.0 %") in cover
    assert squash("Missing sources:") in cover and squash("shop/returns") in cover
    assert squash("Not assessed for want of data:") in cover
    assert squash("Return rate — no shop/returns file") in cover
    assert squash("Tickets per 100 orders — no row of support/tickets linked to an offer") in cover


# ------------------------------------------- every order rejected, rendered anyway


def test_every_order_rejected_and_allowed_gives_a_short_brief(tmp_path: Path) -> None:
    exports = mistaken_settings_folder(tmp_path)
    result = run(
        tmp_path, exports, EXAMPLES_DIR / "starter" / "intent.yaml", "--month", "2026-02",
        "--allow-partial",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    findings = json.loads((tmp_path / "briefs" / "brief-2026-02.json").read_text("utf-8"))
    assert findings["month_state"] == "no_data"
    assert findings["data_health"]["partial"] is True
    assert findings["offers"] == [] or all(o["figures"]["orders"] == 0 for o in findings["offers"])
    text = pdf_text(tmp_path / "briefs" / "brief-2026-02-en.pdf")
    flat = squash(text)
    assert squash("No data for this month") in flat
    assert squash("Rendered although the data health check failed (partial data allowed)") in flat
    assert squash("too many rows rejected") in flat
    assert not re.search(r"\b0 buyers", text)  # "20 buyers" in the method is fine
    for claim in (
        "All buyers belong to the intended segments",
        "Every order goes through the planned channels",
        "No notable finding this month",
    ):
        assert squash(claim) not in flat, claim
