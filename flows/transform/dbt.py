"""Run the dbt project (transforms/) against one DuckDB warehouse.

`run_dbt` is the one entry point the flows, the CLI and the tests use: it runs dbt
in-process (dbtRunner), points the profile at the warehouse through
TERRAIN_WAREHOUSE, keeps dbt's target/ and logs/ in the warehouse's state folder
instead of in the repository, and turns any model error or failing test into a TransformError
that names the nodes and their messages. When it returns, the warehouse file is
closed again, so the caller (or another process) can open it.

A test that warns (`severity: warn`) does not stop the build, but must be seen: each
one is logged (test, model, rows found) and stored in `raw_health.test_warnings`
(the last build's only), which the brief's appendix reads through
`report.rpt_brief__test_warnings`; `run_dbt` returns them.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from flows.health.store import TestWarning, ensure_health_tables, record_test_warnings
from flows.settings import TRANSFORMS_DIR, run_date
from flows.warehouse.paths import WarehousePaths
from flows.warehouse.target import dbt_target, is_motherduck, warehouse_location

log = logging.getLogger(__name__)

# Events whose message is one line of progress ("1 of 80 OK created sql view model ...").
# Test results are left out (hundreds of lines): failures raise, and StatsLine counts them.
PROGRESS_EVENTS = frozenset(
    {
        "LogModelResult",
        "LogSeedResult",
        "LogSnapshotResult",
        "LogFreshnessResult",
        "SkippingDetails",
        "MainReportVersion",
        "StatsLine",
    }
)
FAILED_STATUSES = frozenset({"error", "fail", "runtime error"})


class TransformError(RuntimeError):
    """dbt failed: `failures` lists (node name, message) of every failing node."""

    def __init__(self, message: str, failures: Sequence[tuple[str, str]] = ()) -> None:
        self.failures = list(failures)
        details = "".join(f"\n  - {node}: {text}" for node, text in self.failures)
        super().__init__(message + details)


def dbt_work_dir(warehouse: Path) -> Path:
    """Where dbt's target/ and logs/ go for this warehouse: its state folder (of the
    warehouse it is the working copy of), outside the repository, shared with no other."""
    return WarehousePaths.owning(warehouse).dbt_dir


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    previous = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _node_name(result: Any) -> str:
    node = getattr(result, "node", None)
    return getattr(node, "unique_id", None) or getattr(node, "name", None) or "unknown node"


def _failures(result: Any) -> list[tuple[str, str]]:
    """(node, message) for every result of a dbt run whose status is an error or a failure."""
    failures = []
    for node_result in getattr(result, "results", None) or []:
        status = str(getattr(node_result, "status", "")).lower()
        if status.split(".")[-1] in FAILED_STATUSES:
            message = getattr(node_result, "message", None) or status
            failures.append((_node_name(node_result), str(message).strip()))
    return failures


def _test_warnings(result: Any) -> list[TestWarning]:
    """The tests of a dbt run whose status is `warn`: test, model tested, rows found."""
    warnings = []
    for node_result in getattr(result, "results", None) or []:
        if str(getattr(node_result, "status", "")).lower().split(".")[-1] != "warn":
            continue
        node = node_result.node
        attached = getattr(node, "attached_node", None)  # "model.terrain.stg_shop__orders"
        warnings.append(
            TestWarning(
                test_id=_node_name(node_result),
                test_name=getattr(node, "name", "") or _node_name(node_result),
                model=attached.split(".")[-1] if attached else None,
                failing_rows=getattr(node_result, "failures", None),
                message=str(getattr(node_result, "message", "") or "").strip(),
            )
        )
    return sorted(warnings, key=lambda w: (w.model or "", w.test_name))


def _release_warehouse() -> None:
    """Close the DuckDB instance dbt-duckdb keeps open in this process after a run.

    Without this, the warehouse stays open read-write inside the process, so a later
    `duckdb.connect(warehouse, read_only=True)` (the brief, a test) fails with "different
    configuration", and other processes cannot open the file.
    """
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # pragma: no cover - dbt-duckdb is a dependency
        return
    environment = DuckDBConnectionManager._ENV
    if environment is not None:
        try:
            environment.close()
        finally:
            DuckDBConnectionManager.close_all_connections()


def company_timezone(warehouse: Path) -> str:
    """The company's time zone from the loaded intent file (UTC before any is loaded)."""
    if not is_motherduck(warehouse) and not Path(warehouse).exists():
        return "UTC"
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            row = con.execute("select timezone from raw_intent.company").fetchone()
    except duckdb.CatalogException:
        return "UTC"
    return row[0] if row and row[0] else "UTC"


def run_dbt(
    warehouse: Path,
    args: Sequence[str] = ("build",),
    progress: Callable[[str], None] | None = None,
    warn: Callable[[str], None] | None = None,
) -> list[TestWarning]:
    """Run `dbt <args>` on the DuckDB file `warehouse`; raise TransformError on any failure.

    `progress`, when given, receives one line per finished node (and the summary);
    `warn` (default: this module's logger) one line per test that warned. Returns those
    tests (stored in raw_health.test_warnings when tests ran).
    """
    from dbt.cli.main import dbtRunner  # slow import: only when dbt actually runs

    warehouse = warehouse_location(warehouse)
    work_dir = dbt_work_dir(warehouse)
    work_dir.mkdir(parents=True, exist_ok=True)

    def on_event(event: Any) -> None:
        if progress is not None and event.info.name in PROGRESS_EVENTS:
            progress(event.info.msg)

    cli_args = [
        *args,
        # With a progress callback dbt's own console output would print every line twice.
        *(["--quiet"] if progress is not None else []),
        "--target",
        dbt_target(warehouse),
        "--project-dir",
        str(TRANSFORMS_DIR),
        "--profiles-dir",
        str(TRANSFORMS_DIR),
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
    ]
    environment = {
        "TERRAIN_WAREHOUSE": str(warehouse),
        "TERRAIN_TIMEZONE": company_timezone(warehouse),
        # the day of the run: no month after it is complete (int_months_spanned)
        "TERRAIN_TODAY": run_date().isoformat(),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_VERSION_CHECK": "false",
        "DBT_PARTIAL_PARSE": "true",
    }
    log.info("dbt %s on %s", " ".join(args), warehouse)
    if warehouse.exists():
        # the raw_health tables are dbt sources: a warehouse never checked has none yet
        with duckdb.connect(str(warehouse)) as con:
            ensure_health_tables(con)
    with _environment(environment):
        try:
            result = dbtRunner(callbacks=[on_event]).invoke(cli_args)
        finally:
            _release_warehouse()

    warnings = _test_warnings(result.result)
    ran_tests = any(
        getattr(getattr(r, "node", None), "resource_type", "") == "test"
        for r in getattr(result.result, "results", None) or []
    )
    if ran_tests:
        with duckdb.connect(str(warehouse)) as con:
            record_test_warnings(con, warnings, dt.datetime.now(dt.UTC))
    for warning in warnings:
        (warn or log.warning)(f"{warning.line()} ({warning.message})")
    if result.success:
        return warnings
    failures = _failures(result.result)
    if result.exception is not None:
        raise TransformError(
            f"dbt {' '.join(args)} could not run on {warehouse}: {result.exception}", failures
        ) from result.exception
    raise TransformError(
        f"dbt {' '.join(args)} failed on {warehouse} "
        f"({len(failures)} failing node(s); dbt logs in {work_dir / 'logs'})",
        failures,
    )
