"""The dlt source of a canonical export folder (one system of it: shop, crm or support).

`exports_source` builds one resource per entity file found in `<exports>/<system>/`
(`flows.ingest.folder`), looping over `contract.ENTITIES`, plus an `ingest_rejects`
resource for the rows the parser refused (`flows.ingest.export_file`) and an
`ingest_files` resource with one row per file read: rows received, loaded and
rejected, the dates it spans, the limits it is checked against (the data health check,
`flows.health.check`, reads it). Each resource merges on its primary key; the column
types come from `flows.ingest.raw_layer`.

Only the files that changed since the last load are read (`flows.ingest.file_state`).
An entity may have several files (`orders.csv` and `orders.jsonl`): they are read in
name order and a primary key already loaded by an earlier file is rejected in the
later ones. When one of them changed, all of them are read again, so that check
always sees every file.

Rejects are merged on `reject_id`. When a file is re-read, its earlier rejects are
deleted first (the merge's destination scope is "rows of the files in this load"),
so fixed rows leave `ingest_rejects` and it always describes the files as they are now.

A file read by an earlier run that is no longer in the folder is reported with a
warning and its rejects and its `ingest_files` row are deleted (that row through dlt's
`hard_delete` column hint); its rows stay in the raw table (a merge never deletes
rows): remove them from the warehouse by hand if they must go.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dlt
import pyarrow as pa
import pyarrow.compute as pc
from dlt.extract.resource import DltResource

from flows import settings
from flows.ingest import contract
from flows.ingest import rejects as reasons
from flows.ingest.contract import Entity
from flows.ingest.deleted import (
    DELETES_SUFFIX,
    deletes_entity,
    rows_to_mark,
    split_deleted,
    with_live_marker,
)
from flows.ingest.export_file import EarlierKeys, ParsedFile, canonical_schema, read_export_file
from flows.ingest.export_settings import SNAPSHOT, ExportSettings, FileFormat
from flows.ingest.file_state import FilePlan, FileState
from flows.ingest.folder import ExportFolder, scan_export_folder
from flows.ingest.raw_layer import (
    FILES_SCHEMA,
    REJECTS_SCHEMA,
    VALUES_SCHEMA,
    column_hints,
    reject_id,
)
from flows.ingest.readers import ExportFileError
from flows.ingest.rejects import Reject, stored_reason, truncate
from flows.ingest.report import EntityStats
from flows.ingest.vendor_engine import ValueCount
from flows.ingest.vendor_file import VendorReader, vendor_file_format

log = logging.getLogger(__name__)


@dataclass
class _EntityBatch:
    """The result of reading an entity's changed files in this run."""

    files: list[ParsedFile] = field(default_factory=list)
    # deletes files read in this run (their tables hold the deleted keys)
    deletes: list[ParsedFile] = field(default_factory=list)
    # files read by an earlier run and gone from the folder (their rejects are deleted)
    vanished: list[str] = field(default_factory=list)
    # rows written again with `_deleted_at` set (flows.ingest.deleted)
    deleted_rows: list[pa.Table] = field(default_factory=list)


