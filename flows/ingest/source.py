"""The dlt source of a canonical export folder (one system of it: shop, crm or support).

`exports_source` builds one resource per entity file found in `<exports>/<system>/`,
looping over `contract.ENTITIES`, plus an `ingest_rejects` resource for the rows the
parser refused (see `flows.ingest.export_file`). Folder and file names are matched
without regard to case (`Shop/Orders.CSV` is `shop/orders`).

An entity may have several files (`orders.csv` and `orders.jsonl`): they are read in
name order and a primary key already loaded by an earlier file is rejected in the
later ones. When one of them changed, all of them are read again, so that check
always sees every file.

Change detection: each entity resource keeps, in its dlt resource state, a fingerprint
per file: size, modification time and a SHA-256 of the file's bytes together with the
file's effective export settings and `PARSER_VERSION`. A file whose size and mtime are
unchanged is skipped without being read; otherwise it is hashed and only re-read when
the hash differs. The state is committed with the load, so a failed load re-reads the
files next time. Editing `export-settings.yaml` re-reads the files it affects.

Rejects are merged on `reject_id`. When a file is re-read, its earlier rejects are
deleted first (the merge's destination scope is "rows of the files in this load"),
so fixed rows leave `ingest_rejects` and it always describes the files as they are now.

A file read by an earlier run that is no longer in the folder is reported with a
warning and its rejects are deleted; its rows stay in the raw table (a merge never
deletes rows): remove them from the warehouse by hand if they must go.
"""

from __future__ import annotations

import hashlib
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
from flows.ingest.export_file import ParsedFile, canonical_schema, read_export_file
from flows.ingest.export_settings import ExportSettings
from flows.ingest.readers import EXTENSIONS, ExportFileError
from flows.ingest.rejects import Reject

log = logging.getLogger(__name__)

# Bump when parsing changes the values it produces, so every file is read again.
PARSER_VERSION = "2"

DLT_TYPES: dict[str, str] = {
    contract.TEXT: "text",
    contract.INTEGER: "bigint",
    contract.DECIMAL: "double",
    contract.TIMESTAMP: "timestamp",
}

REJECTS_SCHEMA = pa.schema(
    [
        pa.field("reject_id", pa.string(), nullable=False),
        pa.field("entity", pa.string()),
        pa.field("file", pa.string()),
        pa.field("line", pa.int64()),
        pa.field("column_name", pa.string()),
        pa.field("value", pa.string()),
        pa.field("reason", pa.string()),
        pa.field("rejected_at", pa.timestamp("us", tz="UTC")),
    ]
)


@dataclass
class EntityStats:
    """What one run did with the files of one entity."""

    files_read: int = 0
    files_skipped_unchanged: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    # files that miss required columns: (file, missing columns)
    missing_required: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    # files that could not be read at all: (file, reason)
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    # loaded, but worth telling (an empty file, a dropped column, a vanished file)
    warnings: list[str] = field(default_factory=list)


def _system_folders(exports_dir: Path, system: str) -> list[Path]:
    """The folders of `system` in the export folder, whatever the case of their name."""
    if not exports_dir.is_dir():
        return []
    return sorted(p for p in exports_dir.iterdir() if p.is_dir() and p.name.lower() == system)


def find_export_files(exports_dir: Path) -> dict[Entity, list[Path]]:
    """The canonical files present in the folder, by entity (`<system>/<entity>.<ext>`)."""
    found: dict[Entity, list[Path]] = {}
    for system in settings.SYSTEMS:
        files = [p for f in _system_folders(exports_dir, system) for p in f.iterdir()]
        for entity in contract.ENTITIES:
            if entity.system != system:
                continue
            paths = sorted(
                p
                for p in files
                if p.is_file() and p.stem.lower() == entity.name and p.suffix.lower() in EXTENSIONS
            )
            if paths:
                found[entity] = paths
    return found


def unrecognized_files(exports_dir: Path) -> list[Path]:
    """Files in the system folders that are not canonical export files (they are ignored)."""
    known = {p for paths in find_export_files(exports_dir).values() for p in paths}
    others = []
    for system in settings.SYSTEMS:
        for folder in _system_folders(exports_dir, system):
            others += [p for p in sorted(folder.iterdir()) if p.is_file() and p not in known]
    return others


def column_hints(entity: Entity) -> dict[str, dict[str, Any]]:
    """dlt column hints giving every canonical column its raw type, even when all NULL."""
    hints: dict[str, dict[str, Any]] = {}
    for column in entity.columns:
        hint: dict[str, Any] = {"data_type": DLT_TYPES[column.type], "nullable": True}
        if column.type == contract.TIMESTAMP:
            hint["timezone"] = True
        hints[column.name] = hint
    return hints


def reject_id(reject: Reject) -> str:
    text = "\x1f".join([reject.file, str(reject.line or ""), reject.column or "", reject.reason])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


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
        files_state: dict[str, Any] = dlt.current.resource_state(entity.name).setdefault(
            "files", {}
        )
        key = f"{entity.system}/{entity.name}"
        batch = _EntityBatch()
        self._batches[entity.name] = batch
        paths = self.files.get(entity, [])
        labels = {path.relative_to(self.exports_dir).as_posix(): path for path in paths}
        for label in sorted(set(files_state) - set(labels)):
            del files_state[label]
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
        settings_text = f"{PARSER_VERSION}|{fmt.fingerprint()}"
        # (label, path, data or None when unchanged, fingerprint or None)
        plans: list[tuple[str, Path, bytes | None, dict[str, Any] | None]] = []
        for label, path in labels.items():
            stat = path.stat()
            previous = files_state.get(label) or {}
            if (
                previous.get("size") == stat.st_size
                and previous.get("mtime_ns") == stat.st_mtime_ns
                and previous.get("settings") == settings_text
            ):
                plans.append((label, path, None, None))
                continue
            data = path.read_bytes()
            digest = hashlib.sha256(settings_text.encode() + b"\0" + data).hexdigest()
            fingerprint = {
                "size": stat.st_size,
                "mtime_ns": stat.st_mtime_ns,
                "settings": settings_text,
                "sha256": digest,
            }
            if previous.get("sha256") == digest:
                files_state[label] = fingerprint  # touched, same content
                plans.append((label, path, None, None))
            else:
                plans.append((label, path, data, fingerprint))

        # several files of one entity: a key must be in one of them only, so when one
        # changed they are all read again and checked together
        several = len(plans) > 1
        changed = any(data is not None for _, _, data, _ in plans)
        earlier_keys: dict[tuple[object, ...], str] | None = {} if several else None
        for label, path, data, fingerprint in plans:
            if data is None and not (several and changed):
                stats.files_skipped_unchanged += 1
                continue
            self.progress(f"reading {label}")
            stats.files_read += 1
            try:
                parsed = read_export_file(path, entity, fmt, label, data, earlier_keys)
            except ExportFileError as exc:
                # the whole file is out: one reject, and no fingerprint so that every
                # run reports it until it is fixed
                stats.unreadable.append((label, str(exc)))
                reject = Reject(label, None, None, None, str(exc))
                batch.files.append(
                    ParsedFile(label, canonical_schema(entity).empty_table(), [reject])
                )
                continue
            batch.files.append(parsed)
            stats.rows_loaded += parsed.rows_loaded
            stats.rows_rejected += parsed.rows_rejected
            for message in parsed.warnings:
                log.warning(message)
                stats.warnings.append(message)
            if parsed.missing_columns:
                stats.missing_required.append((label, parsed.missing_columns))
            elif fingerprint is not None:
                files_state[label] = fingerprint
        return batch


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
