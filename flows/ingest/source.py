"""The dlt source of a canonical export folder (one system of it: shop, crm or support).

`exports_source` builds one resource per entity file found in `<exports>/<system>/`
(`flows.ingest.folder`), looping over `contract.ENTITIES`, plus an `ingest_rejects`
resource for the rows the parser refused (`flows.ingest.export_file`). Each resource
merges on its primary key; the column types come from `flows.ingest.raw_layer`.

Only the files that changed since the last load are read (`flows.ingest.file_state`).
An entity may have several files (`orders.csv` and `orders.jsonl`): they are read in
name order and a primary key already loaded by an earlier file is rejected in the
later ones. When one of them changed, all of them are read again, so that check
always sees every file.

Rejects are merged on `reject_id`. When a file is re-read, its earlier rejects are
deleted first (the merge's destination scope is "rows of the files in this load"),
so fixed rows leave `ingest_rejects` and it always describes the files as they are now.

A file read by an earlier run that is no longer in the folder is reported with a
warning and its rejects are deleted; its rows stay in the raw table (a merge never
deletes rows): remove them from the warehouse by hand if they must go.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dlt
import pyarrow as pa
from dlt.extract.resource import DltResource

from flows import settings
from flows.ingest import contract
from flows.ingest.contract import Entity
from flows.ingest.export_file import EarlierKeys, ParsedFile, canonical_schema, read_export_file
from flows.ingest.export_settings import ExportSettings
from flows.ingest.file_state import FilePlan, FileState
from flows.ingest.folder import find_export_files
from flows.ingest.raw_layer import REJECTS_SCHEMA, column_hints, reject_id
from flows.ingest.readers import ExportFileError
from flows.ingest.rejects import Reject
from flows.ingest.report import EntityStats

log = logging.getLogger(__name__)


@dataclass
class _EntityBatch:
    """The result of reading an entity's changed files in this run."""

    files: list[ParsedFile] = field(default_factory=list)
    # files read by an earlier run and gone from the folder (their rejects are deleted)
    vanished: list[str] = field(default_factory=list)


class _FolderReader:
    """Reads each entity's changed files once per run, for whichever resource asks first.

    The entity resource yields the tables and the rejects resource yields the rejects
    of the same read, in whatever order dlt runs them.
    """

    def __init__(
        self,
        exports_dir: Path,
        files: Mapping[Entity, list[Path]],
        export_settings: ExportSettings,
        stats: dict[str, EntityStats],
        progress: Callable[[str], None],
    ) -> None:
        self.exports_dir = exports_dir
        self.files = files
        self.export_settings = export_settings
        self.stats = stats
        self.progress = progress
        self._batches: dict[str, _EntityBatch] = {}

    def read(self, entity: Entity) -> _EntityBatch:
        if entity.name in self._batches:
            return self._batches[entity.name]
        state = FileState.of_resource(entity.name)
        key = f"{entity.system}/{entity.name}"
        batch = _EntityBatch()
        self._batches[entity.name] = batch
        paths = self.files.get(entity, [])
        labels = {path.relative_to(self.exports_dir).as_posix(): path for path in paths}
        for label in state.forget_vanished(labels):
            batch.vanished.append(label)
            message = (
                f"{label} was loaded before and is no longer in the export folder: "
                "its rows stay in the warehouse, its rejects were removed"
            )
            log.warning(message)
            self.stats.setdefault(key, EntityStats()).warnings.append(message)
        if not paths:
            return batch

        stats = self.stats.setdefault(key, EntityStats())
        fmt = self.export_settings.for_file(entity.system, entity.name)
        plans = state.plan(labels, fmt)
        # several files of one entity: a key must be in one of them only, so when one
        # changed they are all read again and checked together
        several = len(plans) > 1
        changed = any(plan.changed for plan in plans)
        earlier_keys: EarlierKeys | None = {} if several else None
        for plan in plans:
            if not plan.changed and not (several and changed):
                stats.files_skipped_unchanged += 1
                continue
            parsed = self._read_file(entity, plan, batch, stats, earlier_keys)
            if parsed is not None and not parsed.missing_columns:
                state.record(plan)
        return batch

    def _read_file(
        self,
        entity: Entity,
        plan: FilePlan,
        batch: _EntityBatch,
        stats: EntityStats,
        earlier_keys: EarlierKeys | None,
    ) -> ParsedFile | None:
        """Read one file into `batch` and count it; None when it cannot be read at all."""
        label = plan.label
        fmt = self.export_settings.for_file(entity.system, entity.name)
        self.progress(f"reading {label}")
        stats.files_read += 1
        try:
            parsed = read_export_file(plan.path, entity, fmt, label, plan.data, earlier_keys)
        except ExportFileError as exc:
            # the whole file is out: one reject, and no fingerprint so that every
            # run reports it until it is fixed
            stats.unreadable.append((label, str(exc)))
            reject = Reject(label, None, None, None, str(exc))
            batch.files.append(ParsedFile(label, canonical_schema(entity).empty_table(), [reject]))
            return None
        batch.files.append(parsed)
        stats.rows_loaded += parsed.rows_loaded
        stats.rows_rejected += parsed.rows_rejected
        for message in parsed.warnings:
            log.warning(message)
            stats.warnings.append(message)
        if parsed.missing_columns:
            stats.missing_required.append((label, parsed.missing_columns))
        return parsed