class _FolderReader:
    """Reads each entity's changed files once per run, for whichever resource asks first.

    The entity resource yields the tables and the rejects resource yields the rejects
    of the same read, in whatever order dlt runs them.
    """

    def __init__(
        self,
        folder: ExportFolder,
        export_settings: ExportSettings,
        stats: dict[str, EntityStats],
        progress: Callable[[str], None],
        loaded_at: datetime,
        warehouse: Path | None,
        today: dt.date,
    ) -> None:
        self.folder = folder
        self.export_settings = export_settings
        self.stats = stats
        self.progress = progress
        self.loaded_at = loaded_at
        self.warehouse = warehouse
        self.today = today
        self._batches: dict[str, _EntityBatch] = {}
        self.vendor = VendorReader(list(folder.vendor.values()), export_settings)

    def file_format(self, entity: Entity, path: Path) -> FileFormat:
        """How a file of `entity` is written (a vendor file: its format's settings)."""
        vendor = self.folder.vendor.get(path)
        if vendor is not None:
            others = list(self.folder.vendor.values())
            return vendor_file_format(vendor, entity, self.export_settings, others)
        return self.export_settings.for_file(entity.system, entity.name)

    def read(self, entity: Entity) -> _EntityBatch:
        if entity.name in self._batches:
            return self._batches[entity.name]
        state = FileState.of_resource(entity.name)
        key = f"{entity.system}/{entity.name}"
        batch = _EntityBatch()
        self._batches[entity.name] = batch
        label = self.folder.label
        data_files = {label(p, entity): p for p in self.folder.files.get(entity, [])}
        deletes_files = {label(p): p for p in self.folder.deletes.get(entity, [])}
        refused = [(label(p), reason) for p, reason in self.folder.refused.get(entity, [])]
        # a refused file keeps its record: it is reported as not loaded, not as gone
        known = [*data_files, *deletes_files, *(name for name, _ in refused)]
        fmt = self.export_settings.for_file(entity.system, entity.name)
        for name in state.forget_vanished(known):
            batch.vanished.append(name)
            # a snapshot is the files there are now; with none left, nothing is deleted
            # (an export that wrote no file proves nothing)
            kept = "its rows stay in the warehouse"
            if fmt.mode == SNAPSHOT and data_files and not _is_deletes_label(name):
                kept = "the rows no other file of the entity holds are marked deleted"
            message = (
                f"{name} was loaded before and is no longer in the export folder: "
                f"{kept}, its rejects were removed"
            )
            log.warning(message)
            self.stats.setdefault(key, EntityStats()).warnings.append(message)
        if not (data_files or deletes_files or refused):
            return batch

        stats = self.stats.setdefault(key, EntityStats())
        for name, reason in refused:
            self._not_loaded(entity, batch, stats, name, reason, reasons.REFUSED_FILE)
        plans = [
            plan
            for name, path in data_files.items()
            for plan in state.plan({name: path}, self.file_format(entity, path))
        ]
        # several files of one entity: a key must be in one of them only, so when one
        # changed they are all read again and checked together; a snapshot that lost a
        # file is read again whole, to find the rows that went with it
        several = len(plans) > 1
        changed = any(plan.changed or plan.error for plan in plans)
        lost_file = fmt.mode == SNAPSHOT and any(
            not _is_deletes_label(name) for name in batch.vanished
        )
        read_all = (several and changed) or (lost_file and bool(plans))
        earlier_keys: EarlierKeys | None = {} if several else None
        complete = not refused
        for plan in plans:
            if plan.error is not None:
                self._not_loaded(entity, batch, stats, plan.label, plan.error)
                complete = False
                continue
            if not plan.changed and not read_all:
                stats.files_skipped_unchanged += 1
                complete = False
                continue
            parsed = self._read_file(entity, plan, batch, stats, earlier_keys)
            if parsed is None or parsed.missing_columns or parsed.present_keys is None:
                complete = False
            if parsed is not None and not parsed.missing_columns:
                state.record(plan)
        data_read = any(parsed.file in data_files for parsed in batch.files)
        deleted = self._read_deletes(entity, state, deletes_files, fmt, batch, stats, data_read)
        self._mark_deleted(entity, batch, stats, fmt, complete and data_read, deleted)
        return batch

    def _not_loaded(
        self,
        entity: Entity,
        batch: _EntityBatch,
        stats: EntityStats,
        name: str,
        reason: str,
        code: str = reasons.UNREADABLE_FILE,
    ) -> None:
        """A file refused whole, unread or unreadable: one reject, and an ingest_files
        row whose rows could not be counted (the data health check decides whether the
        run fails). No fingerprint is recorded, so every run reports it until it is
        fixed."""
        reason = stored_reason(reason)
        stats.unreadable.append((name, reason))
        stats.files_uncounted += 1
        reject = Reject(name, None, None, None, reason, code)
        batch.files.append(
            ParsedFile(
                name,
                canonical_schema(entity).empty_table(),
                [reject],
                rows_read=None,
                rows_rejected=None,
                refused=reason,
            )
        )

    def _read_file(
        self,
        entity: Entity,
        plan: FilePlan,
        batch: _EntityBatch,
        stats: EntityStats,
        earlier_keys: EarlierKeys | None,
        into: list[ParsedFile] | None = None,
        fmt: FileFormat | None = None,
    ) -> ParsedFile | None:
        """Read one file into `batch` and count it; None when it cannot be read at all."""
        label = plan.label
        fmt = fmt or self.file_format(entity, plan.path)
        self.progress(f"reading {label}")
        stats.files_read += 1
        try:
            if self.vendor.is_vendor(plan.path):
                parsed = self.vendor.read(
                    plan.path, entity, fmt, plan.data, earlier_keys, self.today
                )
            else:
                parsed = read_export_file(
                    plan.path, entity, fmt, label, plan.data, earlier_keys, self.today
                )
        except ExportFileError as exc:
            self._not_loaded(entity, batch, stats, label, str(exc))
            return None
        (batch.files if into is None else into).append(parsed)
        stats.rows_received += parsed.rows_read or 0
        stats.rows_loaded += parsed.rows_loaded
        stats.rows_rejected += parsed.rows_rejected or 0
        for message in parsed.warnings:
            log.warning(message)
            stats.warnings.append(message)
        if parsed.missing_columns:
            stats.missing_required.append((label, parsed.missing_columns))
        return parsed

    def _read_deletes(
        self,
        entity: Entity,
        state: FileState,
        files: Mapping[str, Path],
        fmt: FileFormat,
        batch: _EntityBatch,
        stats: EntityStats,
        data_read: bool,
    ) -> pa.Table | None:
        """The keys the entity's deletes files list, with `deleted_at`, when they changed
        or when a data file was read (they win over the data files); else None."""
        if not files:
            return None
        plans = state.plan(files, fmt)
        if not data_read and not any(plan.changed or plan.error for plan in plans):
            stats.files_skipped_unchanged += len(plans)
            return None
        shape = deletes_entity(entity)
        earlier_keys: EarlierKeys | None = {} if len(plans) > 1 else None
        tables: list[pa.Table] = []
        for plan in plans:
            if plan.error is not None:
                self._not_loaded(shape, batch, stats, plan.label, plan.error)
                continue
            parsed = self._read_file(
                shape, plan, batch, stats, earlier_keys, into=batch.deletes, fmt=fmt
            )
            if parsed is not None and not parsed.missing_columns:
                tables.append(parsed.table)
                state.record(plan)
        return pa.concat_tables(tables) if tables else None

    def _mark_deleted(
        self,
        entity: Entity,
        batch: _EntityBatch,
        stats: EntityStats,
        fmt: FileFormat,
        complete_snapshot: bool,
        deleted: pa.Table | None,
    ) -> None:
        """Give every table read its `_deleted_at` (NULL, or the deletes file's time for
        a key it lists) and find the raw rows to mark deleted."""
        key = entity.primary_key
        empty = pa.table({name: pa.array([], pa.string()) for name in key})
        loaded: list[pa.Table] = []
        for parsed in batch.files:
            if deleted is None:
                parsed.table = with_live_marker(parsed.table)
            else:
                kept, removed = split_deleted(parsed.table, key, deleted)
                parsed.table = kept
                parsed.rows_marked_deleted = removed.num_rows
                if removed.num_rows:
                    batch.deleted_rows.append(removed)
            loaded.append(_keys_as_text(parsed.table, key))
        loaded += [_keys_as_text(t, key) for t in batch.deleted_rows]
        present = None
        if fmt.mode == SNAPSHOT and complete_snapshot:
            present = pa.concat_tables(
                [p.present_keys for p in batch.files if p.present_keys is not None]
            )
        elif fmt.mode == SNAPSHOT and any(p.file for p in batch.files):
            log.info(
                "%s/%s: rows missing from the files were not looked for (a file was not "
                "read whole this run)",
                entity.system,
                entity.name,
            )
        if self.warehouse is None:
            return
        rows = rows_to_mark(
            self.warehouse,
            settings.raw_dataset(entity.system),
            entity,
            self.loaded_at,
            present=present,
            deleted=deleted,
            loaded_now=pa.concat_tables(loaded) if loaded else empty,
        )
        if rows is not None:
            batch.deleted_rows.append(rows)
        stats.rows_deleted += sum(t.num_rows for t in batch.deleted_rows)


