"""Vendor files in an export folder: which format each is, and reading one for an entity.

A file of the export folder that is not a canonical file (`<system>/<entity>.<ext>`) is
a vendor file when `export-settings.yaml` declares its format (`vendor_files:`) or
when its header is recognised (`vendor_format.detect_format`). `find_vendor_files`
sorts the candidates into vendor files, files whose header matches several formats
(they must declare one) and others (ignored, as before).

`VendorReader.read` reads a vendor file for one canonical entity: the vendor's reader
(`readers.read_raw`), the format's engine (`vendor_engine.apply_format`), then the
canonical parser (`export_file.to_canonical`), the same code as for a canonical file.
So a vendor file is held to every rule of the contract; its `ParsedFile` keeps rows
received = loaded + rejected, the rows the engine rejected included. A file read for
several entities (a Shopify orders export fills orders, order lines and customers) is
decoded and mapped once per run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from flows import settings
from flows.ingest import contract
from flows.ingest import rejects as reasons
from flows.ingest.boundary import OutsideExportFolderError, read_regular_file
from flows.ingest.contract import Entity
from flows.ingest.export_file import EarlierKeys, ParsedFile, canonical_schema, to_canonical
from flows.ingest.export_settings import ExportSettings, FileFormat
from flows.ingest.readers import ExportFileError, RawFile, read_raw
from flows.ingest.rejects import Reject
from flows.ingest.vendor_engine import (
    EntityRows,
    Lookups,
    MissingSourceColumns,
    apply_format,
    lookup_table,
)
from flows.ingest.vendor_format import VendorFormat, detect_format, formats

# Extensions a vendor file may have (Zendesk writes its NDJSON export as .json).
VENDOR_EXTENSIONS = {".csv": "csv", ".jsonl": "jsonl", ".json": "jsonl"}
_FILE_KEYS = ("delimiter", "decimal", "date_format", "encoding", "timezone")


@dataclass(frozen=True)
class VendorFile:
    """A vendor file of the folder and its format."""

    path: Path
    label: str  # its path in the export folder
    spec: VendorFormat
    declared: bool  # in export-settings.yaml (else recognised from its header)
    entities: tuple[Entity, ...] = ()  # the canonical entities it fills in this folder

    def label_for(self, entity: Entity) -> str:
        """How rejects and ingest_files name it for `entity`: its path, followed by
        `#<entity>` when it fills several entities."""
        return f"{self.label}#{entity.name}" if len(self.entities) > 1 else self.label


@dataclass(frozen=True)
class AmbiguousFile:
    """A file whose header matches several formats, and that declares none."""

    path: Path
    label: str
    candidates: tuple[str, ...]

    def message(self) -> str:
        return (
            f"{self.label}: its header matches several vendor formats "
            f"({', '.join(self.candidates)}); say which it is in "
            f"{settings.EXPORT_SETTINGS_FILE}:\n"
            f"  vendor_files:\n    {self.label}: {{format: {self.candidates[0]}}}"
        )


@dataclass
class VendorScan:
    """The vendor files of a folder."""

    files: list[VendorFile] = field(default_factory=list)
    ambiguous: list[AmbiguousFile] = field(default_factory=list)
    unrecognised: list[Path] = field(default_factory=list)


def header_of(data: bytes, kind: str, fmt: FileFormat) -> list[str]:
    """The column names of a vendor file (CSV: its first line; JSONL: the keys of its
    first object), or [] when they cannot be read."""
    text = data[:65536].decode("utf-8-sig" if fmt.is_utf8 else fmt.encoding, errors="replace")
    if kind == "jsonl":
        for line in text.splitlines():
            if line.strip():
                try:
                    first = json.loads(line)
                except json.JSONDecodeError:
                    return []
                return list(first) if isinstance(first, dict) else []
        return []
    import csv
    import io

    rows = csv.reader(io.StringIO(text), delimiter=fmt.delimiter)
    return next((row for row in rows if row), [])


def classify(candidates: list[tuple[Path, str]], export_settings: ExportSettings) -> VendorScan:
    """Sort (path, label) candidates into vendor files (declared or recognised), files
    matching several formats, and unrecognised files. The entities each vendor file
    fills are those of its format, less those another format of the folder fills
    better (`unless_format`)."""
    scan = VendorScan()
    found: list[tuple[Path, str, VendorFormat, bool]] = []
    every = formats()
    for path, label in candidates:
        kind = VENDOR_EXTENSIONS.get(path.suffix.lower())
        block = export_settings.vendor_block(label)
        if "format" in block:
            found.append((path, label, every[block["format"]], True))
            continue
        if kind is None:
            scan.unrecognised.append(path)
            continue
        try:
            data = read_regular_file(path)
        except (OSError, OutsideExportFolderError):
            scan.unrecognised.append(path)
            continue
        fmt = _file_format(FileFormat(), None, block)
        matches = [m for m in detect_format(header_of(data, kind, fmt)) if m.file.type == kind]
        if len(matches) == 1:
            found.append((path, label, matches[0], False))
        elif matches:
            scan.ambiguous.append(AmbiguousFile(path, label, tuple(m.id for m in matches)))
        else:
            scan.unrecognised.append(path)
    present = {spec.id for _, _, spec, _ in found}
    by_key = {f"{e.system}/{e.name}": e for e in contract.ENTITIES}
    for path, label, spec, declared in found:
        entities = tuple(
            by_key[o.entity] for o in spec.outputs if not (set(o.unless_format) & present)
        )
        scan.files.append(VendorFile(path, label, spec, declared, entities))
    return scan


def _file_format(
    base: FileFormat, spec: VendorFormat | None, block: Mapping[str, Any]
) -> FileFormat:
    """How a vendor file is written: the entity's settings, then the format's own, then
    the file's block in export-settings.yaml."""
    fmt = base
    if spec is not None:
        own = {k: getattr(spec.file, k) for k in _FILE_KEYS if getattr(spec.file, k, None)}
        fmt = replace(fmt, **own)
    given = {k: v for k, v in block.items() if k in {f for f in FileFormat.__dataclass_fields__}}
    return replace(fmt, **given)


