"""The demo's export rows as the company's systems would have exported them at a moment.

Used to check that a month's brief uses only what was known by the end of that month:
the same company, exported at the end of a past month, must give that month's brief
the same figures as the full export does. A record created after the moment is left
out; a record created before it shows the state it was in then:

- an order whose lines were all returned is refunded only once the last return is in;
- a deal closed later is still open (at its last open stage, no outcome, no lost reason);
- a ticket solved later is still open.

Everything else a record carries is known when it is created.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

Rows = dict[str, list[dict[str, object]]]

# The moment each entity's record comes into being.
CREATED_AT = {
    "shop/customers": "created_at",
    "shop/products": "launched_at",
    "shop/orders": "ordered_at",
    "shop/returns": "returned_at",
    "shop/reviews": "created_at",
    "crm/accounts": "created_at",
    "crm/contacts": "created_at",
    "crm/deals": "created_at",
    "crm/notes": "created_at",
    "support/tickets": "created_at",
    "support/ticket_comments": "created_at",
    "support/satisfaction": "created_at",
}


def _before(value: object, as_of: dt.datetime) -> bool:
    return isinstance(value, dt.datetime) and value < as_of


def exports_as_of(rows: Rows, as_of: dt.datetime) -> Rows:
    """The rows of every entity as exported at `as_of` (naive UTC, exclusive)."""
    kept: Rows = {
        entity: [row for row in entity_rows if _before(row[CREATED_AT[entity]], as_of)]
        for entity, entity_rows in rows.items()
        if entity in CREATED_AT
    }
    orders = {row["order_id"] for row in kept["shop/orders"]}
    kept["shop/order_lines"] = [
        row for row in rows["shop/order_lines"] if row["order_id"] in orders
    ]
    returned_later: set[object] = {
        row["order_id"] for row in rows["shop/returns"] if not _before(row["returned_at"], as_of)
    }
    kept["shop/orders"] = [
        {**row, "status": "paid"}
        if row["status"] == "refunded" and row["order_id"] in returned_later
        else row
        for row in kept["shop/orders"]
    ]
    kept["crm/deals"] = [
        {**row, "stage": "negotiation", "outcome": "open", "closed_at": None, "lost_reason": None}
        if row.get("closed_at") is not None and not _before(row["closed_at"], as_of)
        else row
        for row in kept["crm/deals"]
    ]
    kept["support/tickets"] = [
        {**row, "status": "open", "solved_at": None}
        if row.get("solved_at") is not None and not _before(row["solved_at"], as_of)
        else row
        for row in kept["support/tickets"]
    ]
    by_ticket: dict[object, int] = defaultdict(int)
    for row in kept["support/tickets"]:
        by_ticket[row["ticket_id"]] += 1
    # comments and ratings of a ticket exist only with their ticket
    for entity in ("support/ticket_comments", "support/satisfaction"):
        kept[entity] = [row for row in kept[entity] if row["ticket_id"] in by_ticket]
    return kept
