"""In-memory records the demo builders share before anything is written to files.

Timestamps are naive `datetime` values in UTC; the writers format them per system.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Account:
    account_id: str
    name: str
    type: str
    industry: str | None
    size_band: str | None
    country: str
    segment: str
    created: dt.datetime
    customer_ids: list[str] = field(default_factory=list)


@dataclass
class Customer:
    customer_id: str
    email: str
    created: dt.datetime
    country: str
    city: str
    postal_code: str
    segment: str
    account: Account | None
    tags: str
    index: int  # position in the customer list, for fast lookups
    first_name: str = ""
    last_name: str = ""

    @property
    def person(self) -> tuple[str, str]:
        return (self.first_name, self.last_name)


@dataclass
class Line:
    line_number: int
    sku: str
    product_id: str
    offer: str
    quantity: int
    unit_price: float


@dataclass
class Order:
    order_id: str
    customer: Customer
    ordered: dt.datetime
    month: int  # index in the timeline
    channel: str
    status: str
    discount: float
    lines: list[Line]

    @property
    def subtotal(self) -> float:
        return round(sum(line.quantity * line.unit_price for line in self.lines), 2)


@dataclass(frozen=True)
class Doc:
    """One piece of customer voice, as the generator wrote it (for the ground truth)."""

    # review, return, ticket, ticket_comment, satisfaction, note, lost_deal; agent_comment
    # and staff_note are staff text (not customer voice)
    source: str
    month: int
    offer: str | None
    segment: str | None
    themes: frozenset[str]
    has_phrase: bool
