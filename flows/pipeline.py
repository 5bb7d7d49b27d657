"""Prefect flows: thin wiring of the stages, for schedules, retries and logs.

Each task calls one plain function of a stage (flows/ingest, flows/intent,
flows/transform, flows/health, flows/brief); the flows only chain them. Paths default
to the configuration of flows/settings.py (environment variables), so the same
deployments run on the demo or on a company's own exports.

The warehouse path names the *published* file analysts and briefs open. The flows
that write (ingest, transform, refresh) hold the warehouse for writing
(`flows.warehouse.session.writing`: one run at a time, a working copy) and publish it
when the outermost of them succeeds; `pipeline` keeps the writer lock until its brief,
rendered from the file it just published, is written.

Each source (shop, crm, support) is loaded by its own task, retried when it fails: a
source still failing after its retries fails its task, the others load, the run goes
on (transform, publication, brief, which names the stale source) and then fails with
SourceFailedError, so the failure shows in Prefect and in the exit code.

The data health check (flows/health) follows ingestion and the transform (on the
working copy, under the writer lock), and comes before every brief: a failure fails
the task, hence the flow (exit code 2 from the CLI), and nothing is published (analysts
keep the last data that passed; the working copy keeps the failed check for the next
run), unless `allow_partial` (the flows' parameter, `--allow-partial`, or
`allow_partial: true` in export-settings.yaml) lets the run go on, which the warehouse
records for the brief's cover.
"""

from __future__ import annotations

import json
from pathlib import Path

from prefect import flow, get_run_logger, task

from flows import faults, settings
from flows.brief import BriefError
from flows.brief.period import MonthError, month_range, resolve_month
from flows.brief.render import resolve_language
from flows.brief.write import write_brief
from flows.delivery import DeliveryError, artifacts
from flows.delivery.mail import compose, send
from flows.delivery.settings import Delivery, delivery_path, load_delivery
from flows.delivery.summary import Summary, brief_summary
from flows.health import DataHealthError
from flows.health.check import check_before_brief, check_ingest, check_transform
from flows.ingest.export_settings import load_export_settings
from flows.ingest.folder import scan_with_settings
from flows.ingest.freshness import new_run_id
from flows.ingest.run import IngestError, SourceFailedError, WarehouseBusyError, ingest_exports
from flows.intent.load import IntentError, load_intent
from flows.intent.model import Intent
from flows.intent.tables import write_intent_tables
from flows.transform.dbt import TransformError, company_timezone, run_dbt
from flows.warehouse.lock import WarehouseLockedError, writer_lock
from flows.warehouse.session import writing
from flows.warehouse.target import warehouse_location


def _path(value: str | Path | None, default: Path) -> Path:
    """A path argument (absolute), or a MotherDuck warehouse (`md:<database>`) as is."""
    return warehouse_location(value) if value else default


# Errors the user must fix: retrying them only delays the message. Another run writing
# the warehouse was already waited for (TERRAIN_LOCK_WAIT_SECONDS).
USER_ERRORS = (
    IngestError,
    IntentError,
    TransformError,
    BriefError,
    MonthError,
    WarehouseLockedError,
    DataHealthError,
    DeliveryError,
)


def _transient(task, task_run, state) -> bool:
    """Retry what may pass by itself (the warehouse file held by another process, a
    source that could not be loaded)."""
    try:
        state.result()
    except (WarehouseBusyError, SourceFailedError):
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
@task(
    retries=2,
    retry_delay_seconds=10,
    retry_condition_fn=_transient,
    task_run_name="ingest-{system}",
)
def ingest_source_task(
    exports_dir: Path, database: Path, system: str, run_id: str
) -> dict[str, dict[str, int]]:
    """Load one source (system) of the export folder."""
    logger = get_run_logger()
    report = ingest_exports(
        exports_dir, database, progress=logger.info, systems=[system], run_id=run_id
    )
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


@task
def files_artifact_task(warehouse: Path) -> list[dict[str, object]]:
    """The `ingest-files` artifact: rows received, loaded and rejected per export file."""
    return artifacts.publish_files(warehouse)


