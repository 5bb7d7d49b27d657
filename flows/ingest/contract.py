"""The canonical export contract: which files an export folder holds and what they contain.

One definition serves the parser (`flows.ingest.export_file`), the raw layer
(`flows.ingest.raw_layer`), the demo generator and `docs/input-contract.md`, which is
generated from this module (`python -m flows.docs`). Each entity is one file,
`<system>/<entity>.(csv|jsonl|parquet)`, whose columns are listed here with their
type and whether they are required; unknown extra columns are kept as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flows import shared_lists

# Column types of the canonical files, as the raw layer stores them.
TEXT = "text"
INTEGER = "integer"
DECIMAL = "decimal"  # money and other non-integer numbers (stored as double)
TIMESTAMP = "timestamp"  # UTC; a date alone means midnight in the export's time zone


@dataclass(frozen=True)
class Column:
    name: str
    type: str = TEXT
    required: bool = False


@dataclass(frozen=True)
class Entity:
    """One canonical export file: `<system>/<name>.(csv|jsonl|parquet)`."""

    system: str
    name: str
    primary_key: tuple[str, ...]
    columns: tuple[Column, ...]
    # Groups of columns of which at least one must be present (e.g. sku or product_id).
    one_of: tuple[tuple[str, ...], ...] = field(default_factory=tuple)

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def column_types(self) -> dict[str, str]:
        return {c.name: c.type for c in self.columns}


def _cols(spec: str) -> tuple[Column, ...]:
    """Parse 'name*:type, other' into columns; * = required, default type text."""
    columns = []
    for raw in spec.split(","):
        raw = raw.strip()
        name, _, type_ = raw.partition(":")
        required = name.endswith("*")
        columns.append(Column(name.rstrip("*"), type_ or TEXT, required))
    return tuple(columns)


ENTITIES: tuple[Entity, ...] = (
    Entity(
        "shop",
        "customers",
        ("customer_id",),
        _cols(
            "customer_id*, email, created_at*:timestamp, country, city, postal_code, account_id, tags"
        ),
    ),
    Entity(
        "shop",
        "products",
        ("product_id",),
        _cols(
            "product_id*, sku*, name*, category, unit_price:decimal, currency, status, "
            "launched_at:timestamp, tags"
        ),
    ),
    Entity(
        "shop",
        "orders",
        ("order_id",),
        _cols(
            "order_id*, customer_id*, ordered_at*:timestamp, channel, currency*, "
            "total_amount*:decimal, discount_amount:decimal, status, shipping_country"
        ),
    ),
    Entity(
        "shop",
        "order_lines",
        ("order_id", "line_number"),
        _cols(
            "order_id*, line_number*:integer, sku, product_id, quantity*:integer, unit_price*:decimal"
        ),
        one_of=(("sku", "product_id"),),
    ),
    Entity(
        "shop",
        "returns",
        ("return_id",),
        _cols(
            "return_id*, order_id*, sku, returned_at*:timestamp, quantity:integer, reason_code, reason_text"
        ),
    ),
    Entity(
        "shop",
        "reviews",
        ("review_id",),
        _cols(
            "review_id*, sku, product_id, customer_id, created_at*:timestamp, rating*:integer, title, body"
        ),
        one_of=(("sku", "product_id"),),
    ),
    Entity(
        "crm",
        "accounts",
        ("account_id",),
        _cols("account_id*, name*, type, industry, size_band, country, created_at:timestamp"),
    ),
    Entity(
        "crm",
        "contacts",
        ("contact_id",),
        _cols("contact_id*, account_id, email*, created_at:timestamp, lifecycle_stage"),
    ),
    Entity(
        "crm",
        "deals",
        ("deal_id",),
        _cols(
            "deal_id*, account_id*, title, amount:decimal, currency, stage*, created_at*:timestamp, "
            "closed_at:timestamp, outcome, lost_reason, skus"
        ),
    ),
    Entity(
        "crm",
        "notes",
        ("note_id",),
        _cols("note_id*, created_at*:timestamp, body*, account_id, contact_id, deal_id"),
    ),
    Entity(
        "support",
        "tickets",
        ("ticket_id",),
        _cols(
            "ticket_id*, created_at*:timestamp, requester_email, customer_id, solved_at:timestamp, "
            "channel, status, priority, subject, description, tags, sku"
        ),
    ),
    Entity(
        "support",
        "ticket_comments",
        ("comment_id",),
        _cols("comment_id*, ticket_id*, created_at*:timestamp, author_role, body*"),
    ),
    Entity(
        "support",
        "satisfaction",
        ("rating_id",),
        _cols("rating_id*, ticket_id*, created_at*:timestamp, score*, comment"),
    ),
)

ENTITIES_BY_KEY: dict[tuple[str, str], Entity] = {(e.system, e.name): e for e in ENTITIES}


@dataclass(frozen=True)
class Enumeration:
    """The values a text column takes (compared trimmed and in lower case)."""

    values: tuple[str, ...]
    note: str = ""  # what becomes of another value, when it is not just flagged


# (system, entity, column) -> its values: the shared lists (transforms/seeds/), which the
# warehouse's staging tests also point at. The raw layer keeps any value as written;
# staging lower-cases it and the tests flag the others.
ENUMERATIONS: dict[tuple[str, str, str], Enumeration] = {
    ("shop", "products", "status"): Enumeration(shared_lists.ids("product_statuses")),
    ("shop", "orders", "channel"): Enumeration(
        shared_lists.ids("channels"), "any other value counts as other"
    ),
    ("shop", "orders", "status"): Enumeration(shared_lists.ids("order_statuses")),
    ("crm", "accounts", "type"): Enumeration(shared_lists.ids("account_types")),
    ("crm", "deals", "outcome"): Enumeration(shared_lists.ids("deal_outcomes")),
    ("support", "ticket_comments", "author_role"): Enumeration(
        shared_lists.ids("comment_author_roles")
    ),
    ("support", "satisfaction", "score"): Enumeration(
        shared_lists.ids("satisfaction_scores"), "good or bad, or a score from 1 to 5"
    ),
}

# (system, entity, column) -> the characters that separate its values. The raw layer
# keeps the text as written; staging splits it into a list of trimmed values.
MULTI_VALUED: dict[tuple[str, str, str], tuple[str, ...]] = {
    ("shop", "customers", "tags"): ("|", ","),
    ("shop", "products", "tags"): ("|", ","),
    ("crm", "deals", "skus"): ("|",),
    ("support", "tickets", "tags"): ("|",),
}


@dataclass(frozen=True)
class RangeRule:
    """Bounds (inclusive, None = open) of a numeric column, and why."""

    minimum: float | None
    maximum: float | None
    why: str

    def describe(self) -> str:
        """The bounds in words: "from 1 to 5", "at least 1" or "at most 10"."""
        if self.minimum is not None and self.maximum is not None:
            return f"from {self.minimum:g} to {self.maximum:g}"
        if self.minimum is not None:
            return f"at least {self.minimum:g}"
        return f"at most {self.maximum:g}"


# (system, entity, column) -> its rule. A value outside rejects its row.
RANGE_RULES: dict[tuple[str, str, str], RangeRule] = {
    ("shop", "reviews", "rating"): RangeRule(1, 5, "a review rating goes from 1 to 5"),
    ("shop", "order_lines", "quantity"): RangeRule(
        1, None, "a quantity sold is at least 1 (returns go in shop/returns)"
    ),
    ("shop", "returns", "quantity"): RangeRule(1, None, "a quantity returned is at least 1"),
}

# Dates outside these years are typing mistakes ("05/03/24" read by %Y is year 24).
MIN_YEAR = 1900
MAX_YEAR = 2100
