"""`terrain check-exports DIR`: read an export folder as a run would, write nothing.

Every file of the folder goes through the code ingestion uses (`folder.scan_export_folder`,
`export_file.read_export_file` for canonical files, `vendor_file.VendorReader` for
vendor files), and the result is told per file instead of loaded: its format (canonical,
or a vendor format declared or recognised), rows received, loaded and rejected, the
rejects by reason with an example each, the dates it covers, the enumerated values the
value maps read and what they became, and a verdict:

- `ready`: the file loads as it is;
- `needs a setting`: it loads once `export-settings.yaml` says something (a format for a
  file two formats match, a value the value map does not know, a rating scale, a
  reject share), and the report gives the line to add;
- `unusable`: it cannot load (a required column missing, unreadable, no row loaded).

Then, for the folder: the required entities it lacks, and how customers link across
systems (the share of tickets, reviews and CRM contacts whose e-mail, or customer id,
is a shop customer's), as the warehouse will link them (by normalised e-mail).

Nothing is written: no warehouse, no dlt state, no file.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from flows import settings
from flows.ingest import contract
from flows.ingest.contract import Entity
from flows.ingest.export_file import EarlierKeys, ParsedFile, read_export_file
from flows.ingest.export_settings import (
    ExportSettings,
    ExportSettingsError,
    FileFormat,
    load_export_settings,
)
from flows.ingest.folder import ExportFolder, scan_export_folder
from flows.ingest.readers import ExportFileError
from flows.ingest.rejects import Reject
from flows.ingest.vendor_engine import ValueCount
from flows.ingest.vendor_file import VendorFile, VendorReader, vendor_file_format

READY, NEEDS_SETTING, UNUSABLE = "ready", "needs a setting", "unusable"


@dataclass
class ReasonSummary:
    """One kind of reject in a file: rows, and its first example."""

    code: str
    rows: int
    example: Reject


@dataclass
class FileCheck:
    """What one file (for one entity) would load."""

    label: str
    entity: str  # "shop/orders"
    format: str  # "canonical", or a vendor format id
    how: str  # "file name", "declared", "recognised from its header"
    received: int | None = None
    loaded: int = 0
    rejected: int | None = None
    left_out: int = 0
    reasons: list[ReasonSummary] = field(default_factory=list)
    first_at: object = None
    last_at: object = None
    values: list[ValueCount] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    refused: str | None = None
    verdict: str = READY
    settings_lines: list[str] = field(default_factory=list)
    why: list[str] = field(default_factory=list)


@dataclass
class IdentityLink:
    """How many rows of a source name a shop customer."""

    source: str  # "support/tickets"
    rows: int
    linked: int
    by: str  # "requester e-mail"

    @property
    def share(self) -> float:
        return self.linked / self.rows if self.rows else 0.0


@dataclass
class ExportsCheck:
    """What `terrain check-exports` found."""

    exports_dir: Path
    files: list[FileCheck] = field(default_factory=list)
    folder_problems: list[str] = field(default_factory=list)
    folder_lines: list[str] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)
    identity: list[IdentityLink] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    # vendor files that fill no entity, read to resolve others' references: (label, format)
    lookup_files: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    # the canonical tables that would load, by entity ("shop/orders"), for `terrain init`
    tables: dict[str, list[pa.Table]] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        verdicts = {f.verdict for f in self.files}
        if self.folder_problems or UNUSABLE in verdicts or self.missing_required:
            return UNUSABLE if (UNUSABLE in verdicts or self.missing_required) else NEEDS_SETTING
        return NEEDS_SETTING if NEEDS_SETTING in verdicts else READY


def check_exports(exports_dir: Path, today: dt.date | None = None) -> ExportsCheck:
    """Read every file of `exports_dir` as ingestion would and say what would load."""
    started = time.perf_counter()
    exports_dir = Path(exports_dir).resolve()
    result = ExportsCheck(exports_dir)
    today = today or settings.run_date()
    if not exports_dir.is_dir():
        result.folder_problems.append(f"{exports_dir} is not a folder")
        return result
    try:
        export_settings = load_export_settings(exports_dir)
    except ExportSettingsError as exc:
        result.folder_problems.append(str(exc))
        export_settings = ExportSettings()
    folder = scan_export_folder(exports_dir, export_settings)
    result.ignored = [folder.label(p) for p in folder.ignored]
    result.lookup_files = [(v.label, v.spec.id) for v in folder.vendor.values() if not v.entities]
    for ambiguous in folder.ambiguous:
        result.folder_problems.append(ambiguous.message())
        result.folder_lines.append(
            f"vendor_files: {{{ambiguous.label}: {{format: <{'|'.join(ambiguous.candidates)}>}}}}"
        )
    found = {v.label.lower() for v in folder.vendor.values()}
    for declared in export_settings.vendor_files:
        if declared not in found:
            result.folder_problems.append(
                f"{settings.EXPORT_SETTINGS_FILE} declares {declared} under vendor_files, "
                "and the folder has no such file (its path is relative to the folder)"
            )
    for path, reason in folder.refused_other:
        result.folder_problems.append(f"{folder.label(path)}: {reason}")
    tables: dict[str, list[pa.Table]] = {}
    reader = VendorReader(list(folder.vendor.values()), export_settings)
    for entity in contract.ENTITIES:
        paths = folder.files.get(entity, [])
        earlier: EarlierKeys | None = {} if len(paths) > 1 else None
        for path, reason in folder.refused.get(entity, []):
            check = FileCheck(folder.label(path), _key(entity), "canonical", "file name")
            check.refused = reason
            result.files.append(_judge(check, None, export_settings, None))
        for path in paths:
            vendor = folder.vendor.get(path)
            check, parsed = _read(folder, reader, export_settings, entity, path, earlier, today)
            result.files.append(_judge(check, parsed, export_settings, vendor))
            if parsed is not None:
                tables.setdefault(_key(entity), []).append(parsed.table)
    loaded = {key for key, parts in tables.items() if sum(t.num_rows for t in parts)}
    result.missing_required = [
        f"{system}/{entity}"
        for system, entity in contract.REQUIRED_ENTITIES
        if f"{system}/{entity}" not in loaded
    ]
    result.identity = identity_links(tables)
    result.tables = tables
    result.seconds = time.perf_counter() - started
    return result


def _key(entity: Entity) -> str:
    return f"{entity.system}/{entity.name}"


def _read(
    folder: ExportFolder,
    reader: VendorReader,
    export_settings: ExportSettings,
    entity: Entity,
    path: Path,
    earlier: EarlierKeys | None,
    today: dt.date,
) -> tuple[FileCheck, ParsedFile | None]:
    label = folder.label(path, entity)
    vendor = folder.vendor.get(path)
    if vendor is None:
        check = FileCheck(label, _key(entity), "canonical", "file name")
        fmt = export_settings.for_file(entity.system, entity.name)
    else:
        how = "declared" if vendor.declared else "recognised from its header"
        check = FileCheck(label, _key(entity), vendor.spec.id, how)
        fmt = vendor_file_format(vendor, entity, export_settings)
    try:
        if vendor is None:
            parsed = read_export_file(path, entity, fmt, label, None, earlier, today)
        else:
            parsed = reader.read(path, entity, fmt, None, earlier, today)
    except ExportFileError as exc:
        check.refused = str(exc)
        return check, None
    check.received = parsed.rows_read
    check.loaded = parsed.rows_loaded
    check.rejected = parsed.rows_rejected
    check.left_out = parsed.left_out
    check.refused = parsed.refused
    check.reasons = _reasons(parsed.rejects)
    check.first_at, check.last_at = parsed.date_range(entity)
    check.values = list(parsed.values)
    check.warnings = list(parsed.warnings)
    return check, parsed


def _reasons(rejects: Iterable[Reject]) -> list[ReasonSummary]:
    """Rejects by reason code, most rows first, each with its first example."""
    rows: dict[str, set[int | None]] = {}
    first: dict[str, Reject] = {}
    for reject in rejects:
        rows.setdefault(reject.code, set()).add(reject.line)
        first.setdefault(reject.code, reject)
    return sorted(
        (ReasonSummary(code, len(lines), first[code]) for code, lines in rows.items()),
        key=lambda r: (-r.rows, r.code),
    )


def _judge(
    check: FileCheck,
    parsed: ParsedFile | None,
    export_settings: ExportSettings,
    vendor: VendorFile | None,
) -> FileCheck:
    """The file's verdict, why, and the lines of export-settings.yaml that would help."""
    system, entity = check.entity.split("/")
    fmt: FileFormat = export_settings.for_file(system, entity)
    if check.refused is not None or parsed is None:
        check.verdict = UNUSABLE
        check.why.append(check.refused or "the file cannot be read")
        return check
    if vendor is not None and not vendor.declared:
        # recognised: fine as it is; the line pins the format if headers ever change
        check.settings_lines.append(
            f"vendor_files: {{{vendor.label}: {{format: {vendor.spec.id}}}}}  # optional"
        )
    received = check.received or 0
    share = (check.rejected or 0) / received if received else 0.0
    if received and not check.loaded:
        check.verdict = UNUSABLE
        check.why.append(f"none of its {received} rows would load")
    elif share > fmt.max_reject_share:
        check.verdict = NEEDS_SETTING
        check.why.append(
            f"{share:.1%} of its rows would be rejected, above the {fmt.max_reject_share:.0%} "
            "allowed: fix the file, or accept that they are left out:"
        )
        check.settings_lines.append(
            f"files: {{{check.entity}: {{max_reject_share: {min(1.0, share + 0.01):.0%}}}}}"
        )
    for reason in check.reasons:
        if reason.code == "out_of_range" and "rating_scale" in reason.example.reason:
            check.verdict = _worst(check.verdict, NEEDS_SETTING)
            check.why.append("ratings above 5: if the scale is 10, say so")
            label = vendor.label if vendor is not None else check.label
            check.settings_lines.append(
                f"vendor_files: {{{label}: {{format: {check.format}, rating_scale: 10}}}}"
            )
    unmapped = [v for v in check.values if not v.is_mapped]
    if unmapped:
        columns = {v.column for v in unmapped}
        for column in sorted(columns):
            of_column = [v for v in check.values if v.column == column]
            total = sum(v.rows for v in of_column)
            missing = [v for v in unmapped if v.column == column]
            missing_rows = sum(v.rows for v in missing)
            default = missing[0].mapped_to
            by_value: dict[str | None, int] = {}
            for v in of_column:
                by_value[v.mapped_to] = by_value.get(v.mapped_to, 0) + v.rows
            top = max(by_value.items(), key=lambda item: item[1])[0]
            if missing_rows / total > fmt.max_reject_share or top == default:
                check.verdict = _worst(check.verdict, NEEDS_SETTING)
                check.why.append(
                    f"{missing_rows} of {total} rows have a {missing[0].source} the format "
                    f"does not know (read as {default or 'empty'}): say what they are"
                )
                check.settings_lines += [v.setting_line() for v in missing[:5]]
    return check


