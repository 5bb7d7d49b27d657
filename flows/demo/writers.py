"""Writes the demo's records as an export folder, the way each system would export them.

The shop writes plain CSV (plus one Parquet and one JSONL file, so the three
accepted formats are all exercised), the CRM plain CSV with local offsets, and
the help desk a French spreadsheet-style CSV: semicolons, decimal commas, a
byte-order mark, Windows line endings and day-first dates in Paris time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.parquet as pq

from flows import settings
from flows.ingest import contract

PARIS = ZoneInfo("Europe/Paris")
UTC = dt.UTC


@dataclass(frozen=True)
class FileStyle:
    """How one system writes its files; mirrored in export-settings.yaml."""

    timestamps: (
        str  # "utc": ISO with Z; "offset": ISO with the Paris offset; else a strftime pattern
    )
    delimiter: str = ","
    decimal: str = "."
    encoding: str = "utf-8"
    line_end: str = "\n"


SHOP = FileStyle("utc")
CRM = FileStyle("offset")
SUPPORT = FileStyle(
    "%d/%m/%Y %H:%M", delimiter=";", decimal=",", encoding="utf-8-sig", line_end="\r\n"
)
STYLES = {"shop": SHOP, "crm": CRM, "support": SUPPORT}

EXPORT_SETTINGS = """\
# How the files of this export folder are written (docs/architecture.md, section 1).
# The help desk exports French spreadsheets; the shop and the CRM write plain CSV.
defaults:
  delimiter: ","
  decimal: "."
  date_format: iso
  encoding: utf-8
  timezone: UTC
systems:
  support:
    delimiter: ";"
    decimal: ","
    date_format: "%d/%m/%Y %H:%M"
    encoding: utf-8-sig
    timezone: Europe/Paris    # its dates carry no offset: they are Paris wall-clock times
"""


def format_timestamp(value: dt.datetime, style: FileStyle) -> str:
    aware = value.replace(tzinfo=UTC)
    if style.timestamps == "utc":
        return aware.strftime("%Y-%m-%dT%H:%M:%SZ")
    local = aware.astimezone(PARIS)
    if style.timestamps == "offset":
        return local.isoformat(timespec="seconds")
    return local.strftime(style.timestamps)


def format_value(value: object, type_: str, style: FileStyle) -> str:
    if value is None or value == "":
        return ""
    if type_ == contract.TIMESTAMP:
        assert isinstance(value, dt.datetime)
        return format_timestamp(value, style)
    if type_ == contract.DECIMAL:
        text = f"{float(value):.2f}" if isinstance(value, float) else str(value)  # type: ignore[arg-type]
        return text.replace(".", style.decimal)
    return str(value)


def columns_of(system: str, entity: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Column name -> type: the canonical columns, then any extra ones."""
    types = dict(contract.ENTITIES_BY_KEY[(system, entity)].column_types)
    types.update(extra or {})
    return types


def write_csv(
    path: Path,
    system: str,
    entity: str,
    rows: Iterable[Mapping[str, object]],
    extra: Mapping[str, str] | None = None,
) -> int:
    style = STYLES[system]
    types = columns_of(system, entity, extra)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=style.delimiter, lineterminator=style.line_end)
    writer.writerow(list(types))
    count = 0
    for row in rows:
        writer.writerow([format_value(row.get(name), t, style) for name, t in types.items()])
        count += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode(style.encoding))
    return count


def write_jsonl(path: Path, system: str, entity: str, rows: Sequence[Mapping[str, object]]) -> int:
    style = FileStyle("offset")
    types = columns_of(system, entity)
    lines = []
    for row in rows:
        record: dict[str, object] = {}
        for name in types:
            value = row.get(name)
            if isinstance(value, dt.datetime):
                value = format_timestamp(value, style)
            elif value == "":
                value = None
            record[name] = value
        lines.append(json.dumps(record, ensure_ascii=False))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(rows)


ARROW_TYPES = {
    contract.TEXT: pa.string(),
    contract.INTEGER: pa.int64(),
    contract.DECIMAL: pa.float64(),
}


def write_parquet(
    path: Path, system: str, entity: str, rows: Sequence[Mapping[str, object]]
) -> int:
    types = columns_of(system, entity)
    schema = pa.schema([(name, ARROW_TYPES[t]) for name, t in types.items()])
    table = pa.table({name: [row.get(name) for row in rows] for name in types}, schema=schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="snappy")
    return len(rows)


def write_export_settings(exports_dir: Path) -> Path:
    path = exports_dir / settings.EXPORT_SETTINGS_FILE
    path.write_text(EXPORT_SETTINGS, encoding="utf-8")
    return path
