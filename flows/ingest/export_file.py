"""Read one canonical export file into a typed Arrow table, plus the rows it had to reject.

`read_export_file` turns a CSV, JSONL or Parquet file into a `pyarrow.Table` whose
canonical columns have the raw-layer types of `contract.ENTITIES` (text -> string,
integer -> int64, decimal -> float64, timestamp -> timestamp[us, UTC]). Unknown extra
columns are kept as text; optional canonical columns missing from the file are added
as NULL. Values are cast column by column with `pyarrow.compute`; only when a cast
fails does the code look at single values, to find the rows at fault.

A row with any value that cannot be parsed (or an empty required value, a value out
of its range, a duplicate primary key) is rejected whole: it is left out of the table
and described by one `Reject` per bad value, with the real line number in the file. A
file without a required column loads nothing and gets a single `Reject` with
`line=None`; an empty file (no bytes, or only blanks) is zero rows and a warning.

Values: text of the canonical columns is trimmed (blank = NULL); numbers written as
text take no exponent ("1e3" is rejected) and must be finite; dates must fall in the
years MIN_YEAR..MAX_YEAR (so a 2-digit year read by %Y is rejected); a date alone
means midnight in the file's time zone. `RANGE_RULES` bounds some numeric columns.

Extra columns keep the names of the file; dlt stores them snake_case. An extra column
whose stored name would be that of another column is dropped, with a warning and a
`Reject` naming it (`line=None`), so the rest of the file still loads.

Line numbers: CSV lines are the file's lines (the header is line 1 unless blank lines
precede it) and name the line where the record starts, so a quoted value spanning several lines moves the next records' line
numbers on as an editor would show them. JSONL lines are the file's lines. Parquet
has no lines: the number is the row's position, first row = 1.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from dlt.common.normalizers.naming.snake_case import NamingConvention

from flows import settings
from flows.ingest import contract
from flows.ingest.contract import RANGE_RULES, Entity, RangeRule
from flows.ingest.export_settings import ISO, FileFormat

log = logging.getLogger(__name__)

ARROW_TYPES: dict[str, pa.DataType] = {
    contract.TEXT: pa.string(),
    contract.INTEGER: pa.int64(),
    contract.DECIMAL: pa.float64(),
    contract.TIMESTAMP: pa.timestamp("us", tz="UTC"),
}
EXTENSIONS = (".csv", ".jsonl", ".parquet")
MAX_VALUE_CHARS = 200

# Spaces used as thousands separators: normal, no-break and narrow no-break.
_THOUSANDS_SPACES = r"[ \x{00A0}\x{202F}]"
_INTEGER_RE = r"^[+-]?\d+$"
_DECIMAL_RE = r"^[+-]?(\d+(\.\d*)?|\.\d+)$"  # no exponent: "1e3" is not an amount
_ISO_DATE_RE = r"^\d{4}-\d{2}-\d{2}$"
_ISO_DATETIME_RE = (
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}(:\d{2}(:\d{2}(\.\d+)?)?)?(Z|z|[+-]\d{2}(:?\d{2})?)?$"
)
_ISO_ZONE_RE = r"(Z|z|[+-]\d{2}(:?\d{2})?)$"

# Dates outside these years are typing mistakes ("05/03/24" read by %Y is year 24).
MIN_YEAR = 1900
MAX_YEAR = 2100

# How dlt names columns in the warehouse (its default naming convention, snake_case):
# extra columns are checked against it so that two columns never get the same name.
_DLT_NAMING = NamingConvention()
_DLT_COLUMNS = ("_dlt_load_id", "_dlt_id")


class ExportFileError(Exception):
    """A file cannot be read at all (unreadable, wrong encoding, broken Parquet)."""


@dataclass(frozen=True)
class Reject:
    """One value (or a whole file, when `line` is None) that could not be loaded."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    reason: str


@dataclass
class ParsedFile:
    """The loadable rows of one file and what was rejected."""

    file: str
    table: pa.Table
    rejects: list[Reject] = field(default_factory=list)
    rows_read: int = 0
    rows_rejected: int = 0
    missing_columns: tuple[str, ...] = ()  # not empty: the whole file was rejected
    warnings: list[str] = field(default_factory=list)  # loaded, but worth telling

    @property
    def rows_loaded(self) -> int:
        return self.table.num_rows