def _entity_resource(reader: _FolderReader, entity: Entity) -> DltResource:
    def rows() -> Iterator[pa.Table]:
        for parsed in reader.read(entity).files:
            # an empty table still creates the raw table with every canonical column
            yield parsed.table

    return dlt.resource(
        rows,
        name=entity.name,
        table_name=entity.name,
        primary_key=list(entity.primary_key),
        write_disposition="merge",
        columns=column_hints(entity),
    )


def _rejects_resource(
    reader: _FolderReader, entities: list[Entity], rejected_at: datetime
) -> DltResource:
    def rejects() -> Iterator[pa.Table]:
        rows: list[dict[str, Any]] = []
        for entity in entities:
            batch = reader.read(entity)
            for parsed in batch.files:
                # a marker row per re-read file: the merge deletes that file's earlier
                # rejects, and the source filter keeps the marker itself out of the table
                rows.append(_file_marker_row(entity, parsed.file, rejected_at))
                rows += [_reject_row(entity, r, rejected_at) for r in parsed.rejects]
            # a vanished file: its marker alone deletes its rejects
            rows += [_file_marker_row(entity, file, rejected_at) for file in batch.vanished]
        if rows:
            yield pa.Table.from_pylist(rows, schema=REJECTS_SCHEMA)

    return dlt.resource(
        rejects,
        name=settings.REJECTS_TABLE,
        table_name=settings.REJECTS_TABLE,
        primary_key="reject_id",
        write_disposition={
            "disposition": "merge",
            "strategy": "delete-insert",
            "destination_scope": "file IN (SELECT file FROM {staging_table})",
            "source_filter": "reason IS NOT NULL",
        },
        columns={
            "reject_id": {"data_type": "text", "nullable": False},
            "line": {"data_type": "bigint"},
            "rejected_at": {"data_type": "timestamp", "timezone": True},
        },
    )


def _reject_row(entity: Entity, reject: Reject, rejected_at: datetime) -> dict[str, Any]:
    return {
        "reject_id": reject_id(reject),
        "entity": entity.name,
        "file": reject.file,
        "line": reject.line,
        "column_name": reject.column,
        "value": reject.value,
        "reason": reject.reason,
        "rejected_at": rejected_at,
    }


def _file_marker_row(entity: Entity, file: str, rejected_at: datetime) -> dict[str, Any]:
    """A row with no reason, standing for "this file was read again" (never stored)."""
    row = _reject_row(entity, Reject(file, None, None, None, "\x00file read"), rejected_at)
    row["reason"] = None
    return row


def exports_source(
    exports_dir: Path,
    system: str,
    export_settings: ExportSettings,
    stats: dict[str, EntityStats],
    progress: Callable[[str], None] | None = None,
    rejected_at: datetime | None = None,
) -> Any:
    """The dlt source for `<exports_dir>/<system>/`: a resource per entity file present,
    plus `ingest_rejects`. `stats` (keyed "<system>/<entity>") is filled while dlt extracts.
    """
    files = {e: p for e, p in find_export_files(exports_dir).items() if e.system == system}
    entities = [e for e in contract.ENTITIES if e in files]
    reader = _FolderReader(exports_dir, files, export_settings, stats, progress or log.info)
    resources = [_entity_resource(reader, entity) for entity in entities]
    # every entity of the system, to find the files of earlier runs that are gone
    every = [e for e in contract.ENTITIES if e.system == system]
    resources.append(_rejects_resource(reader, every, rejected_at or datetime.now(UTC)))

    @dlt.source(name=f"{system}_exports", max_table_nesting=0)
    def _source() -> list[DltResource]:
        return resources

    return _source()
