"""Readers of the three export formats: raw columns as written, and the line of each row.

`read_raw` turns the bytes of a `.csv`, `.jsonl` or `.parquet` file into a `RawFile`:
its column names as written, its columns (text for CSV and JSONL, the file's own
types for Parquet) and a way to find the file line of any row. Nothing is typed
here (`flows.ingest.casting` does that); a row the reader cannot split into values
(a CSV line with the wrong number of values, a JSONL line that is not a JSON object)
is dropped with a `Reject`. A file that cannot be read at all raises ExportFileError.

Encoding: a line whose bytes are not valid in the file's encoding is rejected ("not
valid utf-8", with its line and the bytes at fault) and the other lines load; only a
header that cannot be decoded, or an encoding whose line ends are not the byte `\n`
(UTF-16, UTF-32), refuses the whole file.

Line numbers: CSV lines are the file's lines (the header is line 1 unless blank lines
precede it) and name the line where the record starts, so a quoted value spanning
several lines moves the next records' line numbers on as an editor would show them.
JSONL lines are the file's lines. Parquet has no lines: the number is the row's
position, first row = 1.
"""

from __future__ import annotations

import bisect
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
    # rows read but holding bytes the encoding cannot decode: row index -> its reject
    undecodable: dict[int, Reject] = field(default_factory=dict)


@dataclass
class _Decoded:
    """A file's text, and the lines that could not be decoded (line -> bytes at fault);
    those lines are in `text` with U+FFFD in place of the bytes."""

    text: str
    bad_lines: dict[int, bytes] = field(default_factory=dict)


def _decode(data: bytes, fmt: FileFormat, label: str) -> _Decoded:
    encoding = "utf-8-sig" if fmt.is_utf8 else fmt.encoding
    try:
        return _Decoded(data.decode(encoding))
    except UnicodeDecodeError as exc:
        error = exc
    if not "a\n".encode(encoding).endswith(b"a\n"):  # not ASCII-compatible (UTF-16...)
        # lines cannot be told apart without decoding: the whole file is out
        line = data[: error.start].count(b"\n") + 1
        raise ExportFileError(
            f"{label}, line {line}: the bytes {data[error.start : error.end]!r} are not valid "
            f"{fmt.encoding}. Save the file as UTF-8, or set 'encoding' for this file in "
            f"{settings.EXPORT_SETTINGS_FILE} (for example latin-1 or cp1252)."
        ) from error
    # decode line by line: the lines that fail are kept, marked, and rejected later
    lines: list[str] = []
    bad_lines: dict[int, bytes] = {}
    for number, raw in enumerate(data.split(b"\n"), start=1):
        line_encoding = encoding if number == 1 else fmt.encoding
        try:
            lines.append(raw.decode(line_encoding))
        except UnicodeDecodeError as exc:
            bad_lines[number] = raw[exc.start : exc.end]
            lines.append(raw.decode(line_encoding, errors="replace"))
    return _Decoded("\n".join(lines), bad_lines)


def _encoding_reject(label: str, line: int, decoded: _Decoded, fmt: FileFormat) -> Reject:
    text = decoded.text.split("\n", line)[line - 1] if line else ""
    return Reject(
        label,
        line,
        None,
        truncate(text.rstrip("\r")),
        reasons.not_valid_encoding(decoded.bad_lines[line], fmt),
        reasons.NOT_VALID_ENCODING,
    )


def _read_csv(data: bytes, fmt: FileFormat, label: str) -> RawFile:
    decoded = _decode(data, fmt, label)
    text = decoded.text
    utf8 = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if not fmt.is_utf8 or decoded.bad_lines:
        utf8 = text.encode("utf-8")
    if not utf8.endswith(b"\n"):
        utf8 += b"\n"  # Arrow cannot read a header alone without its line end
    # like Arrow, skip blank lines before the header
    rows = csv.reader(io.StringIO(text), delimiter=fmt.delimiter)
    header = next((row for row in rows if row), [])
    header_line = rows.line_num
    if header_line in decoded.bad_lines:
        raise ExportFileError(
            f"{label}, line {header_line}: the header's bytes "
            f"{decoded.bad_lines[header_line]!r} are not valid {fmt.encoding}, so its "
            f"columns cannot be told. Save the file as {fmt.encoding}, or set 'encoding' for "
            f"this file in {settings.EXPORT_SETTINGS_FILE} (for example latin-1 or cp1252)."
        )
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
    if decoded.bad_lines:
        raw.undecodable = {
            row: _encoding_reject(label, line, decoded, fmt)
            for row, line in lines.rows_on_lines(sorted(decoded.bad_lines)).items()
        }
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
        self._ends: list[int] = []  # the line where each record ends
        self._invalid: list[tuple[int, list[str]]] = []

    def _scan(self) -> list[int]:
        if self._starts is None:
            starts: list[int] = []
            ends: list[int] = []
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
                        ends.append(reader.line_num)
            except csv.Error:
                log.warning("cannot count CSV lines exactly; line numbers are approximate")
                starts = []
            finally:
                csv.field_size_limit(limit)
            if len(starts) != self._arrow_rows:
                log.warning("CSV line numbers are approximate (quoted values over several lines)")
                starts = [i + 2 for i in range(self._arrow_rows)]
                ends = list(starts)
            self._starts = starts
            self._ends = ends
        return self._starts

    def line_of(self, row: int) -> int:
        return self._scan()[row]

    def rows_on_lines(self, lines: list[int]) -> dict[int, int]:
        """The rows (of the Arrow table) spanning one of `lines` (sorted) -> that line."""
        starts = self._scan()
        found: dict[int, int] = {}
        for row, (start, end) in enumerate(zip(starts, self._ends, strict=True)):
            at = bisect.bisect_left(lines, start)
            if at < len(lines) and lines[at] <= end:
                found[row] = lines[at]
        return found

    def invalid_rows(self, label: str) -> list[Reject]:
        self._scan()
        return [
            Reject(
                label,
                line,
                None,
                truncate(self._delimiter.join(values)),
                reasons.wrong_value_count(len(values), self._width, self._delimiter),
                reasons.WRONG_VALUE_COUNT,
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
    decoded = _decode(data, fmt, label)
    names: list[str] = []
    positions: dict[str, int] = {}
    values: list[list[str | None]] = []
    lines: list[int] = []
    rejects: list[Reject] = []
    for number, line in enumerate(decoded.text.split("\n"), start=1):
        line = line.strip()
        if not line:
            continue
        if number in decoded.bad_lines:
            rejects.append(_encoding_reject(label, number, decoded, fmt))
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
                    reasons.INVALID_JSON,
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
                    reasons.INVALID_JSON,
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