def canonical_schema(entity: Entity) -> pa.Schema:
    return pa.schema([pa.field(c.name, ARROW_TYPES[c.type]) for c in entity.columns])


def read_export_file(
    path: Path,
    entity: Entity,
    fmt: FileFormat,
    label: str,
    data: bytes | None = None,
    earlier_keys: dict[tuple[object, ...], str] | None = None,
) -> ParsedFile:
    """Read `path` (a `.csv`, `.jsonl` or `.parquet` file of `entity`) written as `fmt`.

    `label` names the file in rejects (its path relative to the export folder);
    `data` are the file's bytes when the caller already read them. `earlier_keys`
    (primary key -> file) holds the keys loaded from the entity's other files in this
    run: a row repeating one is rejected, and the keys this file loads are added.
    """
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ExportFileError(f"{label}: cannot read the file ({exc}).") from exc
    suffix = path.suffix.lower()
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        return ParsedFile(
            label, canonical_schema(entity).empty_table(), warnings=[f"{label}: file is empty"]
        )
    if suffix == ".csv":
        raw = _read_csv(data, fmt, label)
    elif suffix == ".jsonl":
        raw = _read_jsonl(data, fmt, label)
    elif suffix == ".parquet":
        raw = _read_parquet(data, label)
    else:
        raise ExportFileError(f"{label}: unsupported file type; use {', '.join(EXTENSIONS)}.")
    return _to_canonical(raw, entity, fmt, label, earlier_keys)


# --------------------------------------------------------------------------- readers


@dataclass
class _RawFile:
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


