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
DATE = "date"  # a calendar date, as written (no time zone)


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
            "customer_id*, email, created_at*:timestamp, country, city, postal_code, account_id, tags, "
            "first_name, last_name"
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
    # rate = the value of one unit of `currency` in the company's currency on `date`;
    # an amount takes the rate of its date, or of the latest earlier date
    Entity(
        "shop",
        "exchange_rates",
        ("date", "currency"),
        _cols("date*:date, currency*, rate*:decimal"),
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
        _cols(
            "contact_id*, account_id, email*, created_at:timestamp, lifecycle_stage, first_name, "
            "last_name"
        ),
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
        _cols(
            "note_id*, created_at*:timestamp, body*, account_id, contact_id, deal_id, author_role"
        ),
    ),
    Entity(
        "support",
        "tickets",
        ("ticket_id",),
        _cols(
            "ticket_id*, created_at*:timestamp, requester_email, customer_id, solved_at:timestamp, "
            "channel, status, priority, subject, description, tags, sku, requester_name"
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

# The entities without which no figure of the brief means anything: a run whose
# export folder loads no row of one of them fails (flows.ingest.health).
REQUIRED_ENTITIES: tuple[tuple[str, str], ...] = (
    ("shop", "orders"),
    ("shop", "order_lines"),
    ("shop", "products"),
    ("shop", "customers"),
)

# (system, entity) -> the column that dates its rows: the date range of a file in the
# data health report (flows.ingest.health) and of the brief's coverage.
DATE_COLUMNS: dict[tuple[str, str], str] = {
    ("shop", "customers"): "created_at",
    ("shop", "products"): "launched_at",
    ("shop", "orders"): "ordered_at",
    ("shop", "returns"): "returned_at",
    ("shop", "reviews"): "created_at",
    ("shop", "exchange_rates"): "date",
    ("crm", "accounts"): "created_at",
    ("crm", "contacts"): "created_at",
    ("crm", "deals"): "created_at",
    ("crm", "notes"): "created_at",
    ("support", "tickets"): "created_at",
    ("support", "ticket_comments"): "created_at",
    ("support", "satisfaction"): "created_at",
}

# Entities whose date column is the date of an event customers took part in: such a
# date cannot be after the day of the run, nor before the export's earliest_year.
EVENT_ENTITIES: tuple[tuple[str, str], ...] = (
    ("shop", "orders"),
    ("shop", "returns"),
    ("shop", "reviews"),
    ("crm", "deals"),
    ("crm", "notes"),
    ("support", "tickets"),
    ("support", "ticket_comments"),
    ("support", "satisfaction"),
)

# Columns holding a currency code: an ISO 4217 code (any case), checked on load.
CURRENCY_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("shop", "products", "currency"),
    ("shop", "orders", "currency"),
    ("crm", "deals", "currency"),
    ("shop", "exchange_rates", "currency"),
)


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
        shared_lists.ids("comment_author_roles"), "inferred when empty, see docs/voice.md"
    ),
    ("crm", "notes", "author_role"): Enumeration(
        shared_lists.ids("note_author_roles"), "inferred when empty, see docs/voice.md"
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


# (system, entity, column) of the free text people write: what the customer (or staff)
# said. None of it leaves the raw layer as written: the dbt model stg_voice__texts removes
# its markup and redacts its personal data (flows/voice), and every later layer reads
# that copy; the staging views of these entities leave these columns out.
FREE_TEXT: tuple[tuple[str, str, str], ...] = (
    ("shop", "reviews", "title"),
    ("shop", "reviews", "body"),
    ("shop", "returns", "reason_text"),
    ("crm", "deals", "title"),
    ("crm", "deals", "lost_reason"),
    ("crm", "notes", "body"),
    ("support", "tickets", "subject"),
    ("support", "tickets", "description"),
    ("support", "ticket_comments", "body"),
    ("support", "satisfaction", "comment"),
)


@dataclass(frozen=True)
class NameColumn:
    """A column holding a person's name (all of it, a first or a last name).

    `when` limits it to the rows whose column (first) holds one of the values (second):
    an account's name is a person's only for a b2c account.
    """

    system: str
    entity: str
    column: str
    when: tuple[str, tuple[str, ...]] | None = None


# The person names the warehouse holds. The redactor removes each of them from the free
# text; they never leave the raw layer themselves (staging does not select them, and a
# b2c account's name is withheld there).
PERSON_NAMES: tuple[NameColumn, ...] = (
    NameColumn("shop", "customers", "first_name"),
    NameColumn("shop", "customers", "last_name"),
    NameColumn("crm", "contacts", "first_name"),
    NameColumn("crm", "contacts", "last_name"),
    NameColumn("crm", "accounts", "name", when=("type", ("b2c",))),
    NameColumn("support", "tickets", "requester_name"),
)


@dataclass(frozen=True)
class RangeRule:
    """Bounds (inclusive, None = open; `above` = strictly above the minimum) of a
    numeric column, and why."""

    minimum: float | None
    maximum: float | None
    why: str
    above: bool = False

    def describe(self) -> str:
        """The bounds in words: "from 1 to 5", "at least 1", "above 0" or "at most 10"."""
        if self.minimum is not None and self.maximum is not None:
            return f"from {self.minimum:g} to {self.maximum:g}"
        if self.minimum is not None:
            return f"{'above' if self.above else 'at least'} {self.minimum:g}"
        return f"at most {self.maximum:g}"

    @property
    def is_money(self) -> bool:
        """A rule that only refuses negative amounts (the reason says so)."""
        return self.minimum == 0 and self.maximum is None and not self.above


_NO_NEGATIVE_MONEY = (
    "an amount is never negative: a refund is a row of shop/returns or an order status "
    "(refunded), not a negative amount"
)

# (system, entity, column) -> its rule. A value outside rejects its row.
RANGE_RULES: dict[tuple[str, str, str], RangeRule] = {
    ("shop", "reviews", "rating"): RangeRule(1, 5, "a review rating goes from 1 to 5"),
    ("shop", "order_lines", "quantity"): RangeRule(
        1, None, "a quantity sold is at least 1 (returns go in shop/returns)"
    ),
    ("shop", "returns", "quantity"): RangeRule(1, None, "a quantity returned is at least 1"),
    ("shop", "products", "unit_price"): RangeRule(0, None, _NO_NEGATIVE_MONEY),
    ("shop", "orders", "total_amount"): RangeRule(0, None, _NO_NEGATIVE_MONEY),
    ("shop", "orders", "discount_amount"): RangeRule(
        0, None, "a discount is written as a positive amount taken off the order"
    ),
    ("shop", "order_lines", "unit_price"): RangeRule(0, None, _NO_NEGATIVE_MONEY),
    ("crm", "deals", "amount"): RangeRule(0, None, "a deal amount is never negative"),
    ("shop", "exchange_rates", "rate"): RangeRule(
        0, None, "a rate is the value of one unit of the currency", above=True
    ),
}

# Dates outside these years are typing mistakes ("05/03/24" read by %Y is year 24).
MIN_YEAR = 1900
MAX_YEAR = 2100

# Event dates before this year are rejected unless export-settings.yaml says otherwise
# (earliest_year): older dates in orders or tickets are typing or export mistakes.
DEFAULT_EARLIEST_YEAR = 2000

# A file whose share of rejected rows is above this fails the run, unless
# export-settings.yaml says otherwise (max_reject_share) or the run allows partial data.
DEFAULT_MAX_REJECT_SHARE = 0.05
