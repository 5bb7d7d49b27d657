"""The report tables the brief reads, read one month at a time, read-only.

`TABLES` lists every `report.rpt_brief__*` table with its columns, read from their one
declaration: the enforced dbt contracts of transforms/models/report/_report__models.yml
(docs/architecture.md, section 4). `read_report` opens the warehouse read-only and
returns the company row, the coverage and freshness rows and the rows of one month of
every other table, as JSON-ready values, in the order the brief shows them (ordering only: ranks
come from SQL). Which of those values the findings carry is chosen in
`flows.brief.findings`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import yaml

from flows import shared_lists
from flows.brief import BriefError
from flows.settings import TRANSFORMS_DIR

REPORT_SCHEMA = "report"

# The contract between the dbt project and the brief: the report models and their
# columns, declared once, with their types, in the dbt project (enforced contracts).
REPORT_MODELS_FILE = TRANSFORMS_DIR / "models" / "report" / "_report__models.yml"


@dataclass(frozen=True)
class ReportColumn:
    name: str
    data_type: str  # as the contract declares it (DuckDB type)


def report_contract(path: Path = REPORT_MODELS_FILE) -> dict[str, tuple[ReportColumn, ...]]:
    """Every report model of the dbt project with its declared columns, in their order."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        model["name"]: tuple(
            ReportColumn(column["name"], column["data_type"]) for column in model["columns"]
        )
        for model in document["models"]
    }


CONTRACT = report_contract()

# Every table the brief reads, with its columns: all of them, as declared.
TABLES: dict[str, tuple[str, ...]] = {
    table: tuple(column.name for column in columns) for table, columns in CONTRACT.items()
}


def _by_signal_class() -> str:
    """Signals in the order of their classes (seed signal_classes): strong first."""
    classes = shared_lists.signal_classes()
    ranks = " ".join(
        f"when '{signal_class.id}' then {signal_class.rank}" for signal_class in classes
    )
    return f"case classification {ranks} else {len(classes) + 1} end"


# Ordering only (no ranking is computed here): the order rows are shown in.
ORDER_BY = {
    "rpt_brief__coverage": "system, entity",
    "rpt_brief__freshness": "source",
    "rpt_brief__data_checks": "checked_at",
    "rpt_brief__test_warnings": "model, test_name",
    "rpt_brief__data_health": "entity_position",
    "rpt_brief__identity_links": "entity_key",
    "rpt_brief__offers": "revenue desc nulls last, offer_id",
    "rpt_brief__figure_states": "offer_id, metric",
    "rpt_brief__gaps": "gap_rank nulls last, gap_id",
    "rpt_brief__experiments": "scope desc, recommendation_rank, item_id",
    "rpt_brief__decisions": "decision_date, decision_id, metric",
    "rpt_brief__signals": f"{_by_signal_class()}, recent_documents desc nulls last, theme_id",
    "rpt_brief__emerging_terms": "term_rank",
    "rpt_brief__verbatims": "theme_id, quote_rank",
    "rpt_brief__at_a_glance": "finding_rank",
}


@dataclass(frozen=True)
class ReportRows:
    """What the brief of one month reads from the warehouse."""

    company: dict[str, Any]  # the one row of rpt_brief__company
    coverage: list[dict[str, Any]]  # rpt_brief__coverage, every month
    months: dict[str, list[dict[str, Any]]]  # table -> its rows of the month
    freshness: list[dict[str, Any]]  # rpt_brief__freshness: every source, as of now
    data_checks: list[dict[str, Any]]  # rpt_brief__data_checks (latest check per stage)
    test_warnings: list[dict[str, Any]]  # rpt_brief__test_warnings (last build)
    data_health: list[dict[str, Any]]  # rpt_brief__data_health (per entity of the contract)
    identity_links: list[dict[str, Any]]  # rpt_brief__identity_links (per source naming customers)


def read_report(warehouse: Path, report_month: date) -> ReportRows:
    """The company row, the coverage and the month's rows of every report table."""
    con = connect(warehouse)
    try:
        check_tables(con, warehouse)
        company_rows = read_table(con, "rpt_brief__company")
        if not company_rows:
            raise BriefError(
                f"{REPORT_SCHEMA}.rpt_brief__company is empty in {warehouse}: "
                "run `terrain transform` first"
            )
        month_rows = {
            table: read_table(con, table, report_month)
            for table in TABLES
            if "report_month" in TABLES[table]
        }
        coverage = read_table(con, "rpt_brief__coverage")
        freshness = read_table(con, "rpt_brief__freshness")
        data_checks = read_table(con, "rpt_brief__data_checks")
        test_warnings = read_table(con, "rpt_brief__test_warnings")
        data_health = read_table(con, "rpt_brief__data_health")
        identity_links = read_table(con, "rpt_brief__identity_links")
    finally:
        con.close()
    return ReportRows(
        company_rows[0],
        coverage,
        month_rows,
        freshness,
        data_checks,
        test_warnings,
        data_health,
        identity_links,
    )


def to_json_value(value: Any) -> Any:
    """A warehouse value as JSON: dates as ISO strings, non-finite numbers as null."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list | tuple):
        return [to_json_value(item) for item in value]
    if isinstance(value, dict):
        return {key: to_json_value(item) for key, item in value.items()}
    return value


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only, so a brief never changes it."""
    if not warehouse.is_file():
        raise BriefError(
            f"warehouse {warehouse} does not exist: run `terrain run` (or `terrain load` "
            "then `terrain transform`) to build it, or pass the right --warehouse"
        )
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as error:
        raise BriefError(
            f"cannot open warehouse {warehouse} read-only ({error}); if another process "
            "is writing to it, wait for it to finish and try again"
        ) from error
    con.execute("set TimeZone = 'UTC'")
    return con


def check_tables(con: duckdb.DuckDBPyConnection, warehouse: Path) -> None:
    present = {  # tables and views
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables where table_schema = ?",
            [REPORT_SCHEMA],
        ).fetchall()
    }
    missing = [name for name in TABLES if name not in present]
    if missing:
        listed = ", ".join(f"{REPORT_SCHEMA}.{name}" for name in missing)
        raise BriefError(
            f"warehouse {warehouse} has no report table {listed}: run `terrain transform` first"
        )


def read_table(
    con: duckdb.DuckDBPyConnection, table: str, month: date | None = None
) -> list[dict[str, Any]]:
    """Rows of one report table (of one month when the table has a month)."""
    columns = TABLES[table]
    sql = f"select {', '.join(columns)} from {REPORT_SCHEMA}.{table}"
    params: list[Any] = []
    if "report_month" in columns:
        sql += " where report_month = ?"
        params.append(month)
    if table in ORDER_BY:
        sql += f" order by {ORDER_BY[table]}"
    try:
        rows = con.execute(sql, params).fetchall()
    except duckdb.Error as error:
        raise BriefError(
            f"{REPORT_SCHEMA}.{table} does not match what the brief reads ({error}); "
            "the warehouse may come from another version: run `terrain transform` again"
        ) from error
    return [{c: to_json_value(v) for c, v in zip(columns, row, strict=True)} for row in rows]