def _read_csv(data: bytes, fmt: FileFormat, label: str) -> _RawFile:
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
    raw = _RawFile(
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
                _truncate(self._delimiter.join(values)),
                f"the line has {len(values)} values but the header has {self._width}; "
                f"check the delimiter ({self._delimiter!r}) and the quotes on this line.",
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


def _read_jsonl(data: bytes, fmt: FileFormat, label: str) -> _RawFile:
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
                    _truncate(line),
                    f"not valid JSON ({exc.msg}); each line must hold one JSON object.",
                )
            )
            continue
        if not isinstance(obj, dict):
            rejects.append(
                Reject(
                    label,
                    number,
                    None,
                    _truncate(line),
                    "the line is not a JSON object; each line must hold one object.",
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
    raw = _RawFile(names, columns, len(lines), lines.__getitem__, rejects, len(rejects))
    return raw


def _read_parquet(data: bytes, label: str) -> _RawFile:
    try:
        table = pq.read_table(io.BytesIO(data))
    except (pa.ArrowException, OSError) as exc:
        raise ExportFileError(f"{label}: not a readable Parquet file ({exc}).") from exc
    return _RawFile(
        names=list(table.column_names),
        columns=[c.combine_chunks() for c in table.columns],
        num_rows=table.num_rows,
        line_of=lambda row: row + 1,
    )


# ------------------------------------------------------------------- canonical typing


@dataclass
class _Cast:
    """A column cast to its canonical type, with the rows whose value failed."""

    array: pa.Array
    bad: pa.Array  # boolean, True where the value is at fault
    reason: Callable[[str], str]  # value -> plain-words reason


def _to_canonical(
    raw: _RawFile,
    entity: Entity,
    fmt: FileFormat,
    label: str,
    earlier_keys: dict[tuple[object, ...], str] | None = None,
) -> ParsedFile:
    by_name: dict[str, int] = {}
    canonical = {c.name: c for c in entity.columns}
    extras: list[tuple[str, int]] = []
    for index, name in enumerate(raw.names):
        clean = name.strip().lstrip("\ufeff")
        if clean.lower() in canonical and clean.lower() not in by_name:
            by_name[clean.lower()] = index
        else:
            extras.append((clean, index))

    missing = [name for name in entity.required_columns if name not in by_name]
    missing += [
        " or ".join(group) for group in entity.one_of if not any(g in by_name for g in group)
    ]
    if missing:
        return ParsedFile(
            file=label,
            table=canonical_schema(entity).empty_table(),
            rejects=[Reject(label, None, None, None, _missing_reason(missing, raw.names, fmt))],
            rows_read=raw.num_rows,
            rows_rejected=raw.num_rows,
            missing_columns=tuple(missing),
        )

    n = raw.num_rows
    arrays: list[pa.Array] = []
    casts: list[tuple[str, _Cast]] = []
    for column in entity.columns:
        if column.name not in by_name:
            arrays.append(pa.nulls(n, ARROW_TYPES[column.type]))
            continue
        source = raw.columns[by_name[column.name]]
        cast = _cast(source, column.type, column.name, fmt)
        if column.required:
            missing_value = pc.and_(pc.is_null(cast.array), pc.invert(cast.bad))
            if pc.any(missing_value).as_py():
                casts.append(
                    (column.name, _Cast(cast.array, missing_value, _required_reason(column.name)))
                )
        casts.append((column.name, cast))
        rule = RANGE_RULES.get((entity.system, entity.name, column.name))
        if rule is not None:
            casts.append((column.name, _range_check(cast, rule, column.name)))
        if column.type == contract.TIMESTAMP:
            casts.append((column.name, _year_check(cast, column.name, fmt)))
        arrays.append(cast.array)

    # one_of groups: every row needs a value in at least one of the columns
    names = [c.name for c in entity.columns]
    for group in entity.one_of:
        present = [arrays[names.index(g)] for g in group]
        empty = (
            pc.and_kleene(*[pc.is_null(a) for a in present])
            if len(present) > 1
            else pc.is_null(present[0])
        )
        if pc.any(empty).as_py():
            casts.append((group[0], _Cast(present[0], empty, _one_of_reason(group))))

    rejects = list(raw.rejects)
    warnings: list[str] = []
    for name, index in _loadable_extras(extras, raw, canonical, label, rejects, warnings):
        arrays.append(_as_text(raw.columns[index]))
        names.append(name)

    table = pa.Table.from_arrays(arrays, names=names)
    bad_rows = pa.array([False] * n, type=pa.bool_()) if n else pa.array([], type=pa.bool_())
    for name, cast in casts:
        if not pc.any(cast.bad).as_py():
            continue
        bad_rows = pc.or_(bad_rows, cast.bad)
        source = raw.columns[by_name[name]] if name in by_name else cast.array
        for row in pc.indices_nonzero(cast.bad).to_pylist():
            value = _value_text(source[row].as_py())
            rejects.append(
                Reject(label, raw.line_of(row), name, _truncate(value), cast.reason(value))
            )

    dup = _duplicate_rows(table, entity, pc.invert(bad_rows))
    if dup is not None:
        dup_mask, first_row = dup
        bad_rows = pc.or_(bad_rows, dup_mask)
        key_name = ", ".join(entity.primary_key)
        for row in pc.indices_nonzero(dup_mask).to_pylist():
            key = ", ".join(str(table[k][row].as_py()) for k in entity.primary_key)
            rejects.append(
                Reject(
                    label,
                    raw.line_of(row),
                    key_name,
                    _truncate(key),
                    f"duplicate {key_name} '{key}': already on line {raw.line_of(first_row[row])}; "
                    "only the first row is loaded. Remove the duplicate from the export.",
                )
            )

    if earlier_keys is not None:
        bad_rows = _check_earlier_keys(table, entity, bad_rows, earlier_keys, raw, label, rejects)

    if pc.any(bad_rows).as_py():
        rejected = pc.sum(pc.cast(bad_rows, pa.int64())).as_py()
        table = table.filter(pc.invert(bad_rows))
    else:
        rejected = 0
    rejects.sort(key=lambda r: (r.line or 0, r.column or ""))
    return ParsedFile(
        file=label,
        table=table,
        rejects=rejects,
        rows_read=n + raw.rows_dropped,
        rows_rejected=rejected + raw.rows_dropped,
        warnings=warnings,
    )


def _loadable_extras(
    extras: list[tuple[str, int]],
    raw: _RawFile,
    canonical: Mapping[str, object],
    label: str,
    rejects: list[Reject],
    warnings: list[str],
) -> list[tuple[str, int]]:
    """The extra columns that can be stored: dlt names them snake_case, and a column
    whose stored name is already taken (by a canonical column, an earlier extra column
    or a dlt column) would make the whole load fail; such a column is dropped."""
    taken: dict[str, str] = {name: name for name in (*canonical, *_DLT_COLUMNS)}
    kept = []
    for name, index in extras:
        if not name:
            if pc.all(pc.is_null(_as_text(raw.columns[index]))).as_py() is not False:
                continue  # an empty column without a name: a trailing delimiter
            reason = (
                "a column has no name in the header; it was not loaded. "
                "Name the column or remove it from the export."
            )
        else:
            stored = _DLT_NAMING.normalize_identifier(name)
            if stored not in taken:
                taken[stored] = name
                kept.append((name, index))
                continue
            if stored in canonical:
                like = f"the canonical column {stored}"
            elif stored in _DLT_COLUMNS:
                like = f"the column {stored} that dlt adds"
            else:
                like = f"the column '{taken[stored]}' of the same file"
            reason = (
                f"column '{name}' would be stored as '{stored}', like {like}; "
                "it was not loaded. Rename or remove the column in the export."
            )
        warnings.append(f"{label}: {reason}")
        rejects.append(Reject(label, None, name or None, None, reason))
    return kept


def _check_earlier_keys(
    table: pa.Table,
    entity: Entity,
    bad_rows: pa.Array,
    earlier_keys: dict[tuple[object, ...], str],
    raw: _RawFile,
    label: str,
    rejects: list[Reject],
) -> pa.Array:
    """Reject the rows whose primary key an earlier file of the entity already loads,
    and record the keys this file loads. Returns the updated mask of bad rows."""
    key_name = ", ".join(entity.primary_key)
    columns = [table[k].to_pylist() for k in entity.primary_key]
    good = pc.invert(bad_rows).to_pylist()
    clashes: list[int] = []
    for row, key in enumerate(zip(*columns, strict=True)):
        if not good[row]:
            continue
        other = earlier_keys.get(key)
        if other is None:
            continue
        clashes.append(row)
        text = ", ".join(str(k) for k in key)
        rejects.append(
            Reject(
                label,
                raw.line_of(row),
                key_name,
                _truncate(text),
                f"duplicate {key_name} '{text}': already in {other}, another file of "
                f"{entity.system}/{entity.name} loaded first; only that row is loaded. "
                "Keep each row in one file only.",
            )
        )
    clash_set = set(clashes)
    for row, key in enumerate(zip(*columns, strict=True)):
        if good[row] and row not in clash_set:
            earlier_keys[key] = label
    if not clashes:
        return bad_rows
    mask = pc.is_in(pa.array(range(len(good)), pa.int64()), pa.array(clashes, pa.int64()))
    return pc.or_(bad_rows, mask)


def _range_check(cast: _Cast, rule: RangeRule, column: str) -> _Cast:
    """Values of `column` outside `rule` (the ones that parsed; NULL is not checked)."""
    values = cast.array
    out = _all_false(len(values))
    if rule.minimum is not None:
        out = pc.or_(out, pc.fill_null(pc.less(values, rule.minimum), False))
    if rule.maximum is not None:
        out = pc.or_(out, pc.fill_null(pc.greater(values, rule.maximum), False))
    bounds = (
        f"from {rule.minimum:g} to {rule.maximum:g}"
        if rule.minimum is not None and rule.maximum is not None
        else f"at least {rule.minimum:g}"
        if rule.minimum is not None
        else f"at most {rule.maximum:g}"
    )

    def reason(value: str) -> str:
        return (
            f"out of range: '{value}' in column {column} must be {bounds} ({rule.why}); "
            "fix the value in the export."
        )

    return _Cast(values, out, reason)


def _year_check(cast: _Cast, column: str, fmt: FileFormat) -> _Cast:
    """Dates outside MIN_YEAR..MAX_YEAR: a short year read by %Y, or a typing mistake."""
    year = pc.year(cast.array)
    out = pc.fill_null(pc.or_(pc.less(year, MIN_YEAR), pc.greater(year, MAX_YEAR)), False)
    hint = (
        f" The year must have 4 digits in {fmt.date_format!r}."
        if fmt.date_format != ISO and "%Y" in fmt.date_format
        else ""
    )

    def reason(value: str) -> str:
        return (
            f"date out of range: '{value}' in column {column} is not between the years "
            f"{MIN_YEAR} and {MAX_YEAR}.{hint} Fix the value in the export."
        )

    return _Cast(cast.array, out, reason)


def _duplicate_rows(
    table: pa.Table, entity: Entity, good: pa.Array
) -> tuple[pa.Array, dict[int, int]] | None:
    """Rows repeating the primary key of an earlier good row, and that earlier row."""
    keys = table.select(list(entity.primary_key))
    if keys.num_rows == 0:
        return None
    distinct = keys.filter(good).group_by(list(entity.primary_key)).aggregate([]).num_rows
    if distinct == pc.sum(pc.cast(good, pa.int64())).as_py():
        return None
    seen: dict[tuple[object, ...], int] = {}
    first_row: dict[int, int] = {}
    columns = [keys[k].to_pylist() for k in entity.primary_key]
    good_list = good.to_pylist()
    for row, key in enumerate(zip(*columns, strict=True)):
        if not good_list[row]:
            continue
        if key in seen:
            first_row[row] = seen[key]
        else:
            seen[key] = row
    mask = pa.array([row in first_row for row in range(keys.num_rows)], type=pa.bool_())
    return mask, first_row


def _cast(array: pa.Array, type_: str, column: str, fmt: FileFormat) -> _Cast:
    if type_ == contract.TEXT:
        text = _as_text(array, trim=True)
        return _Cast(text, _all_false(len(text)), lambda v: "")
    if type_ == contract.INTEGER:
        return _cast_integer(array, column)
    if type_ == contract.DECIMAL:
        return _cast_decimal(array, column, fmt)
    if type_ == contract.TIMESTAMP:
        return _cast_timestamp(array, column, fmt)
    raise ValueError(f"unknown column type {type_!r} for column {column}")


def _as_text(array: pa.Array, trim: bool = False) -> pa.Array:
    """Any column as text; blank text is NULL; `trim`: without surrounding whitespace."""
    if pa.types.is_null(array.type):
        return pa.nulls(len(array), pa.string())
    try:
        array = pc.cast(array, pa.string())
    except pa.ArrowNotImplementedError:
        # lists and structs (JSON-like values in Parquet) are kept as JSON text
        array = pa.array(
            [
                None if v is None else json.dumps(v, ensure_ascii=False, default=str)
                for v in array.to_pylist()
            ],
            type=pa.string(),
        )
    trimmed = pc.utf8_trim_whitespace(array)
    blank = pc.equal(trimmed, "")
    return pc.if_else(blank, pa.scalar(None, pa.string()), trimmed if trim else array)


def _trimmed(array: pa.Array) -> pa.Array:
    """Strings trimmed, blank -> NULL."""
    trimmed = pc.utf8_trim_whitespace(pc.cast(array, pa.string()))
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def _all_false(n: int) -> pa.Array:
    return pa.array(n * [False], type=pa.bool_())


def _is_text(array: pa.Array) -> bool:
    return pa.types.is_string(array.type) or pa.types.is_large_string(array.type)


def _cast_values(
    values: pa.Array, convert: Callable[[pa.Array], pa.Array]
) -> tuple[pa.Array, pa.Array]:
    """`convert` the whole array; if that fails, value by value to find the culprits.

    Returns the converted array (NULL where a value failed) and a mask of failures.
    """
    try:
        return convert(values), _all_false(len(values))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    failures = []
    for index in pc.indices_nonzero(pc.is_valid(values)).to_pylist():
        try:
            convert(values.slice(index, 1))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            failures.append(index)
    bad = pc.is_in(pa.array(range(len(values)), pa.int64()), pa.array(failures, pa.int64()))
    kept = pc.if_else(bad, pa.scalar(None, values.type), values)
    return convert(kept), bad


def _finish(result: pa.Array, source_valid: pa.Array, failed: pa.Array) -> pa.Array:
    """Bad = a non-empty value that did not convert (or failed outright)."""
    unconverted = pc.and_(pc.is_valid(source_valid), pc.is_null(result))
    return pc.or_(unconverted, failed)


def _cast_integer(array: pa.Array, column: str) -> _Cast:
    def reason(value: str) -> str:
        return f"not a whole number: '{value}' in column {column}; fix the value in the export."

    if not _is_text(array):
        result, failed = _cast_values(array, lambda a: pc.cast(a, pa.int64()))
        return _Cast(
            result, pc.and_(pc.is_valid(array), pc.or_(failed, pc.is_null(result))), reason
        )
    values = _trimmed(array)
    compact = pc.replace_substring_regex(values, _THOUSANDS_SPACES, "")
    ok = pc.match_substring_regex(compact, _INTEGER_RE)
    candidates = pc.if_else(ok, compact, pa.scalar(None, pa.string()))
    result, failed = _cast_values(candidates, lambda a: pc.cast(a, pa.int64()))
    return _Cast(result, _finish(result, values, failed), reason)


def _cast_decimal(array: pa.Array, column: str, fmt: FileFormat) -> _Cast:
    def reason(value: str) -> str:
        if value.strip().lower().lstrip("+-") in ("nan", "inf", "infinity"):
            return f"not a number: '{value}' in column {column}; fix the value in the export."
        return (
            f"not a number: '{value}' in column {column}; fix the value or the decimal "
            f"setting in {settings.EXPORT_SETTINGS_FILE} (decimal mark now {fmt.decimal!r})."
        )

    if not _is_text(array):
        result, failed = _cast_values(array, lambda a: pc.cast(a, pa.float64()))
        # NaN and infinity (possible in typed Parquet) are no amounts
        result, failed = _finite(result, failed)
        return _Cast(
            result, pc.and_(pc.is_valid(array), pc.or_(failed, pc.is_null(result))), reason
        )
    values = _trimmed(array)
    compact = pc.replace_substring_regex(values, _THOUSANDS_SPACES, "")
    if fmt.decimal == ",":
        # a dot is not accepted with a decimal comma: "1.234" could be a thousand or one
        compact = pc.if_else(
            pc.match_substring(compact, "."),
            pa.scalar(None, pa.string()),
            pc.replace_substring(compact, ",", "."),
        )
    ok = pc.match_substring_regex(compact, _DECIMAL_RE)
    candidates = pc.if_else(ok, compact, pa.scalar(None, pa.string()))
    result, failed = _cast_values(candidates, lambda a: pc.cast(a, pa.float64()))
    result, failed = _finite(result, failed)  # hundreds of digits overflow to infinity
    return _Cast(result, _finish(result, values, failed), reason)


def _finite(result: pa.Array, failed: pa.Array) -> tuple[pa.Array, pa.Array]:
    """NaN and infinite values become failures (NULL in the result)."""
    infinite = pc.invert(pc.fill_null(pc.is_finite(result), True))
    if not pc.any(infinite).as_py():
        return result, failed
    return pc.if_else(infinite, pa.scalar(None, pa.float64()), result), pc.or_(failed, infinite)


_UTC = pa.timestamp("us", tz="UTC")
_NAIVE = pa.timestamp("us")


def _localize(naive: pa.Array, timezone: str) -> pa.Array:
    """Naive local times in `timezone` -> UTC. Ambiguous (DST end) times take the first
    occurrence; non-existent ones (DST start) move forward to the first valid instant."""
    if timezone == "UTC":
        return pc.assume_timezone(naive, "UTC")
    local = pc.assume_timezone(naive, timezone, ambiguous="earliest", nonexistent="latest")
    return pc.cast(local, _UTC)


def _cast_timestamp(array: pa.Array, column: str, fmt: FileFormat) -> _Cast:
    def reason(value: str) -> str:
        return (
            f"not a date: '{value}' in column {column}; expected {fmt.describe_dates()}. "
            f"Fix the value or date_format in {settings.EXPORT_SETTINGS_FILE}."
        )

    if pa.types.is_timestamp(array.type):
        if array.type.tz is None:
            result = _localize(pc.cast(array, _NAIVE), fmt.timezone)
        else:
            result = pc.cast(array, _UTC)
        return _Cast(result, _all_false(len(array)), reason)
    if pa.types.is_date(array.type):
        # a date alone is midnight in the file's time zone, as in text
        result = _localize(pc.cast(array, _NAIVE), fmt.timezone)
        return _Cast(result, _all_false(len(array)), reason)
    if not _is_text(array):
        values = _as_text(array)
        return _Cast(pa.nulls(len(array), _UTC), pc.is_valid(values), reason)

    values = _trimmed(array)
    if fmt.date_format == ISO:
        result, failed = _parse_iso(values, fmt.timezone)
    else:
        result, failed = _parse_pattern(values, fmt)
    return _Cast(result, _finish(result, values, failed), reason)


def _only(mask: pa.Array, values: pa.Array) -> pa.Array:
    return pc.if_else(pc.fill_null(mask, False), values, pa.scalar(None, values.type))


def _parse_iso(values: pa.Array, timezone: str) -> tuple[pa.Array, pa.Array]:
    # Arrow parses at most microseconds: drop extra fraction digits
    values = pc.replace_substring_regex(values, r"(\.\d{6})\d+", r"\1")
    date_only = pc.match_substring_regex(values, _ISO_DATE_RE)
    date_time = pc.match_substring_regex(values, _ISO_DATETIME_RE)
    zoned = pc.and_(date_time, pc.match_substring_regex(values, _ISO_ZONE_RE))
    naive = pc.and_(date_time, pc.invert(zoned))

    dates, bad_dates = _cast_values(
        _only(date_only, values), lambda a: _localize(pc.cast(a, _NAIVE), timezone)
    )
    aware, bad_aware = _cast_values(_only(zoned, values), lambda a: pc.cast(a, _UTC))
    local, bad_local = _cast_values(
        _only(naive, values), lambda a: _localize(pc.cast(a, _NAIVE), timezone)
    )
    result = pc.coalesce(dates, aware, local)
    return result, pc.or_(pc.or_(bad_dates, bad_aware), bad_local)


def _digits(values: pa.Array) -> pa.Array:
    """The numbers of a date text without leading zeros ("05/03/2024 09:00" -> "5 3 2024 9 0")."""
    spaced = pc.replace_substring_regex(values, r"\D+", " ")
    unpadded = pc.replace_substring_regex(spaced, r"(^| )0+(\d)", r"\1\2")
    return pc.utf8_trim_whitespace(unpadded)


def _strptime(values: pa.Array, pattern: str) -> pa.Array:
    """Arrow's strptime, made strict: it rolls "31/02" over to March, so a value only
    counts when formatting the result back gives the same numbers."""
    parsed = pc.strptime(values, format=pattern, unit="us", error_is_null=True)
    if "%z" in pattern or "%Z" in pattern or "%j" in pattern:
        return parsed
    naive = pc.cast(parsed, _NAIVE) if parsed.type.tz is not None else parsed
    same = pc.equal(_digits(pc.strftime(naive, format=pattern)), _digits(values))
    return _only(same, parsed)


def _parse_pattern(values: pa.Array, fmt: FileFormat) -> tuple[pa.Array, pa.Array]:
    full = _strptime(values, fmt.date_format)
    if full.type.tz is not None:
        full = pc.cast(full, _UTC)
    else:
        full = _localize(full, fmt.timezone)
    date_pattern = fmt.date_only_format
    if date_pattern is not None:
        rest = _only(pc.is_null(full), values)
        dates = _strptime(rest, date_pattern)
        full = pc.coalesce(full, _localize(dates, fmt.timezone))
    return full, _all_false(len(values))


# ------------------------------------------------------------------------- messages


def _truncate(value: str | None) -> str | None:
    if value is None:
        return None
    return value if len(value) <= MAX_VALUE_CHARS else value[: MAX_VALUE_CHARS - 1] + "…"


def _value_text(value: object) -> str:
    return "" if value is None else str(value)


def _required_reason(column: str) -> Callable[[str], str]:
    return lambda _value: f"required value missing in column {column}; fill it in the export."


def _one_of_reason(group: Sequence[str]) -> Callable[[str], str]:
    names = " or ".join(group)
    return lambda _value: f"{names} must be filled; fill one of them in the export."


def _missing_reason(missing: list[str], header: list[str], fmt: FileFormat) -> str:
    reason = (
        f"missing required column(s): {', '.join(missing)}; the file was not loaded. "
        f"Columns found: {', '.join(h.strip() for h in header) or 'none'}. "
        "Add the columns or rename them to the canonical names."
    )
    if len(header) == 1:
        for delimiter, name in ((";", "semicolon"), (",", "comma"), ("\t", "tab")):
            if delimiter != fmt.delimiter and delimiter in header[0]:
                reason += (
                    f" The header looks {name}-separated: set delimiter in "
                    f"{settings.EXPORT_SETTINGS_FILE}."
                )
                break
    return reason
