"""How the export contract is stored in the raw layer (`raw_shop`, `raw_crm`, `raw_support`).

One table per entity, with the contract's columns and types (text -> VARCHAR,
integer -> BIGINT, decimal -> DOUBLE, timestamp -> TIMESTAMP WITH TIME ZONE), given
to dlt as column hints so that a column is typed even when every value is NULL; and
one `ingest_rejects` table per schema, whose rows are `Reject`s keyed by `reject_id`.
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
}

# The DuckDB type of each contract type (the same types, for tables dlt did not create).
DUCKDB_TYPES: dict[str, str] = {
    contract.TEXT: "varchar",
    contract.INTEGER: "bigint",
    contract.DECIMAL: "double",
    contract.TIMESTAMP: "timestamp with time zone",
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
        pa.field("rejected_at", pa.timestamp("us", tz="UTC")),
    ]
)
_REJECTS_DDL = (
    "reject_id varchar not null, entity varchar, file varchar, line bigint, "
    "column_name varchar, value varchar, reason varchar, rejected_at timestamp with time zone"
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
            for table, ddl in tables.items():
                if (dataset, table) not in existing:
                    con.execute(f"create table {dataset}.{table} ({ddl})")
                    created.append(f"{dataset}.{table}")
                elif table != settings.REJECTS_TABLE:
                    # a table of a warehouse built before rows could be marked deleted
                    con.execute(
                        f"alter table {dataset}.{table} add column if not exists "
                        f"{DELETED_AT} timestamp with time zone"
                    )
        if (freshness.SCHEMA, freshness.TABLE) not in existing:
            freshness.ensure_table(con)
    if created:
        log.info("no export file for %s: created empty", ", ".join(created))
    return created
