"""When each source was last loaded, and whether its last attempt failed.

Every ingestion records one row per system it tried in `raw_ingest.source_loads`
(appended, never rewritten): the run it belongs to, when it started and finished,
whether the system loaded, the counts, and for a failure the reason (redacted and
bounded like reject reasons). dbt turns it into `marts.fct_source_freshness` (one
row per source: last load, last attempt, stale or not, since when) and the brief
says which source is stale.

A source is stale when the latest ingestion run did not load it: its load failed, or
its folder was not there. Its data are then those of its last successful load, and
the brief says since when.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from flows.ingest.rejects import stored_reason
from flows.ingest.report import EntityStats

SCHEMA = "raw_ingest"
TABLE = "source_loads"
LOADED, FAILED = "loaded", "failed"

# The columns of raw_ingest.source_loads and their DuckDB types.
COLUMNS: dict[str, str] = {
    "run_id": "varchar not null",
    "source": "varchar not null",
    "started_at": "timestamp with time zone not null",
    "finished_at": "timestamp with time zone not null",
    "status": "varchar not null",
    "files_read": "bigint",
    "files_unchanged": "bigint",
    "rows_loaded": "bigint",
    "rows_rejected": "bigint",
    "rows_deleted": "bigint",
    "error": "varchar",
}


def new_run_id() -> str:
    """The id shared by the attempts of one ingestion run (all its systems)."""
    return uuid.uuid4().hex


@dataclass(frozen=True)
class SourceAttempt:
    """One system tried by one ingestion run."""

    run_id: str
    source: str
    started_at: datetime
    finished_at: datetime
    status: str
    stats: tuple[EntityStats, ...] = ()
    error: str | None = None


def ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    """Create raw_ingest.source_loads when it does not exist yet."""
    con.execute(f"create schema if not exists {SCHEMA}")
    columns = ", ".join(f"{name} {type_}" for name, type_ in COLUMNS.items())
    con.execute(f"create table if not exists {SCHEMA}.{TABLE} ({columns})")


def record_attempt(warehouse: Path, attempt: SourceAttempt) -> None:
    """Append `attempt` to raw_ingest.source_loads of `warehouse`."""
    stats = attempt.stats
    with duckdb.connect(str(warehouse)) as con:
        ensure_table(con)
        con.execute(
            f"insert into {SCHEMA}.{TABLE} ({', '.join(COLUMNS)}) "
            f"values ({', '.join('?' for _ in COLUMNS)})",
            [
                attempt.run_id,
                attempt.source,
                attempt.started_at,
                attempt.finished_at,
                attempt.status,
                sum(s.files_read for s in stats),
                sum(s.files_skipped_unchanged for s in stats),
                sum(s.rows_loaded for s in stats),
                sum(s.rows_rejected for s in stats),
                sum(s.rows_deleted for s in stats),
                stored_reason(attempt.error) if attempt.error else None,
            ],
        )
