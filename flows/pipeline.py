"""Prefect flows: thin wiring of the stages, for schedules, retries and logs.

Each task calls one plain function of a stage (flows/ingest, flows/intent,
flows/transform, flows/brief); the flows only chain them. Paths default to
the configuration of flows/settings.py (environment variables), so the same
deployments run on the demo or on a company's own exports.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task

from flows import settings
from flows.brief import BriefError
from flows.brief.period import MonthError, resolve_month
from flows.brief.write import write_brief
from flows.ingest.run import IngestError, WarehouseBusyError, ingest_exports
from flows.intent.load import IntentError, load_intent
from flows.intent.model import Intent
from flows.intent.tables import write_intent_tables
from flows.transform.dbt import TransformError, company_timezone, run_dbt


def _path(value: str | Path | None, default: Path) -> Path:
    return Path(value).expanduser().resolve() if value else default


# Errors the user must fix: retrying them only delays the message.
USER_ERRORS = (IngestError, IntentError, TransformError, BriefError, MonthError)


def _transient(task, task_run, state) -> bool:
    """Retry what may pass by itself (the warehouse file held by another process)."""
    try:
        state.result()
    except WarehouseBusyError:
        return True
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
    for line in report.summary():
        logger.info(line)
    return report.as_dict()


@task
def validate_intent_task(intent_file: Path) -> Intent:
    return load_intent(intent_file)


@task(retries=2, retry_delay_seconds=10, retry_condition_fn=_transient)
def write_intent_task(intent: Intent, warehouse: Path) -> dict[str, int]:
    return write_intent_tables(intent, warehouse, progress=get_run_logger().info)


@task(retries=1, retry_delay_seconds=10, retry_condition_fn=_transient)
def build_models_task(warehouse: Path) -> None:
    run_dbt(warehouse, ("build",), progress=get_run_logger().info)


@task(retries=1, retry_delay_seconds=10, retry_condition_fn=_transient)
def render_brief_task(warehouse: Path, month: str, out_dir: Path, lang: str | None) -> list[str]:
    pdf, findings = write_brief(warehouse, month, out_dir, lang)
    get_run_logger().info("brief written: %s and %s", pdf, findings)
    return [str(pdf), str(findings)]


@flow(name="ingest", log_prints=False)
def ingest_flow(exports_dir: str | None = None, warehouse: str | None = None) -> dict:
    """Load the export folder into the raw datasets (merge on primary keys)."""
    return ingest_exports_task(
        _path(exports_dir, settings.exports_path()), _path(warehouse, settings.warehouse_path())
    )


@flow(name="transform")
def transform_flow(intent_file: str | None = None, warehouse: str | None = None) -> None:
    """Validate and load the intent file, then build and test every dbt model."""
    warehouse_file = _path(warehouse, settings.warehouse_path())
    intent = validate_intent_task(_path(intent_file, settings.intent_path()))
    write_intent_task(intent, warehouse_file)
    build_models_task(warehouse_file)


@flow(name="brief")
def brief_flow(
    month: str | None = None,
    warehouse: str | None = None,
    out_dir: str | None = None,
    lang: str | None = None,
) -> list[str]:
    """Render the PDF brief and its findings JSON for one month.

    month: YYYY-MM, `latest` (last complete month of data) or empty for the
    previous calendar month (what the monthly schedule wants).
    """
    warehouse_file = _path(warehouse, settings.warehouse_path())
    resolved = resolve_month(month, warehouse_file, company_timezone(warehouse_file))
    get_run_logger().info("brief for %s", resolved)
    return render_brief_task(warehouse_file, resolved, _path(out_dir, settings.briefs_path()), lang)


@flow(name="refresh")
def refresh_flow(
    exports_dir: str | None = None, intent_file: str | None = None, warehouse: str | None = None
) -> None:
    """Nightly: ingest then transform."""
    ingest_flow(exports_dir, warehouse)
    transform_flow(intent_file, warehouse)


@flow(name="pipeline")
def pipeline_flow(
    exports_dir: str | None = None,
    intent_file: str | None = None,
    warehouse: str | None = None,
    month: str | None = "latest",
    out_dir: str | None = None,
    lang: str | None = None,
) -> list[str]:
    """Everything: ingest, transform, brief."""
    refresh_flow(exports_dir, intent_file, warehouse)
    return brief_flow(month, warehouse, out_dir, lang)