def vendor_file_format(
    vendor: VendorFile,
    entity: Entity,
    export_settings: ExportSettings,
    others: list[VendorFile] | None = None,
) -> FileFormat:
    """The FileFormat a vendor file is read with for `entity` (its limits are the
    entity's: earliest year, reject share, mode). Its `vendor` part changes with the
    format file, the company's value maps, and the files its lookups read (`others`)."""
    base = export_settings.for_file(entity.system, entity.name)
    block = export_settings.vendor_block(vendor.label)
    fmt = _file_format(base, vendor.spec, block)
    looked_up = {lookup.format for lookup in vendor.spec.lookups.values()}
    stamps = []
    for other in others or []:
        if other.spec.id in looked_up:
            try:
                status = other.path.stat()
            except OSError:
                continue
            stamps.append(f"{other.label}:{status.st_size}:{status.st_mtime_ns}")
    vendor_text = json.dumps(
        {
            "format": vendor.spec.model_dump(mode="json", by_alias=True),
            "value_map": {k: dict(v) for k, v in export_settings.value_map.items()},
            "rating_scale": block.get("rating_scale"),
            "lookups": stamps,
        },
        sort_keys=True,
    )
    return replace(fmt, vendor=hashlib.sha256(vendor_text.encode()).hexdigest()[:16])


