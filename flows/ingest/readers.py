"""Readers of the three export formats: raw columns as written, and the line of each row.

`read_raw` turns the bytes of a `.csv`, `.jsonl` or `.parquet` file into a `RawFile`:
its column names as written, its columns (text for CSV and JSONL, the file's own
types for Parquet) and a way to find the file line of any row. Nothing is typed
here (`flows.ingest.casting` does that); a row the reader cannot split into values
(a CSV line with the wrong number of values, a JSONL line that is not a JSON object)
is dropped with a `Reject`. A file that cannot be read at all raises ExportFileError.

Line numbers: CSV lines are the file's lines (the header is line 1 unless blank lines
precede it) and name the line where the record starts, so a quoted value spanning
several lines moves the next records' line numbers on as an editor would show them.
JSONL lines are the file's lines. Parquet has no lines: the number is the row's
position, first row = 1.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from flows import settings
from flows.ingest import rejects as reasons
from flows.ingest.export_settings import FileFormat
from flows.ingest.rejects import Reject, truncate

log = logging.getLogger(__name__)

EXTENSIONS = (".csv", ".jsonl", ".parquet")


class ExportFileError(Exception):
    """A file cannot be read at all (unreadable, wrong encoding, broken Parquet)."""


def read_raw(suffix: str, data: bytes, fmt: FileFormat, label: str) -> RawFile:
    """The raw columns of a file of type `suffix` (".csv", ".jsonl" or ".parquet")."""
    if suffix == ".csv":
        return _read_csv(data, fmt, label)
    if suffix == ".jsonl":
        return _read_jsonl(data, fmt, label)
    if suffix == ".parquet":
        return _read_parquet(data, label)
    raise ExportFileError(f"{label}: unsupported file type; use {', '.join(EXTENSIONS)}.")


@dataclass
class RawFile:
    """Columns as read (usually strings), before any canonical typing."""

    names: list[str]
    columns: list[pa.Array]
    num_rows: int
    # row index -> file line; computed only when a reject needs it
    line_of: Callable[[int], int]
    rejects: list[Reject] = field(default_factory=list)  # rows dropped while reading
    rows_dropped: int = 0


def _decode(data: bytes, fmt: FileFormat, label: str) -> str:
    encoding = "utf-8-sig" if fmt.is_utf8 else fmt.encoding
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ExportFileError(
            f"{label}, line {line}: the bytes {data[exc.start : exc.end]!r} are not valid "
            f"{fmt.encoding}. Save the file as UTF-8, or set 'encoding' for this file in "
            f"{settings.EXPORT_SETTINGS_FILE} (for example latin-1 or cp1252)."
        ) from exc


def _read_csv(data: bytes, fmt: FileFormat, label: str) -> RawFile:
    text = _decode(data, fmt, label)
    utf8 = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if not fmt.is_utf8:
        utf8 = text.encode("utf-8")
    if not utf8.endswith(b"\n"):
        utf8 += b"\n"  # Arrow cannot read a header alone without its line end
    # like Arrow, skip blank lines before the header
    rows = csv.reader(io.StringIO(text), delimiter=fmt.delimiter)
    header = next((row for row in rows if row), [])
    if len(set(header)) != len(header):
        duplicates = sorted({h for h in header if header.count(h) > 1})
        raise ExportFileError(
            f"{label}, line 1: the header repeats the column(s) {', '.join(duplicates)}; "
            "give every column a distinct name."
        )
    bad_rows: list[int] = []

    def on_invalid_row(row: pa_csv.InvalidRow) -> str:
        bad_rows.append(row.actual_columns)
        return "skip"

    try:
        table = pa_csv.read_csv(
            io.BytesIO(utf8),
            read_options=pa_csv.ReadOptions(block_size=1 << 26),
            parse_options=pa_csv.ParseOptions(
                delimiter=fmt.delimiter,
                newlines_in_values=True,
                invalid_row_handler=on_invalid_row,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as exc:
        raise ExportFileError(
            f"{label}: cannot read the CSV ({exc}). Check the delimiter ({fmt.delimiter!r}) "
            "and the quoting, or fix the file."
        ) from exc

    lines = _CsvLines(text, fmt.delimiter, len(header), table.num_rows)
    raw = RawFile(
        names=list(table.column_names),
        columns=[c.combine_chunks() for c in table.columns],
        num_rows=table.num_rows,
        line_of=lines.line_of,
    )
    if bad_rows:
        raw.rows_dropped = len(bad_rows)
        raw.rejects = lines.invalid_rows(label)
    return raw


class _CsvLines:
    """Maps CSV records to the file line where each starts, with Python's csv module.

    Arrow does not report line numbers; this second, slower pass runs only when a
    reject needs a line. Blank lines are skipped and records with the wrong number of
    values are left out, as Arrow does, so record i here is row i of the Arrow table.
    If the two parsers ever disagree on the record count, line numbers fall back to
    "row + 2" (exact when no value spans several lines) and a warning is logged.
    """

    def __init__(self, text: str, delimiter: str, width: int, arrow_rows: int) -> None:
        self._text = text
        self._delimiter = delimiter
        self._width = width
        self._arrow_rows = arrow_rows
        self._starts: list[int] | None = None
        self._invalid: list[tuple[int, list[str]]] = []

    def _scan(self) -> list[int]:
        if self._starts is None:
            starts: list[int] = []
            limit = csv.field_size_limit()
            csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
            try:
                reader = csv.reader(io.StringIO(self._text), delimiter=self._delimiter)
                previous = 0
                header_seen = False
                for row in reader:
                    start, previous = previous + 1, reader.line_num
                    if not row:
                        continue
                    if not header_seen:
                        header_seen = True
                        continue
                    if len(row) != self._width:
                        self._invalid.append((start, row))
                    else:
                        starts.append(start)
            except csv.Error:
                log.warning("cannot count CSV lines exactly; line numbers are approximate")
                starts = []
            finally:
                csv.field_size_limit(limit)
            if len(starts) != self._arrow_rows:
                log.warning("CSV line numbers are approximate (quoted values over several lines)")
                starts = [i + 2 for i in range(self._arrow_rows)]
            self._starts = starts
        return self._starts

    def line_of(self, row: int) -> int:
        return self._scan()[row]

    def invalid_rows(self, label: str) -> list[Reject]:
        self._scan()
        return [
            Reject(
                label,
                line,
                None,
                truncate(self._delimiter.join(values)),
                reasons.wrong_value_count(len(values), self._width, self._delimiter),
            )
            for line, values in self._invalid
        ]


def _json_text(value: object, decimal: str) -> str | None:
    """A JSON value as the text the typed casts read (numbers use the file's decimal mark)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        text = repr(value)
        if isinstance(value, float) and "e" in text and math.isfinite(value):
            text = format(Decimal(text), "f")  # a JSON number is no text: no exponent
        return text.replace(".", decimal) if decimal != "." else text
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _read_jsonl(data: bytes, fmt: FileFormat, label: str) -> RawFile:
    text = _decode(data, fmt, label)
    names: list[str] = []
    positions: dict[str, int] = {}
    values: list[list[str | None]] = []
    lines: list[int] = []
    rejects: list[Reject] = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            rejects.append(
                Reject(
                    label,
                    number,
                    None,
                    truncate(line),
                    reasons.invalid_json(exc.msg),
                )
            )
            continue
        if not isinstance(obj, dict):
            rejects.append(
                Reject(
                    label,
                    number,
                    None,
                    truncate(line),
                    reasons.NOT_A_JSON_OBJECT,
                )
            )
            continue
        row_index = len(lines)
        lines.append(number)
        for key, value in obj.items():
            key = str(key)
            if key not in positions:
                positions[key] = len(names)
                names.append(key)
                values.append([None] * row_index)
            values[positions[key]].append(_json_text(value, fmt.decimal))
        for column in values:
            if len(column) <= row_index:
                column.append(None)
    columns = [pa.array(v, type=pa.string()) for v in values]
    raw = RawFile(names, columns, len(lines), lines.__getitem__, rejects, len(rejects))
    return raw


def _read_parquet(data: bytes, label: str) -> RawFile:
    try:
        table = pq.read_table(io.BytesIO(data))
    except (pa.ArrowException, OSError) as exc:
        raise ExportFileError(f"{label}: not a readable Parquet file ({exc}).") from exc
    return RawFile(
        names=list(table.column_names),
        columns=[c.combine_chunks() for c in table.columns],
        num_rows=table.num_rows,
        line_of=lambda row: row + 1,
    )