def _is_deletes_label(label: str) -> bool:
    """Whether the file `label` names is a deletes file (`<entity>_deleted.<ext>`)."""
    return Path(label).stem.lower().endswith(DELETES_SUFFIX)


def _keys_as_text(table: pa.Table, key: tuple[str, ...]) -> pa.Table:
    return pa.table({name: pc.cast(table[name], pa.string()) for name in key})


def _entity_resource(reader: _FolderReader, entity: Entity) -> DltResource:
    def rows() -> Iterator[pa.Table]:
        batch = reader.read(entity)
        for parsed in batch.files:
            # an empty table still creates the raw table with every canonical column
            yield parsed.table
        yield from batch.deleted_rows

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
            for parsed in [*batch.files, *batch.deletes]:
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
            "reason_code": {"data_type": "text"},
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
        "value": truncate(reject.value),
        "reason": stored_reason(reject.reason),
        "reason_code": reject.code,
        "rejected_at": rejected_at,
    }


def _file_marker_row(entity: Entity, file: str, rejected_at: datetime) -> dict[str, Any]:
    """A row with no reason, standing for "this file was read again" (never stored)."""
    row = _reject_row(entity, Reject(file, None, None, None, "\x00file read", ""), rejected_at)
    row["reason"] = None
    return row


def _files_resource(
    reader: _FolderReader,
    entities: list[Entity],
    export_settings: ExportSettings,
    read_at: datetime,
) -> DltResource:
    def files() -> Iterator[pa.Table]:
        rows: list[dict[str, Any]] = []
        for entity in entities:
            batch = reader.read(entity)
            fmt = export_settings.for_file(entity.system, entity.name)
            rows += [_file_row(entity, parsed, fmt, read_at) for parsed in batch.files]
            # a deletes file is a file received too: its keys are its loaded rows
            rows += [
                _file_row(entity, parsed, fmt, read_at, dated=False) for parsed in batch.deletes
            ]
            # a vanished file: its row is deleted (hard_delete), not inserted
            rows += [_vanished_file_row(entity, label, read_at) for label in batch.vanished]
        if rows:
            yield pa.Table.from_pylist(rows, schema=FILES_SCHEMA)

    return dlt.resource(
        files,
        name=settings.FILES_TABLE,
        table_name=settings.FILES_TABLE,
        primary_key="file",
        write_disposition={"disposition": "merge", "strategy": "delete-insert"},
        columns={
            "file": {"data_type": "text", "nullable": False},
            "rows_received": {"data_type": "bigint"},
            "rows_rejected": {"data_type": "bigint"},
            "first_at": {"data_type": "timestamp", "timezone": True},
            "last_at": {"data_type": "timestamp", "timezone": True},
            "read_at": {"data_type": "timestamp", "timezone": True},
            "is_deleted": {"data_type": "bool", "hard_delete": True},
        },
    )


