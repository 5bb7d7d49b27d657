"""The `raw_health` tables: the record of every data health check and the dbt test warnings.

Written by Terrain itself (not by dlt), read by dbt through `staging.stg_health__*` and
by the report views `report.rpt_brief__data_checks` and `report.rpt_brief__test_warnings`
(views, so a brief always sees the latest record, even one written after the build):

| table | one row per | columns |
|---|---|---|
| checks | data health check | check_id, stage (`ingest`, `transform`), checked_at, run_date, allow_partial, passed, failure_count, message |
| check_failures | problem found by a check | check_id, failure_number, rule, system, entity, file, rows_received, rows_loaded, rows_rejected, rows_excluded, share, threshold, top_reason_code, message |
| test_warnings | dbt test that warned in the last build | test_id, test_name, model, failing_rows, message, warned_at |
| contract_entities | entity of the export contract | system, entity, position, is_required, is_event, date_column, date_type |

`checks` and `check_failures` keep every check (the history operations may want);
`test_warnings` holds only the last build's warnings; `contract_entities` is the export
contract (`flows.ingest.contract`) as data, rewritten every time, so the warehouse's
health report lists every entity, with a file or without.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import duckdb

from flows.ingest import contract
from flows.settings import HEALTH_DATASET

if TYPE_CHECKING:
    from flows.health.check import HealthCheck

TABLES: dict[str, str] = {
    "checks": (
        "check_id varchar not null, stage varchar, checked_at timestamp with time zone, "
        "run_date date, allow_partial boolean, passed boolean, failure_count bigint, "
        "message varchar"
    ),
    "check_failures": (
        "check_id varchar not null, failure_number bigint, rule varchar, system varchar, "
        "entity varchar, file varchar, rows_received bigint, rows_loaded bigint, "
        "rows_rejected bigint, rows_excluded bigint, share double, threshold double, "
        "top_reason_code varchar, message varchar"
    ),
    "test_warnings": (
        "test_id varchar not null, test_name varchar, model varchar, failing_rows bigint, "
        "message varchar, warned_at timestamp with time zone"
    ),
}


def ensure_health_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the `raw_health` schema and tables when missing (the dbt sources need them),
    and write `contract_entities` again."""
    con.execute(f"create schema if not exists {HEALTH_DATASET}")
    for table, ddl in TABLES.items():
        con.execute(f"create table if not exists {HEALTH_DATASET}.{table} ({ddl})")
    con.execute(
        f"create or replace table {HEALTH_DATASET}.contract_entities (system varchar, "
        "entity varchar, position bigint, is_required boolean, is_event boolean, "
        "date_column varchar, date_type varchar)"
    )
    rows = []
    for position, entity in enumerate(contract.ENTITIES):
        key = (entity.system, entity.name)
        date_column = contract.DATE_COLUMNS.get(key)
        rows.append(
            [
                entity.system,
                entity.name,
                position,
                key in contract.REQUIRED_ENTITIES,
                key in contract.EVENT_ENTITIES,
                date_column,
                entity.column_types[date_column] if date_column else None,
            ]
        )
    con.executemany(
        f"insert into {HEALTH_DATASET}.contract_entities values (?, ?, ?, ?, ?, ?, ?)", rows
    )


def record_check(con: duckdb.DuckDBPyConnection, check: HealthCheck) -> None:
    """Store one check and its failures."""
    ensure_health_tables(con)
    con.execute(
        f"insert into {HEALTH_DATASET}.checks values (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            check.check_id,
            check.stage,
            check.checked_at,
            check.run_date,
            check.allow_partial,
            check.passed,
            len(check.failures),
            check.message() if not check.passed else "passed",
        ],
    )
    for number, failure in enumerate(check.failures, start=1):
        con.execute(
            f"insert into {HEALTH_DATASET}.check_failures "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                check.check_id,
                number,
                failure.rule,
                failure.system,
                failure.entity,
                failure.file,
                failure.rows_received,
                failure.rows_loaded,
                failure.rows_rejected,
                failure.rows_excluded,
                failure.share,
                failure.threshold,
                failure.reasons[0].code if failure.reasons else None,
                failure.message(),
            ],
        )


@dataclass(frozen=True)
class RecordedCheck:
    """The latest check of one stage, as stored."""

    stage: str
    checked_at: dt.datetime
    allow_partial: bool
    passed: bool
    message: str


def latest_checks(con: duckdb.DuckDBPyConnection) -> list[RecordedCheck]:
    """The latest recorded check of each stage (none before the first check)."""
    try:
        rows = con.execute(
            "select stage, checked_at, allow_partial, passed, message "
            f"from {HEALTH_DATASET}.checks "
            "qualify row_number() over (partition by stage order by checked_at desc) = 1 "
            "order by checked_at"
        ).fetchall()
    except duckdb.CatalogException:  # a warehouse never checked
        return []
    return [RecordedCheck(*row) for row in rows]


@dataclass(frozen=True)
class TestWarning:
    """A dbt test that warned: which test, on which model, how many rows it found."""

    test_id: str
    test_name: str
    model: str | None
    failing_rows: int | None
    message: str

    def line(self) -> str:
        rows = "" if self.failing_rows is None else f", {self.failing_rows} row(s)"
        return f"dbt test warned: {self.test_name} on {self.model or 'its source'}{rows}"


def record_test_warnings(
    con: duckdb.DuckDBPyConnection, warnings: Sequence[TestWarning], warned_at: dt.datetime
) -> None:
    """Replace the stored test warnings with those of the last build."""
    ensure_health_tables(con)
    con.execute(f"delete from {HEALTH_DATASET}.test_warnings")
    rows: list[list[Any]] = [
        [w.test_id, w.test_name, w.model, w.failing_rows, w.message, warned_at] for w in warnings
    ]
    if rows:
        con.executemany(
            f"insert into {HEALTH_DATASET}.test_warnings values (?, ?, ?, ?, ?, ?)", rows
        )