@task
def load_delivery_task(send: bool | None) -> Delivery | None:
    """The delivery settings when the brief is to be sent: `send` True requires them,
    None sends when they exist, False never sends. Read before rendering, so a wrong
    setting fails the run before any work."""
    if send is False:
        return None
    delivery = load_delivery()
    if delivery is None and send:
        raise DeliveryError(
            f"sending the brief was asked for, but there are no delivery settings at "
            f"{delivery_path()}: write that file (README, 'Delivery by e-mail') or set "
            "TERRAIN_DELIVERY to yours."
        )
    if delivery is None:
        get_run_logger().info("no %s: the brief is written, not sent", delivery_path().name)
    return delivery


@task
def brief_artifacts_task(outputs: list[str], lang: str | None) -> Summary:
    """The `brief-summary` and `brief-pdf` artifacts; returns the summary for the mail."""
    pdf, findings_path = (Path(p) for p in outputs)
    findings = json.loads(findings_path.read_text(encoding="utf-8"))
    summary = brief_summary(
        findings, resolve_language(findings, lang), [pdf.name, findings_path.name]
    )
    artifacts.publish_brief(summary.markdown, pdf, findings["month"])
    return summary


def _delivery_may_pass(task, task_run, state) -> bool:
    """Retry a send only when the server may take it later (unreachable, 4xx)."""
    try:
        state.result()
    except DeliveryError as error:
        return error.transient
    except Exception:
        return False
    return False


@task(retry_condition_fn=_delivery_may_pass)
def send_brief_task(delivery: Delivery, summary: Summary, outputs: list[str]) -> None:
    """E-mail the brief to the recipients of delivery.yaml."""
    files = [Path(outputs[0])] + ([Path(outputs[1])] if delivery.mail.attach_json else [])
    send(delivery.mail, compose(delivery.mail, summary.subject, summary.markdown, files))


def _ingest_sources(exports_dir: Path, database: Path) -> dict[str, dict[str, int]]:
    """One task per source; SourceFailedError at the end when some could not load."""
    systems = scan_with_settings(exports_dir).systems()
    if not systems:
        # no source at all: the plain function says what the folder should hold
        return ingest_exports(exports_dir, database).as_dict()
    run_id = new_run_id()
    delay = settings.retry_delay_seconds()
    counts: dict[str, dict[str, int]] = {}
    failures: dict[str, str] = {}
    errors: list[IngestError] = []
    for system in systems:
        state = ingest_source_task.with_options(retry_delay_seconds=delay)(
            exports_dir, database, system, run_id, return_state=True
        )
        try:
            counts.update(state.result())
        except SourceFailedError as error:
            failures.update(error.failures)
            if error.report is not None:
                counts.update(error.report.as_dict())
        except IngestError as error:
            errors.append(error)
    if errors:
        # a file the user must fix stops the run (after every source was tried)
        raise errors[0] if len(errors) == 1 else IngestError("\n".join(map(str, errors)))
    if failures:
        reasons = "\n".join(f"  {system}: {reason}" for system, reason in failures.items())
        raise SourceFailedError(
            f"{len(failures)} source(s) could not be loaded after their retries; the others "
            f"were, and the warehouse keeps their last loaded data (stale):\n{reasons}",
            failures=failures,
        )
    return counts


@flow(name="ingest", log_prints=False)
def ingest_flow(
    exports_dir: str | None = None, warehouse: str | None = None, allow_partial: bool = False
) -> dict:
    """Load the export folder into the raw datasets (merge on primary keys), then check
    the data's health. allow_partial: go on (and say so) when the check fails.

    A source that could not be loaded does not stop the others: the check judges what
    loaded, the warehouse is published, then the run fails with SourceFailedError."""
    published = _path(warehouse, settings.warehouse_path())
    exports = _path(exports_dir, settings.exports_path())
    with writing(published, "terrain ingest", publish_despite=(SourceFailedError,)) as database:
        stale: SourceFailedError | None = None
        try:
            counts = _ingest_sources(exports, database)
        except SourceFailedError as error:
            stale, counts = error, {}
        files_artifact_task(database)
        check_ingest_task(database, exports, allow_partial)
        if stale is not None:
            raise stale
        return counts


@flow(name="transform")
def transform_flow(
    intent_file: str | None = None, warehouse: str | None = None, allow_partial: bool = False
) -> None:
    """Validate and load the intent file, build and test every dbt model, then check
    the amounts left without an exchange rate."""
    published = _path(warehouse, settings.warehouse_path())
    with writing(published, "terrain transform") as database:
        intent = validate_intent_task(_path(intent_file, settings.intent_path()))
        write_intent_task(intent, database)
        faults.reached("transform.intent-written")
        build_models_task(database)
        faults.reached("transform.built")
        check_transform_task(database, allow_partial)