def _values_resource(
    reader: _FolderReader, entities: list[Entity], read_at: datetime
) -> DltResource:
    """The vendor values the files read in this run mapped (a marker row per file read,
    as for rejects: a file read again loses its earlier rows)."""

    def values() -> Iterator[pa.Table]:
        rows: list[dict[str, Any]] = []
        for entity in entities:
            batch = reader.read(entity)
            for parsed in batch.files:
                rows.append(_value_row(parsed.file, entity, None, read_at))
                rows += [_value_row(parsed.file, entity, count, read_at) for count in parsed.values]
            rows += [_value_row(file, entity, None, read_at) for file in batch.vanished]
        if any(row["column_name"] is not None for row in rows):
            yield pa.Table.from_pylist(rows, schema=VALUES_SCHEMA)

    return dlt.resource(
        values,
        name=settings.VALUES_TABLE,
        table_name=settings.VALUES_TABLE,
        primary_key="value_id",
        write_disposition={
            "disposition": "merge",
            "strategy": "delete-insert",
            "destination_scope": "file IN (SELECT file FROM {staging_table})",
            "source_filter": "column_name IS NOT NULL",
        },
        columns={
            "value_id": {"data_type": "text", "nullable": False},
            "rows": {"data_type": "bigint"},
            "is_mapped": {"data_type": "bool"},
            "read_at": {"data_type": "timestamp", "timezone": True},
        },
    )


