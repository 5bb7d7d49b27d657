"""Project-wide settings: paths, defaults and the canonical export contract.

Every module that needs a path, a dataset name or the shape of an export file
reads it from here, so the contract between the export files, the raw layer
and the dbt sources lives in one place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
TRANSFORMS_DIR = PROJECT_DIR / "transforms"
TEMPLATES_DIR = PROJECT_DIR / "report_templates"
WAREHOUSE_DIR = PROJECT_DIR / "warehouse"
EXAMPLES_DIR = PROJECT_DIR / "examples"

# Defaults; every one can be overridden by an environment variable or a CLI flag.
DEFAULT_WAREHOUSE = WAREHOUSE_DIR / "terrain.duckdb"
DEFAULT_DEMO_DIR = WAREHOUSE_DIR / "demo"
DEFAULT_OUT_DIR = WAREHOUSE_DIR / "briefs"

# Name of the optional file, inside an export folder, that describes how its
# files are written (delimiter, decimal separator, date format, encoding).
EXPORT_SETTINGS_FILE = "export-settings.yaml"

# Raw datasets (DuckDB schemas) written by dlt, one per system.
RAW_DATASET_PREFIX = "raw_"
INTENT_DATASET = "raw_intent"
REJECTS_TABLE = "ingest_rejects"

SYSTEMS = ("shop", "crm", "support")


def env_path(name: str, default: Path) -> Path:
    """A path from the environment variable `name`, or `default`."""
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


def warehouse_path() -> Path:
    """The DuckDB file: $TERRAIN_WAREHOUSE, or warehouse/terrain.duckdb."""
    return env_path("TERRAIN_WAREHOUSE", DEFAULT_WAREHOUSE)


def exports_path() -> Path:
    """The export folder: $TERRAIN_EXPORTS, or warehouse/exports."""
    return env_path("TERRAIN_EXPORTS", WAREHOUSE_DIR / "exports")


def intent_path() -> Path:
    """The intent file: $TERRAIN_INTENT, or warehouse/intent.yaml."""
    return env_path("TERRAIN_INTENT", WAREHOUSE_DIR / "intent.yaml")


def briefs_path() -> Path:
    """Where briefs are written: $TERRAIN_OUT, or warehouse/briefs."""
    return env_path("TERRAIN_OUT", DEFAULT_OUT_DIR)


def raw_dataset(system: str) -> str:
    return f"{RAW_DATASET_PREFIX}{system}"


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

# Enumerations of the canonical files (checked by dbt tests in staging).
ORDER_CHANNELS = ("web", "store", "marketplace", "b2b", "phone", "other")
ORDER_STATUSES = ("paid", "refunded", "cancelled", "pending")
PRODUCT_STATUSES = ("active", "limited", "discontinued")
ACCOUNT_TYPES = ("b2c", "b2b", "nonprofit", "public", "partner")
DEAL_OUTCOMES = ("won", "lost", "open")
SIGNAL_KINDS = ("adapt", "circumvent", "suggest", "transform", "reject")
OFFER_KINDS = ("core", "experiment", "service")
LANGUAGES = ("fr", "en")

# Schedules (also written in prefect.yaml; tests/test_prefect_yaml.py keeps them equal).
SCHEDULE_TIMEZONE = "Europe/Paris"
REFRESH_CRON = "0 2 * * *"  # ingest + transform, every night
BRIEF_CRON = "0 6 1 * *"  # the brief of the previous month, on the 1st
