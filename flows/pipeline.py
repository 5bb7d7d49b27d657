"""Prefect flows: thin wiring of the stages, for schedules, retries and logs.

Each task calls one plain function of a stage (flows/ingest, flows/intent,
flows/transform, flows/health, flows/brief); the flows only chain them. Paths default
to the configuration of flows/settings.py (environment variables), so the same
deployments run on the demo or on a company's own exports.

The data health check (flows/health) follows ingestion and the transform, and comes
before every brief: a failure fails the task, hence the flow (exit code 2 from the
CLI), unless `allow_partial` (the flows' parameter, `--allow-partial`, or
`allow_partial: true` in export-settings.yaml) lets the run go on, which the warehouse
records for the brief's cover.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task

from flows import settings
from flows.brief import BriefError
from flows.brief.period import MonthError, resolve_month
from flows.brief.write import write_brief
from flows.health import DataHealthError
from flows.health.check import check_before_brief, check_ingest, check_transform
from flows.ingest.export_settings import load_export_settings
from flows.ingest.run import IngestError, WarehouseBusyError, ingest_exports
from flows.intent.load import IntentError, load_intent
from flows.intent.model import Intent
from flows.intent.tables import write_intent_tables
from flows.transform.dbt import TransformError, company_timezone, run_dbt


def _path(value: str | Path | None, default: Path) -> Path:
    return Path(value).expanduser().resolve() if value else default


# Errors the user must fix: retrying them only delays the message.
USER_ERRORS = (IngestError, IntentError, TransformError, BriefError, MonthError, DataHealthError)


def _transient(task, task_run, state) -> bool:
    """Retry what may pass by itself (the warehouse file held by another process)."""
    try:
        state.result()
    except WarehouseBusyError:
        return True
    except DataHealthError:
        return False  # its message quotes the data, which may say "lock" or anything
    except USER_ERRORS as error:
        # dbt reports a held DuckDB file as a failed node: that one is worth a retry.
        return "lock" in str(error).lower()
    except Exception:
        return True
    return False


# I/O against the DuckDB file can fail transiently (another process holding the
# file lock), so the tasks that write it retry; the pure checks do not.
@task(retries=2, retry_delay_seconds=10, retry_condition_fn=_transient)
def ingest_exports_task(exports_dir: Path, warehouse: Path) -> dict[str, dict[str, int]]:
    logger = get_run_logger()
    report = ingest_exports(exports_dir, warehouse, progress=logger.info)
    for level, line in report.summary_levels():
        logger.log(level, line)
    return report.as_dict()


@task(retries=2, retry_delay_seconds=10, retry_condition_fn=_transient)
def check_ingest_task(warehouse: Path, exports_dir: Path, allow_partial: bool) -> bool:
    """The data health check of the raw layer; fails the flow unless partial data is allowed."""
    allowed = allow_partial or load_export_settings(exports_dir).allow_partial
    check = check_ingest(warehouse, allowed, exports_dir)
    _log_check(check.passed, check.message())
    return check.passed


@task(retries=2, retry_delay_seconds=10, retry_condition_fn=_transient)
def check_transform_task(warehouse: Path, allow_partial: bool) -> bool:
    """The data health check of the amounts the transform could not convert."""
    check = check_transform(warehouse, allow_partial)
    _log_check(check.passed, check.message())
    return check.passed


@task(retries=2, retry_delay_seconds=10, retry_condition_fn=_transient)
def check_before_brief_task(warehouse: Path, allow_partial: bool) -> None:
    """Refuse to render from data whose latest health check failed and was not allowed."""
    for message in check_before_brief(warehouse, allow_partial):
        _log_check(False, "rendering despite a failed data health check: " + message)


def _log_check(passed: bool, message: str) -> None:
    logger = get_run_logger()
    if passed:
        logger.info(message)
    else:
        for line in message.splitlines():
            logger.warning(line)


@task
def validate_intent_task(intent_file: Path) -> Intent:
    return load_intent(intent_file)


@task(retries=2, retry_delay_seconds=10, retry_condition_fn=_transient)
def write_intent_task(intent: Intent, warehouse: Path) -> dict[str, int]:
    return write_intent_tables(intent, warehouse, progress=get_run_logger().info)


@task(retries=1, retry_delay_seconds=10, retry_condition_fn=_transient)
def build_models_task(warehouse: Path) -> int:
    logger = get_run_logger()
    return len(run_dbt(warehouse, ("build",), progress=logger.info, warn=logger.warning))


@task(retries=1, retry_delay_seconds=10, retry_condition_fn=_transient)
def render_brief_task(warehouse: Path, month: str, out_dir: Path, lang: str | None) -> list[str]:
    pdf, findings = write_brief(warehouse, month, out_dir, lang)
    get_run_logger().info("brief written: %s and %s", pdf, findings)
    return [str(pdf), str(findings)]


@flow(name="ingest", log_prints=False)
def ingest_flow(
    exports_dir: str | None = None, warehouse: str | None = None, allow_partial: bool = False
) -> dict:
    """Load the export folder into the raw datasets (merge on primary keys), then check
    the data's health. allow_partial: go on (and say so) when the check fails."""
    exports = _path(exports_dir, settings.exports_path())
    warehouse_file = _path(warehouse, settings.warehouse_path())
    counts = ingest_exports_task(exports, warehouse_file)
    check_ingest_task(warehouse_file, exports, allow_partial)
    return counts


@flow(name="transform")
def transform_flow(
    intent_file: str | None = None, warehouse: str | None = None, allow_partial: bool = False
) -> None:
    """Validate and load the intent file, build and test every dbt model, then check
    the amounts left without an exchange rate."""
    warehouse_file = _path(warehouse, settings.warehouse_path())
    intent = validate_intent_task(_path(intent_file, settings.intent_path()))
    write_intent_task(intent, warehouse_file)
    build_models_task(warehouse_file)
    check_transform_task(warehouse_file, allow_partial)


@flow(name="brief")
def brief_flow(
    month: str | None = None,
    warehouse: str | None = None,
    out_dir: str | None = None,
    lang: str | None = None,
    allow_partial: bool = False,
) -> list[str]:
    """Render the PDF brief and its findings JSON for one month.

    month: YYYY-MM, `latest` (last complete month of the shop orders) or empty for the
    previous calendar month (what the monthly schedule wants). Refuses data whose latest
    health check failed, unless that check or allow_partial allowed it.
    """
    warehouse_file = _path(warehouse, settings.warehouse_path())
    check_before_brief_task(warehouse_file, allow_partial)
    resolved = resolve_month(month, warehouse_file, company_timezone(warehouse_file))
    get_run_logger().info("brief for %s", resolved)
    return render_brief_task(warehouse_file, resolved, _path(out_dir, settings.briefs_path()), lang)


@flow(name="refresh")
def refresh_flow(
    exports_dir: str | None = None,
    intent_file: str | None = None,
    warehouse: str | None = None,
    allow_partial: bool = False,
) -> None:
    """Nightly: ingest then transform, each followed by its data health check."""
    ingest_flow(exports_dir, warehouse, allow_partial)
    transform_flow(intent_file, warehouse, allow_partial)


@flow(name="pipeline")
def pipeline_flow(
    exports_dir: str | None = None,
    intent_file: str | None = None,
    warehouse: str | None = None,
    month: str | None = "latest",
    out_dir: str | None = None,
    lang: str | None = None,
    allow_partial: bool = False,
) -> list[str]:
    """Everything: ingest, transform, brief."""
    refresh_flow(exports_dir, intent_file, warehouse, allow_partial)
    return brief_flow(month, warehouse, out_dir, lang, allow_partial)