def _value_row(
    file: str, entity: Entity, count: ValueCount | None, read_at: datetime
) -> dict[str, Any]:
    column = count.column if count else None
    value = count.value if count else None
    key = "\x1f".join([file, column or "", value or ""])
    return {
        "value_id": hashlib.sha256(key.encode("utf-8")).hexdigest()[:32],
        "file": file,
        "entity": entity.name,
        "column_name": column,
        "source_column": count.source if count else None,
        "vendor_value": value,
        "mapped_to": count.mapped_to if count else None,
        "is_mapped": count.is_mapped if count else None,
        "value_map": count.map_name if count else None,
        "rows": count.rows if count else None,
        "read_at": read_at,
    }


def _as_timestamp(value: object) -> datetime | None:
    """A date column's bound as a UTC timestamp (a date is its midnight in UTC)."""
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, dt.date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    raise TypeError(f"not a date: {value!r}")


def _file_row(
    entity: Entity, parsed: ParsedFile, fmt: FileFormat, read_at: datetime, dated: bool = True
) -> dict[str, Any]:
    first, last = parsed.date_range(entity) if dated else (None, None)
    return {
        "file": parsed.file,
        "system": entity.system,
        "entity": entity.name,
        "rows_received": parsed.rows_read,
        "rows_loaded": parsed.rows_loaded,
        "rows_rejected": parsed.rows_rejected,
        "is_refused": parsed.refused is not None,
        "refusal": parsed.refused,
        "first_at": _as_timestamp(first),
        "last_at": _as_timestamp(last),
        "max_reject_share": fmt.max_reject_share,
        "earliest_year": fmt.earliest_year,
        "read_at": read_at,
        "is_deleted": False,
    }


def _vanished_file_row(entity: Entity, label: str, read_at: datetime) -> dict[str, Any]:
    """Stands for "delete this file's row": the merge drops the rows whose flag is set."""
    return {
        "file": label,
        "system": entity.system,
        "entity": entity.name,
        "read_at": read_at,
        "is_deleted": True,
    }


def exports_source(
    exports_dir: Path,
    system: str,
    export_settings: ExportSettings,
    stats: dict[str, EntityStats],
    progress: Callable[[str], None] | None = None,
    rejected_at: datetime | None = None,
    warehouse: Path | None = None,
    folder: ExportFolder | None = None,
    today: dt.date | None = None,
) -> Any:
    """The dlt source for `<exports_dir>/<system>/`: a resource per entity file present,
    plus `ingest_rejects` and `ingest_files`. `stats` (keyed "<system>/<entity>") is
    filled while dlt extracts. `today` is the day of the run (later events are rejected).

    `warehouse`, the DuckDB file the source loads into, is read for the rows to mark
    deleted (without it, only deletes files' keys among the rows read are marked).
    `folder` is the scan of the export folder when the caller already made it.
    """
    scan = (folder or scan_export_folder(exports_dir)).of_system(system)
    entities = [
        e for e in contract.ENTITIES if e in scan.files or e in scan.deletes or e in scan.refused
    ]
    loaded_at = rejected_at or datetime.now(UTC)
    reader = _FolderReader(
        scan,
        export_settings,
        stats,
        progress or log.info,
        loaded_at,
        warehouse,
        today or settings.run_date(),
    )
    resources = [_entity_resource(reader, entity) for entity in entities]
    # every entity of the system, to find the files of earlier runs that are gone
    every = [e for e in contract.ENTITIES if e.system == system]
    resources.append(_rejects_resource(reader, every, loaded_at))
    resources.append(_files_resource(reader, every, export_settings, loaded_at))
    if scan.vendor:
        resources.append(_values_resource(reader, every, loaded_at))

    @dlt.source(name=f"{system}_exports", max_table_nesting=0)
    def _source() -> list[DltResource]:
        return resources

    return _source()