class VendorReader:
    """Reads the vendor files of one folder, each decoded and mapped once per run."""

    def __init__(self, vendor_files: list[VendorFile], export_settings: ExportSettings) -> None:
        self.files = {v.path: v for v in vendor_files}
        self.export_settings = export_settings
        self._raw: dict[Path, RawFile] = {}
        self._mapped: dict[Path, dict[str, EntityRows]] = {}
        self._lookups: dict[str, Mapping[str, str] | None] = {}

    def is_vendor(self, path: Path) -> bool:
        return path in self.files

    def _read_raw(self, vendor: VendorFile, data: bytes | None) -> RawFile:
        if vendor.path not in self._raw:
            if data is None:
                try:
                    data = read_regular_file(vendor.path)
                except OutsideExportFolderError as exc:
                    raise ExportFileError(f"{vendor.label}: {exc}") from exc
                except OSError as exc:
                    raise ExportFileError(
                        f"{vendor.label}: cannot read the file ({exc.strerror})."
                    ) from exc
            fmt = _file_format(
                FileFormat(), vendor.spec, self.export_settings.vendor_block(vendor.label)
            )
            suffix = ".jsonl" if vendor.spec.file.type == "jsonl" else ".csv"
            self._raw[vendor.path] = read_raw(suffix, data, fmt, vendor.label)
        return self._raw[vendor.path]

    def _lookup_tables(self, spec: VendorFormat) -> Lookups:
        tables: dict[str, Mapping[str, str] | None] = {}
        for name, lookup in spec.lookups.items():
            key = f"{spec.id}.{name}"
            if key not in self._lookups:
                table: dict[str, str] | None = None
                for other in self.files.values():
                    if other.spec.id != lookup.format:
                        continue
                    try:
                        raw = self._read_raw(other, None)
                        found = lookup_table(other.spec, raw, lookup.key, lookup.value, lookup.pick)
                    except (ExportFileError, MissingSourceColumns):
                        continue
                    table = {**found, **(table or {})}
                self._lookups[key] = table
            tables[name] = self._lookups[key]
        return tables

    def mapped(self, vendor: VendorFile, data: bytes | None = None) -> dict[str, EntityRows]:
        """Every entity's rows of `vendor` (raises ExportFileError, MissingSourceColumns)."""
        if vendor.path not in self._mapped:
            raw = self._read_raw(vendor, data)
            block = self.export_settings.vendor_block(vendor.label)
            filled = {f"{e.system}/{e.name}" for e in vendor.entities}
            skipped = frozenset(o.entity for o in vendor.spec.outputs) - filled
            self._mapped[vendor.path] = apply_format(
                vendor.spec,
                raw,
                vendor.label,
                self.export_settings.value_map,
                self._lookup_tables(vendor.spec),
                rating_scale=block.get("rating_scale") or None,
                skip_entities=skipped,
            )
        return self._mapped[vendor.path]

    def read(
        self,
        path: Path,
        entity: Entity,
        fmt: FileFormat,
        data: bytes | None = None,
        earlier_keys: EarlierKeys | None = None,
        today: dt.date | None = None,
    ) -> ParsedFile:
        """The vendor file at `path` read as the canonical file of `entity`."""
        vendor = self.files[path]
        label = vendor.label_for(entity)
        try:
            mapped = self.mapped(vendor, data)
        except MissingSourceColumns as exc:
            raw = self._raw.get(path)
            received = raw.num_rows + raw.rows_dropped if raw is not None else None
            reason = f"{vendor.label}: {exc}"
            return ParsedFile(
                file=label,
                table=canonical_schema(entity).empty_table(),
                rejects=[Reject(label, None, None, None, reason, reasons.MISSING_COLUMNS)],
                rows_read=received,
                rows_rejected=received,
                missing_columns=tuple(exc.missing),
                refused=reason,
            )
        rows = mapped[f"{entity.system}/{entity.name}"]
        raw_file = self._raw[path]
        parsed = to_canonical(
            rows.as_raw(), entity, fmt, label, earlier_keys, today or settings.run_date()
        )
        return _with_engine_results(parsed, rows, raw_file, label)


def _with_engine_results(
    parsed: ParsedFile, rows: EntityRows, raw: RawFile, label: str
) -> ParsedFile:
    """The canonical parse of a vendor file's rows, completed with what the reader and
    the engine rejected, the vendor headers in rejects, and the values mapped."""
    # rejects name the vendor's header ("Created at"), the canonical column after it
    renamed = [
        replace(r, file=label, column=_column_label(r.column, rows.sources)) for r in parsed.rejects
    ]
    # lines the reader could not split are rejected rows of every entity the file fills
    reader_rejects = [replace(r, file=label) for r in raw.rejects]
    parsed.rejects = sorted(
        [*renamed, *rows.rejects, *reader_rejects], key=lambda r: (r.line or 0, r.column or "")
    )
    if parsed.rows_read is not None:
        extra = rows.rows_rejected + raw.rows_dropped
        parsed.rows_read += extra
        parsed.rows_rejected = (parsed.rows_rejected or 0) + extra
        if extra:
            # a row not built has no key: the rows missing from this snapshot are unknown
            parsed.present_keys = None
    parsed.values = list(rows.values)
    parsed.left_out = rows.left_out
    if rows.left_out:
        parsed.warnings.append(
            f"{label}: {rows.left_out} row(s) left out, not rows of "
            f"{rows.entity.system}/{rows.entity.name} ({rows.left_out_why})"
        )
    return parsed


def _column_label(column: str | None, sources: Mapping[str, str]) -> str | None:
    if column is None or column not in sources:
        return column
    return f"{sources[column]} ({column})"