def _worst(a: str, b: str) -> str:
    order = [READY, NEEDS_SETTING, UNUSABLE]
    return max(a, b, key=order.index)


def _normalised(array: pa.ChunkedArray | pa.Array) -> set[str]:
    values = pc.utf8_lower(pc.utf8_trim_whitespace(array.cast(pa.string())))
    return {v for v in values.to_pylist() if v}


def identity_links(tables: dict[str, list[pa.Table]]) -> list[IdentityLink]:
    """The share of tickets, reviews and CRM contacts that name a shop customer: by
    normalised e-mail (and, for reviews, by customer id), as the warehouse links them."""
    customers = tables.get("shop/customers", [])
    if not customers:
        return []
    emails: set[str] = set()
    ids: set[str] = set()
    for table in customers:
        emails |= _normalised(table["email"])
        ids |= {v for v in table["customer_id"].to_pylist() if v}
    links: list[IdentityLink] = []
    sources = [
        ("support/tickets", "requester_email", "requester e-mail"),
        ("shop/reviews", "customer_id", "customer id or e-mail"),
        ("crm/contacts", "email", "e-mail"),
    ]
    for source, column, by in sources:
        parts = tables.get(source, [])
        rows = sum(t.num_rows for t in parts)
        if not rows:
            continue
        linked = 0
        for table in parts:
            for value in table[column].to_pylist():
                if value and (value in ids or value.strip().lower() in emails):
                    linked += 1
        links.append(IdentityLink(source, rows, linked, by))
    return links