@flow(name="brief")
def brief_flow(
    month: str | None = None,
    warehouse: str | None = None,
    out_dir: str | None = None,
    lang: str | None = None,
    allow_partial: bool = False,
    send: bool | None = None,
) -> list[str]:
    """Render the PDF brief and its findings JSON for one month, publish its artifacts and
    e-mail it.

    month: YYYY-MM, `latest` (last complete month of the shop orders) or empty for the
    previous calendar month (what the monthly schedule wants). Reads the published
    warehouse only: it never waits for a run that is writing. Refuses data whose latest
    health check failed, unless that check or allow_partial allowed it.
    send: True e-mails the brief as delivery.yaml says (and fails without it), None (the
    schedule's default) e-mails it when delivery.yaml exists, False never does. A send
    that fails after its retries fails the run; the brief stays written.
    """
    warehouse_file = _path(warehouse, settings.warehouse_path())
    delivery = load_delivery_task(send)
    check_before_brief_task(warehouse_file, allow_partial)
    resolved = resolve_month(month, warehouse_file, company_timezone(warehouse_file))
    get_run_logger().info("brief for %s", resolved)
    outputs = render_brief_task(
        warehouse_file, resolved, _path(out_dir, settings.briefs_path()), lang
    )
    summary = brief_artifacts_task(outputs, lang)
    if delivery is not None:
        send_brief_task.with_options(
            retries=delivery.mail.retries, retry_delay_seconds=delivery.mail.retry_delay_seconds
        )(delivery, summary, outputs)
    return outputs


@flow(name="briefs")
def briefs_flow(
    month_from: str,
    month_to: str,
    warehouse: str | None = None,
    out_dir: str | None = None,
    lang: str | None = None,
    allow_partial: bool = False,
) -> list[str]:
    """Backfill: the brief of every month from `month_from` to `month_to` (YYYY-MM, both
    included). Each month's pair is written whole; running it again rewrites the same
    files. Refuses data whose latest health check failed, as `brief_flow` does."""
    warehouse_file = _path(warehouse, settings.warehouse_path())
    check_before_brief_task(warehouse_file, allow_partial)
    out = _path(out_dir, settings.briefs_path())
    months = month_range(month_from, month_to, warehouse_file)
    get_run_logger().info("briefs for %s to %s (%d months)", months[0], months[-1], len(months))
    outputs: list[str] = []
    for month in months:
        outputs += render_brief_task(warehouse_file, month, out, lang)
    return outputs


@flow(name="refresh")
def refresh_flow(
    exports_dir: str | None = None,
    intent_file: str | None = None,
    warehouse: str | None = None,
    allow_partial: bool = False,
) -> None:
    """Nightly: ingest then transform, each followed by its data health check, then
    publish for analysts.

    A source that could not be loaded does not stop the others nor the transform: the
    warehouse is rebuilt and published with its last loaded data, then the run fails.
    A failed health check stops the run and publishes nothing.
    """
    published = _path(warehouse, settings.warehouse_path())
    with writing(published, "terrain refresh", publish_despite=(SourceFailedError,)):
        stale: SourceFailedError | None = None
        try:
            ingest_flow(exports_dir, warehouse, allow_partial)
        except SourceFailedError as error:
            stale = error
        transform_flow(intent_file, warehouse, allow_partial)
        if stale is not None:
            raise stale


@flow(name="pipeline")
def pipeline_flow(
    exports_dir: str | None = None,
    intent_file: str | None = None,
    warehouse: str | None = None,
    month: str | None = "latest",
    out_dir: str | None = None,
    lang: str | None = None,
    allow_partial: bool = False,
    send: bool | None = False,
) -> list[str]:
    """Everything: ingest, transform (each with its data health check), publish, brief
    (from the published file), and its e-mail when `send` (as for `brief_flow`)."""
    published = _path(warehouse, settings.warehouse_path())
    # the lock stays held until the brief is written: no other run publishes in between
    with writer_lock(published, command="terrain run"):
        stale: SourceFailedError | None = None
        try:
            refresh_flow(exports_dir, intent_file, warehouse, allow_partial)
        except SourceFailedError as error:
            stale = error
        outputs = brief_flow(month, warehouse, out_dir, lang, allow_partial, send)
        if stale is not None:
            raise stale
        return outputs
