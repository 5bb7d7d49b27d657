"""Ingest a canonical export folder into the raw layer of the warehouse.

`ingest_exports` is what the CLI and the Prefect flow call. It runs one dlt pipeline
per system found in the folder (datasets `raw_shop`, `raw_crm`, `raw_support` in the
DuckDB file), each loading parquet files. The pipelines' working directories live
in the warehouse's state folder (`flows.warehouse.paths`), never in `~/.dlt` and
never shared by two warehouses.

Safe re-runs: unchanged files are skipped (see `flows.ingest.source`). A load
package left behind by a run that crashed or failed is aborted at the start of the
next run, with a warning: dlt then restores the state saved before that package, so
its files are simply read again. If the pipeline working directory is deleted, dlt
restores the state from the warehouse.

When the run ends in an `IngestError`, the per-entity counts of `IngestReport.summary`
are first told through the progress callback (or logged: INFO, WARNING for rejects
and files not loaded), since the caller gets no report to print.

Files refused whole (a required column missing, unreadable) do not stop the load: they
are counted, and the data health check that follows (`flows.health.check`) fails the
run for them, as for any file with too many rejected rows.

dlt merges through a `<dataset>_staging` schema; once the load is done those schemas
are dropped, so analysts see only the raw datasets (dlt creates them again when it
next merges).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import dlt
import duckdb
from dlt.pipeline.exceptions import PipelineStepFailed

from flows import faults, settings
from flows.ingest.export_settings import ExportSettings, ExportSettingsError, load_export_settings
from flows.ingest.folder import ExportFolder, scan_export_folder
from flows.ingest.freshness import FAILED, LOADED, SourceAttempt, new_run_id, record_attempt
from flows.ingest.raw_layer import ensure_contract_tables
from flows.ingest.report import IngestReport
from flows.ingest.source import exports_source
from flows.warehouse.paths import WarehousePaths
from flows.warehouse.target import dlt_destination, is_motherduck, warehouse_location

log = logging.getLogger(__name__)

# dlt settings the raw-layer contract depends on. They are also in .dlt/config.toml,
# but that file is only found from the project directory; these make the result the
# same wherever the command runs. An environment variable set by the user still wins.
_DLT_ENV_DEFAULTS = {
    # docs/architecture.md: dlt adds _dlt_load_id and _dlt_id to every raw table
    "NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_LOAD_ID": "true",
    "NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_ID": "true",
    # no data leaves the machine: no usage telemetry either
    "RUNTIME__DLTHUB_TELEMETRY": "false",
    # keep the <dataset>_staging schemas used by merges empty between runs
    "LOAD__TRUNCATE_STAGING_DATASET": "true",
}


class IngestError(Exception):
    """Ingestion could not load everything; the message says what, where and what to do.

    Raised after everything loadable was loaded; `report` tells what was.
    """

    def __init__(self, message: str, report: IngestReport | None = None) -> None:
        super().__init__(message)
        self.report = report


class SourceFailedError(IngestError):
    """Some systems could not be loaded at all (the others were): worth retrying; their
    data in the warehouse are those of their last successful load. `failures`: system
    -> reason."""

    def __init__(
        self,
        message: str,
        report: IngestReport | None = None,
        failures: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message, report)
        self.failures = dict(failures or {})


class WarehouseBusyError(IngestError):
    """Another process holds the DuckDB file: worth retrying a little later."""


def ingest_exports(
    exports_dir: Path,
    warehouse: Path,
    progress: Callable[[str], None] | None = None,
    systems: Sequence[str] | None = None,
    run_id: str | None = None,
    today: dt.date | None = None,
) -> IngestReport:
    """Load every canonical file of `exports_dir` into the raw schemas of `warehouse`.

    `systems` limits the load to some systems (the flows load one per task); `run_id`
    groups the attempts of one run in raw_ingest.source_loads (flows.ingest.freshness).
    `today` is the day of the run (UTC; `settings.run_date()` when None): events dated
    after it are rejected.

    A system that cannot be loaded at all (its folder cannot be listed or is a link,
    its load fails) does not stop the others: they load, and then SourceFailedError
    names it (its data in the warehouse stay those of its last successful load).
    Raises IngestError when the folder or its settings cannot be used, or holds no
    recognizable file. Files refused whole (a required column missing, unreadable, a
    link or a device) are only counted, in ingest_files and ingest_rejects: the data
    health check judges them.
    """
    started = time.perf_counter()
    exports_dir = Path(exports_dir).resolve()
    warehouse = warehouse_location(warehouse)
    notify = progress or log.info
    report = IngestReport(exports_dir, warehouse)
    today = today or settings.run_date()

    if not exports_dir.is_dir():
        raise IngestError(f"export folder {exports_dir} does not exist; check --exports.")
    try:
        export_settings = load_export_settings(exports_dir)
    except ExportSettingsError as exc:
        raise IngestError(f"{exc}\nFix {settings.EXPORT_SETTINGS_FILE} and run again.") from exc
    report.allow_partial = export_settings.allow_partial
    folder = scan_export_folder(exports_dir, export_settings)
    if folder.ambiguous:
        raise IngestError("\n".join(a.message() for a in folder.ambiguous), report)
    for vendor in folder.vendor.values():
        how = "declared" if vendor.declared else "recognised from its header"
        notify(
            f"{vendor.label}: {vendor.spec.label} ({vendor.spec.id}, {how}) -> "
            + ", ".join(f"{e.system}/{e.name}" for e in vendor.entities)
        )
    report.ignored_files = [folder.label(p) for p in folder.ignored]
    for ignored in report.ignored_files:
        log.warning("ignoring %s: not a canonical export file name", ignored)
    report.refused = [(folder.label(p), reason) for p, reason in folder.refused_other]
    for label, reason in report.refused:
        log.warning("%s: %s", label, reason)
    # a system folder that is a link is refused unread: that source is down
    refused_systems = {label.lower(): reason for label, reason in _refused_folders(report)}
    present = [s for s in settings.SYSTEMS if s in folder.systems() or s in refused_systems]
    wanted = [s for s in present if systems is None or s in systems]
    if not present:
        raise IngestError(
            f"no recognizable export file in {exports_dir}. Expected files named "
            "<system>/<entity>.csv|.jsonl|.parquet, such as shop/orders.csv or "
            "support/tickets.jsonl (every file and column: docs/input-contract.md), or "
            "exports of a supported tool as it writes them (docs/vendor-formats.md); "
            "`terrain check-exports` tells what it sees in the folder.",
            report,
        )

    for name, value in _DLT_ENV_DEFAULTS.items():
        os.environ.setdefault(name, value)
    if not is_motherduck(warehouse):
        warehouse.parent.mkdir(parents=True, exist_ok=True)
    rejected_at = datetime.now(UTC)
    run_id = run_id or new_run_id()
    failures: dict[str, str] = {}
    busy = False
    for system in wanted:
        attempt_started = datetime.now(UTC)
        notify(f"ingesting {system} exports")
        failure = folder.unlisted.get(system) or refused_systems.get(system)
        if failure is None:
            try:
                _load_system(
                    system,
                    warehouse,
                    exports_dir,
                    folder,
                    export_settings,
                    report,
                    notify,
                    rejected_at,
                    today,
                )
            except _SystemFailed as failed:
                failure, busy = failed.message, busy or failed.busy
                # nothing of this system was loaded: its counts would mislead
                for name in [n for n in report.entities if n.startswith(f"{system}/")]:
                    del report.entities[name]
        if failure is not None:
            failures[system] = failure
            log.error("%s", failure)
        _record(warehouse, system, run_id, attempt_started, failure, report)
        faults.reached("ingest.loaded")

    _ensure_contract_tables(warehouse)
    drop_staging_datasets(warehouse)
    faults.reached("ingest.done")
    report.seconds = time.perf_counter() - started
    if failures:
        _tell_summary(report, progress)
        if busy and len(failures) == len(wanted):
            raise WarehouseBusyError(_failed_message(failures, report), report)
        raise SourceFailedError(_failed_message(failures, report), report, failures)
    log.debug("\n".join(report.summary()))
    return report


class _SystemFailed(Exception):
    def __init__(self, message: str, busy: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.busy = busy


def _load_system(
    system: str,
    warehouse: Path,
    exports_dir: Path,
    folder: ExportFolder,
    export_settings: ExportSettings,
    report: IngestReport,
    notify: Callable[[str], None],
    loaded_at: datetime,
    today: dt.date,
) -> None:
    """Run the dlt pipeline of one system; _SystemFailed when it cannot load."""
    try:
        pipeline = _pipeline(system, warehouse)
        _abort_unfinished_loads(pipeline)
    except IngestError as exc:
        raise _SystemFailed(str(exc), busy="lock" in str(exc).lower()) from exc
    except Exception as exc:  # its working folder, its destination: this source is down
        raise _SystemFailed(
            f"the {system} pipeline cannot start ({type(exc).__name__}: {exc}); "
            f"check {pipelines_dir(warehouse)} and the disk"
        ) from exc
    source = exports_source(
        exports_dir,
        system,
        export_settings,
        report.entities,
        notify,
        loaded_at,
        warehouse=warehouse,
        folder=folder,
        today=today,
    )
    try:
        pipeline.run(source, loader_file_format="parquet")
    except PipelineStepFailed as exc:
        try:
            _abort_unfinished_loads(pipeline)
        except IngestError as abort_error:
            log.warning("%s", abort_error)
        busy = "lock" in str(exc.exception).lower()
        raise _SystemFailed(_failure_message(system, warehouse, exc), busy) from exc


def _record(
    warehouse: Path,
    system: str,
    run_id: str,
    started_at: datetime,
    failure: str | None,
    report: IngestReport,
) -> None:
    """Append the attempt to raw_ingest.source_loads (a held file only loses the record)."""
    attempt = SourceAttempt(
        run_id,
        system,
        started_at,
        datetime.now(UTC),
        FAILED if failure else LOADED,
        tuple(s for n, s in report.entities.items() if n.startswith(f"{system}/")),
        failure,
    )
    try:
        record_attempt(warehouse, attempt)
    except duckdb.Error as exc:
        log.warning("could not record the load of %s in %s: %s", system, warehouse, exc)


def _ensure_contract_tables(warehouse: Path) -> None:
    try:
        ensure_contract_tables(warehouse)
    except duckdb.IOException as exc:
        if "lock" not in str(exc).lower():
            raise
        raise WarehouseBusyError(
            f"cannot write {warehouse}: another process has it open (DuckDB allows one "
            "process to hold the file). Close it (DBeaver, a notebook, duckdb CLI) and run "
            f"again. ({str(exc).splitlines()[0]})"
        ) from exc


def _refused_folders(report: IngestReport) -> list[tuple[str, str]]:
    """Refused entries that are system folders (a whole system not read)."""
    return [(label, reason) for label, reason in report.refused if "/" not in label]


def _failed_message(failures: dict[str, str], report: IngestReport) -> str:
    lines = [
        f"{len(failures)} source(s) could not be loaded; the others were, and the "
        "warehouse keeps the data of the last successful load of these (stale):"
    ]
    lines += [f"  {system}: {reason}" for system, reason in failures.items()]
    refused = [*report.unreadable_files]
    refused += [
        (file, f"missing required column(s) {', '.join(c)}") for file, c in report.missing_required
    ]
    if refused:
        lines.append("files refused whole (counted; the data health check judges them):")
        lines += [f"  {report.exports_dir / file}: {reason}" for file, reason in refused]
    return "\n".join(lines)


def drop_staging_datasets(warehouse: Path) -> list[str]:
    """Drop the `<dataset>_staging` schemas dlt merges through (empty between loads):
    analysts then see only the raw datasets. dlt has no option to drop them itself
    (`truncate_staging_dataset` only empties them); it creates them again on its next
    merge. Returns the schemas dropped."""
    staging = [f"{settings.raw_dataset(system)}_staging" for system in settings.SYSTEMS]
    with duckdb.connect(str(warehouse)) as con:
        present = {
            name
            for (name,) in con.execute(
                "select schema_name from duckdb_schemas() where database_name = current_database()"
            ).fetchall()
        }
        dropped = [name for name in staging if name in present]
        for name in dropped:
            con.execute(f"drop schema {name} cascade")
    return dropped


def _tell_summary(report: IngestReport, progress: Callable[[str], None] | None) -> None:
    """The summary lines, before an IngestError: through `progress` when given (its
    logger's warning for rejects and files not loaded, when it is a logger's info),
    otherwise logged at INFO and WARNING."""
    info: Callable[[str], object] = progress or log.info
    warn: Callable[[str], object] = log.warning
    if progress is not None:
        owner = getattr(progress, "__self__", None)
        is_info = getattr(progress, "__name__", "") == "info"
        if is_info and isinstance(owner, logging.Logger | logging.LoggerAdapter):
            warn = owner.warning
        else:
            warn = progress
    for level, line in report.summary_levels():
        (warn if level >= logging.WARNING else info)(line)


def pipelines_dir(warehouse: Path) -> Path:
    """Where the dlt pipelines of `warehouse` keep their working files: the state folder
    of the warehouse (of the one it is the working copy of), shared with no other."""
    return WarehousePaths.owning(warehouse).dlt_dir


def _pipeline(system: str, warehouse: Path) -> dlt.Pipeline:
    dataset = settings.raw_dataset(system)
    # named after the published file, so a working copy keeps its pipelines' state
    owner = WarehousePaths.owning(warehouse).published
    return dlt.pipeline(
        pipeline_name=f"{owner.stem}_{dataset}",
        pipelines_dir=str(pipelines_dir(warehouse)),
        destination=dlt_destination(warehouse),
        dataset_name=dataset,
    )


def _abort_unfinished_loads(pipeline: dlt.Pipeline) -> None:
    """Drop load packages a crashed or failed run left behind, so this run can go on.

    dlt restores the pipeline state saved before them: the files they held are read again.
    """
    if not pipeline.has_pending_data:
        return
    pending = [*pipeline.list_extracted_load_packages(), *pipeline.list_normalized_load_packages()]
    log.warning(
        "pipeline %s has unfinished load package(s) %s from an earlier run that did not "
        "complete; aborting them (their files will be read again)",
        pipeline.pipeline_name,
        ", ".join(pending),
    )
    try:
        pipeline.abort_packages()
    except Exception as exc:  # aborting loads the package's abort record: it can fail too
        raise IngestError(
            f"cannot abort the unfinished load package(s) of pipeline {pipeline.pipeline_name} "
            f"({exc}). If the warehouse is open in another program, close it and run again; "
            f"otherwise delete {pipeline.working_dir} and run again (the pipeline state is "
            "restored from the warehouse)."
        ) from exc


def _failure_message(system: str, warehouse: Path, exc: PipelineStepFailed) -> str:
    text = str(exc.exception)
    if "lock" in text.lower():
        return (
            f"cannot write {warehouse}: another process has it open (DuckDB allows one "
            f"process to hold the file). Close it (DBeaver, a notebook, duckdb CLI) and run "
            f"again. Nothing of {system} was loaded. ({text.splitlines()[0]})"
        )
    return (
        f"loading the {system} exports into {warehouse} failed at the {exc.step} step: {text}. "
        "Nothing of this step was kept; fix the cause and run again."
    )