# ------------------------------------------------------------------------- the report


def _date(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)


def format_report(result: ExportsCheck) -> str:
    """The report `terrain check-exports` prints."""
    lines = [f"Export folder {result.exports_dir}"]
    for check in result.files:
        lines.append("")
        lines.append(f"{check.label} -> {check.entity}  [{check.verdict.upper()}]")
        fmt = "canonical file" if check.format == "canonical" else f"format {check.format}"
        lines.append(f"  {fmt} ({check.how})")
        if check.received is not None:
            left = f", {check.left_out} left out" if check.left_out else ""
            lines.append(
                f"  rows: {check.received} received, {check.loaded} would load, "
                f"{check.rejected} would be rejected{left}"
            )
        if check.first_at is not None:
            lines.append(f"  dates: {_date(check.first_at)} to {_date(check.last_at)}")
        for reason in check.reasons[:5]:
            example = reason.example
            where = f"line {example.line}" if example.line is not None else "whole file"
            column = f", {example.column}" if example.column else ""
            lines.append(f"  rejected: {reason.code}, {reason.rows} row(s); e.g. {where}{column}:")
            lines.append(f"    {example.reason}")
        by_column: dict[str, list[ValueCount]] = {}
        for value in check.values:
            by_column.setdefault(value.column, []).append(value)
        for column, values in by_column.items():
            shown = ", ".join(
                f"{v.value} -> {v.mapped_to or 'empty'}"
                f"{'' if v.is_mapped else ' (not in the map)'} ({v.rows})"
                for v in values[:8]
            )
            more = f", {len(values) - 8} more" if len(values) > 8 else ""
            lines.append(f"  {column} ({values[0].source}): {shown}{more}")
        for warning in check.warnings:
            lines.append(f"  note: {warning}")
        for why in check.why:
            lines.append(f"  why: {why}")
        for line in check.settings_lines:
            lines.append(f"  add to {settings.EXPORT_SETTINGS_FILE}: {line}")
    if result.lookup_files:
        lines += ["", "Read to resolve the others' references (they fill no entity):"]
        lines += [f"  {label}: format {format_id}" for label, format_id in result.lookup_files]
    if result.ignored:
        lines += ["", "Not read (no canonical name, no vendor format recognised):"]
        lines += [f"  {label}" for label in result.ignored]
    if result.identity:
        lines += ["", "Customers across systems (linked to a shop customer):"]
        for link in result.identity:
            lines.append(
                f"  {link.source}: {link.linked} of {link.rows} ({link.share:.0%}) by {link.by}"
            )
    for problem in result.folder_problems:
        lines += ["", f"Folder: {problem}"]
    for line in result.folder_lines:
        lines.append(f"  add to {settings.EXPORT_SETTINGS_FILE}: {line}")
    if result.missing_required:
        lines += [
            "",
            "Missing for a brief (required): " + ", ".join(result.missing_required),
        ]
    lines += ["", f"Verdict: {result.verdict} ({result.seconds:.1f} s; nothing was written)"]
    return "\n".join(lines)
