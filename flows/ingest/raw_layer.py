"""How the export contract is stored in the raw layer (`raw_shop`, `raw_crm`, `raw_support`).

One table per entity, with the contract's columns and types (text -> VARCHAR,
integer -> BIGINT, decimal -> DOUBLE, timestamp -> TIMESTAMP WITH TIME ZONE), given
to dlt as column hints so that a column is typed even when every value is NULL; and
one `ingest_rejects` table per schema, whose rows are `Reject`s keyed by `reject_id`,
and one `ingest_files` table per schema: one row per export file, keyed by `file`.
`ensure_contract_tables` creates, empty, the tables no export file produced, so the
dbt sources always find every canonical table and column (docs/architecture.md,
section 2).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from flows import settings
from flows.ingest import contract, freshness
from flows.ingest.contract import Entity
from flows.ingest.deleted import DELETED_AT
from flows.ingest.rejects import Reject

log = logging.getLogger(__name__)

# The dlt data type of each contract type.
DLT_TYPES: dict[str, str] = {
    contract.TEXT: "text",
    contract.INTEGER: "bigint",
    contract.DECIMAL: "double",
    contract.TIMESTAMP: "timestamp",
    contract.DATE: "date",
}

# The DuckDB type of each contract type (the same types, for tables dlt did not create).
DUCKDB_TYPES: dict[str, str] = {
    contract.TEXT: "varchar",
    contract.INTEGER: "bigint",
    contract.DECIMAL: "double",
    contract.TIMESTAMP: "timestamp with time zone",
    contract.DATE: "date",
}

# The columns of ingest_rejects, as Arrow writes them and as DuckDB creates them.
REJECTS_SCHEMA = pa.schema(
    [
        pa.field("reject_id", pa.string(), nullable=False),
        pa.field("entity", pa.string()),
        pa.field("file", pa.string()),
        pa.field("line", pa.int64()),
        pa.field("column_name", pa.string()),
        pa.field("value", pa.string()),
        pa.field("reason", pa.string()),
        pa.field("reason_code", pa.string()),
        pa.field("rejected_at", pa.timestamp("us", tz="UTC")),
    ]
)
_REJECTS_DDL = (
    "reject_id varchar not null, entity varchar, file varchar, line bigint, "
    "column_name varchar, value varchar, reason varchar, reason_code varchar, "
    "rejected_at timestamp with time zone"
)

# The columns of ingest_files (docs/architecture.md, section 2).
FILES_SCHEMA = pa.schema(
    [
        pa.field("file", pa.string(), nullable=False),
        pa.field("system", pa.string()),
        pa.field("entity", pa.string()),
        pa.field("rows_received", pa.int64()),  # NULL: the file could not be read to count
        pa.field("rows_loaded", pa.int64()),
        pa.field("rows_rejected", pa.int64()),
        pa.field("is_refused", pa.bool_()),
        pa.field("refusal", pa.string()),
        pa.field("first_at", pa.timestamp("us", tz="UTC")),
        pa.field("last_at", pa.timestamp("us", tz="UTC")),
        pa.field("max_reject_share", pa.float64()),
        pa.field("earliest_year", pa.int64()),
        pa.field("read_at", pa.timestamp("us", tz="UTC")),
        pa.field("is_deleted", pa.bool_()),
    ]
)
_FILES_DDL = (
    "file varchar not null, system varchar, entity varchar, rows_received bigint, "
    "rows_loaded bigint, rows_rejected bigint, is_refused boolean, refusal varchar, "
    "first_at timestamp with time zone, last_at timestamp with time zone, "
    "max_reject_share double, earliest_year bigint, read_at timestamp with time zone, "
    "is_deleted boolean"
)

# The columns of ingest_values: the vendor values of enumerated columns (channels,
# statuses, stages, account types) and what the value maps made of them.
VALUES_SCHEMA = pa.schema(
    [
        pa.field("value_id", pa.string(), nullable=False),
        pa.field("file", pa.string()),
        pa.field("entity", pa.string()),
        pa.field("column_name", pa.string()),
        pa.field("source_column", pa.string()),
        pa.field("vendor_value", pa.string()),
        pa.field("mapped_to", pa.string()),
        pa.field("is_mapped", pa.bool_()),
        pa.field("value_map", pa.string()),
        pa.field("rows", pa.int64()),
        pa.field("read_at", pa.timestamp("us", tz="UTC")),
    ]
)
_VALUES_DDL = (
    "value_id varchar not null, file varchar, entity varchar, column_name varchar, "
    "source_column varchar, vendor_value varchar, mapped_to varchar, is_mapped boolean, "
    "value_map varchar, rows bigint, read_at timestamp with time zone"
)


def column_hints(entity: Entity) -> dict[str, dict[str, Any]]:
    """dlt column hints giving every canonical column its raw type, even when all NULL."""
    hints: dict[str, dict[str, Any]] = {}
    for column in entity.columns:
        hint: dict[str, Any] = {"data_type": DLT_TYPES[column.type], "nullable": True}
        if column.type == contract.TIMESTAMP:
            hint["timezone"] = True
        hints[column.name] = hint
    # NULL while the row is in the exports; when it disappeared otherwise (flows.ingest.deleted)
    hints[DELETED_AT] = {"data_type": "timestamp", "timezone": True, "nullable": True}
    return hints


def reject_id(reject: Reject) -> str:
    """The primary key of a reject: a stable hash of file, line, column and reason."""
    text = "\x1f".join([reject.file, str(reject.line or ""), reject.column or "", reject.reason])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def ensure_contract_tables(warehouse: Path) -> list[str]:
    """Create, empty, every raw table of the contract that no export file produced.

    A company may export no support data, or no reviews: the dbt sources must still
    find every canonical table with its canonical columns. dlt adds its own columns
    to such a table when a file for it appears later. Returns the tables created.
    """
    created = []
    with duckdb.connect(str(warehouse)) as con:
        existing = {
            (schema, table)
            for schema, table in con.execute(
                "select schema_name, table_name from duckdb_tables()"
            ).fetchall()
        }
        for system in settings.SYSTEMS:
            dataset = settings.raw_dataset(system)
            con.execute(f"create schema if not exists {dataset}")
            tables = {
                entity.name: ", ".join(
                    f"{column.name} {DUCKDB_TYPES[column.type]}" for column in entity.columns
                )
                + f", _dlt_load_id varchar, _dlt_id varchar, {DELETED_AT} timestamp with time zone"
                for entity in contract.ENTITIES
                if entity.system == system
            }
            tables[settings.REJECTS_TABLE] = _REJECTS_DDL
            tables[settings.FILES_TABLE] = _FILES_DDL
            tables[settings.VALUES_TABLE] = _VALUES_DDL
            for table, ddl in tables.items():
                if (dataset, table) not in existing:
                    con.execute(f"create table {dataset}.{table} ({ddl})")
                    # no vendor file is the common case: not worth telling
                    if table != settings.VALUES_TABLE:
                        created.append(f"{dataset}.{table}")
                elif table not in (
                    settings.REJECTS_TABLE,
                    settings.FILES_TABLE,
                    settings.VALUES_TABLE,
                ):
                    # a table of a warehouse built before rows could be marked deleted
                    con.execute(
                        f"alter table {dataset}.{table} add column if not exists "
                        f"{DELETED_AT} timestamp with time zone"
                    )
            # a warehouse loaded before rejects had a reason code: add the column
            columns = {
                name
                for (name,) in con.execute(
                    "select column_name from duckdb_columns() "
                    "where schema_name = ? and table_name = ?",
                    [dataset, settings.REJECTS_TABLE],
                ).fetchall()
            }
            if "reason_code" not in columns:
                con.execute(
                    f"alter table {dataset}.{settings.REJECTS_TABLE} add column reason_code varchar"
                )
        if (freshness.SCHEMA, freshness.TABLE) not in existing:
            freshness.ensure_table(con)
    if created:
        log.info("no export file for %s: created empty", ", ".join(created))
    return created
