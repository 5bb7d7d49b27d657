"""Read one canonical export file into a typed Arrow table, plus the rows it had to reject.

`read_export_file` puts the three steps together: the reader of the file's format
(`flows.ingest.readers`: raw columns and line numbers), the casts of its canonical
columns (`flows.ingest.casting`) and the checks that need whole rows (required
values, one-of groups, duplicate primary keys). The result is a `pyarrow.Table` whose
canonical columns have the raw-layer types of `contract.ENTITIES`; unknown extra
columns are kept as text; optional canonical columns missing from the file are added
as NULL.

A row with any value that cannot be parsed (or an empty required value, a value out
of its range, an event dated after the day of the run or before the export's earliest
year, an unknown currency, a duplicate primary key, bytes the encoding cannot decode)
is rejected whole: it is left out of the table and described by one `Reject` per bad
value, with the real line number in the file. A file without a required column loads
nothing and gets a single `Reject` with `line=None` (all its rows count as rejected);
an empty file (no bytes, or only blanks) is zero rows and a warning. Every file keeps
rows received = rows loaded + rows rejected.

Extra columns keep the names of the file; dlt stores them snake_case. An extra column
whose stored name would be that of another column is dropped, with a warning and a
`Reject` naming it (`line=None`), so the rest of the file still loads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from dlt.common.normalizers.naming.snake_case import NamingConvention

from flows import settings
from flows.ingest import contract
from flows.ingest import rejects as reasons
from flows.ingest.boundary import OutsideExportFolderError, read_regular_file
from flows.ingest.casting import (
    ARROW_TYPES,
    Cast,
    as_text,
    cast_column,
    currency_check,
    event_date_check,
    range_check,
    year_check,
)
from flows.ingest.contract import (
    CURRENCY_COLUMNS,
    DATE_COLUMNS,
    EVENT_ENTITIES,
    RANGE_RULES,
    Entity,
)
from flows.ingest.deleted import DELETED_AT
from flows.ingest.export_settings import FileFormat
from flows.ingest.readers import ExportFileError, RawFile, read_raw
from flows.ingest.rejects import Reject, truncate, value_text
from flows.ingest.vendor_engine import ValueCount

# How dlt names columns in the warehouse (its default naming convention, snake_case):
# extra columns are checked against it so that two columns never get the same name.
_DLT_NAMING = NamingConvention()
_DLT_COLUMNS = ("_dlt_load_id", "_dlt_id", DELETED_AT)

# Primary key -> the file (label) that loaded it, across the files of one entity.
EarlierKeys = dict[tuple[object, ...], str]


@dataclass
class ParsedFile:
    """The loadable rows of one file and what was rejected."""

    file: str
    table: pa.Table
    rejects: list[Reject] = field(default_factory=list)
    rows_read: int | None = 0  # received; None when the file could not be read to count them
    rows_rejected: int | None = 0  # None with rows_read
    missing_columns: tuple[str, ...] = ()  # not empty: the whole file was rejected
    warnings: list[str] = field(default_factory=list)  # loaded, but worth telling
    refused: str | None = None  # why the whole file was refused (nothing loaded)
    # the primary keys of every row of the file, rejected rows included (a row with a
    # bad value is still in the export: it was not deleted); None when unknown (a file
    # not read, or empty: an export that wrote nothing proves no deletion)
    present_keys: pa.Table | None = None
    # rows of `table` a deletes file lists, moved out of it and loaded marked deleted
    # (flows.ingest.deleted): still loaded rows of this file
    rows_marked_deleted: int = 0
    # a vendor file (flows.ingest.vendor_file): the values its value maps read, and the
    # source rows that are not rows of this entity
    values: list[ValueCount] = field(default_factory=list)
    left_out: int = 0

    @property
    def rows_loaded(self) -> int:
        return self.table.num_rows + self.rows_marked_deleted

    def date_range(self, entity: Entity) -> tuple[object, object]:
        """The first and last value of the entity's date column among the loaded rows."""
        column = DATE_COLUMNS.get((entity.system, entity.name))
        if column is None or self.table.num_rows == 0:
            return None, None
        bounds = pc.min_max(self.table[column]).as_py()
        return bounds["min"], bounds["max"]


def canonical_schema(entity: Entity) -> pa.Schema:
    """The Arrow schema of the canonical columns of `entity`, in contract order."""
    return pa.schema([pa.field(c.name, ARROW_TYPES[c.type]) for c in entity.columns])


def read_export_file(
    path: Path,
    entity: Entity,
    fmt: FileFormat,
    label: str,
    data: bytes | None = None,
    earlier_keys: EarlierKeys | None = None,
    today: dt.date | None = None,
) -> ParsedFile:
    """Read `path` (a `.csv`, `.jsonl` or `.parquet` file of `entity`) written as `fmt`.

    `label` names the file in rejects (its path relative to the export folder);
    `data` are the file's bytes when the caller already read them. `earlier_keys`
    (primary key -> file) holds the keys loaded from the entity's other files in this
    run: a row repeating one is rejected, and the keys this file loads are added.
    `today` is the day of the run (UTC; `settings.run_date()` when None): later event
    dates are rejected.
    """
    if data is None:
        try:
            data = read_regular_file(path)
        except OutsideExportFolderError as exc:
            raise ExportFileError(f"{label}: {exc}") from exc
        except OSError as exc:
            raise ExportFileError(f"{label}: cannot read the file ({exc.strerror}).") from exc
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        return ParsedFile(
            label, canonical_schema(entity).empty_table(), warnings=[f"{label}: file is empty"]
        )
    raw = read_raw(path.suffix.lower(), data, fmt, label)
    return to_canonical(raw, entity, fmt, label, earlier_keys, today or settings.run_date())


def to_canonical(
    raw: RawFile,
    entity: Entity,
    fmt: FileFormat,
    label: str,
    earlier_keys: EarlierKeys | None = None,
    today: dt.date | None = None,
) -> ParsedFile:
    """The raw file as the canonical table of `entity`, without the rows at fault."""
    by_name, extras = _match_columns(raw.names, entity)
    missing = _missing_columns(entity, by_name)
    if missing:
        received = raw.num_rows + raw.rows_dropped
        reason = reasons.missing_columns(missing, raw.names, fmt)
        return ParsedFile(
            file=label,
            table=canonical_schema(entity).empty_table(),
            rejects=[Reject(label, None, None, None, reason, reasons.MISSING_COLUMNS)],
            rows_read=received,
            rows_rejected=received,
            missing_columns=tuple(missing),
            refused=reason,
        )

    arrays, checks = _cast_columns(raw, entity, fmt, by_name, today or settings.run_date())
    checks += _one_of_checks(entity, arrays)

    rejects = list(raw.rejects)
    warnings: list[str] = []
    names = [c.name for c in entity.columns]
    canonical = {c.name: c for c in entity.columns}
    for name, index in _loadable_extras(extras, raw, canonical, label, rejects, warnings):
        arrays.append(as_text(raw.columns[index]))
        names.append(name)
    table = pa.Table.from_arrays(arrays, names=names)

    bad_rows = _failed_rows(checks, raw, by_name, label, rejects)
    if raw.undecodable:
        rejects += raw.undecodable.values()
        bad_rows = pc.or_(bad_rows, _mask(raw.num_rows, list(raw.undecodable)))
    bad_rows = _reject_duplicates(table, entity, bad_rows, raw, label, rejects)
    if earlier_keys is not None:
        bad_rows = _check_earlier_keys(table, entity, bad_rows, earlier_keys, raw, label, rejects)

    present = _present_keys(table, entity)
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
        rows_read=raw.num_rows + raw.rows_dropped,
        rows_rejected=rejected + raw.rows_dropped,
        warnings=warnings,
        # a line the reader could not split has no key: its row cannot be told apart
        present_keys=present if not raw.rows_dropped else None,
    )


def _present_keys(table: pa.Table, entity: Entity) -> pa.Table:
    """The primary keys of the rows whose key values could be read, bad rows included."""
    keys = table.select(list(entity.primary_key))
    complete = None
    for name in entity.primary_key:
        valid = pc.is_valid(keys[name])
        complete = valid if complete is None else pc.and_(complete, valid)
    return keys.filter(complete) if complete is not None else keys


def _match_columns(
    header: list[str], entity: Entity
) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Canonical column -> its index in the file (names matched whatever their case),
    and the other columns as (name as written, trimmed; index)."""
    by_name: dict[str, int] = {}
    canonical = {c.name for c in entity.columns}
    extras: list[tuple[str, int]] = []
    for index, name in enumerate(header):
        clean = name.strip().lstrip("\ufeff")
        if clean.lower() in canonical and clean.lower() not in by_name:
            by_name[clean.lower()] = index
        else:
            extras.append((clean, index))
    return by_name, extras


def _missing_columns(entity: Entity, by_name: Mapping[str, int]) -> list[str]:
    """Required columns (and one-of groups, as "a or b") the file does not have."""
    missing = [name for name in entity.required_columns if name not in by_name]
    missing += [
        " or ".join(group) for group in entity.one_of if not any(g in by_name for g in group)
    ]
    return missing


def _mask(n: int, rows: list[int]) -> pa.Array:
    """A boolean mask of `n` rows, set on `rows`."""
    return pc.is_in(pa.array(range(n), pa.int64()), pa.array(rows, pa.int64()))


def _cast_columns(
    raw: RawFile,
    entity: Entity,
    fmt: FileFormat,
    by_name: Mapping[str, int],
    today: dt.date,
) -> tuple[list[pa.Array], list[tuple[str, Cast]]]:
    """Every canonical column typed (NULL when the file lacks it), and the checks of its
    values: required, the cast itself, its range rule, the years of a date, the day of
    an event, the code of a currency."""
    arrays: list[pa.Array] = []
    checks: list[tuple[str, Cast]] = []
    key = (entity.system, entity.name)
    event_column = DATE_COLUMNS.get(key) if key in EVENT_ENTITIES else None
    for column in entity.columns:
        if column.name not in by_name:
            arrays.append(pa.nulls(raw.num_rows, ARROW_TYPES[column.type]))
            continue
        source = raw.columns[by_name[column.name]]
        cast = cast_column(source, column.type, column.name, fmt)
        if column.required:
            missing_value = pc.and_(pc.is_null(cast.array), pc.invert(cast.bad))
            if pc.any(missing_value).as_py():
                checks.append((column.name, _required(cast, missing_value, column.name)))
        checks.append((column.name, cast))
        rule = RANGE_RULES.get((entity.system, entity.name, column.name))
        if rule is not None:
            checks.append((column.name, range_check(cast, rule, column.name)))
        if column.type in (contract.TIMESTAMP, contract.DATE):
            checks.append((column.name, year_check(cast, column.name, fmt)))
        if column.name == event_column:
            checks += [(column.name, c) for c in event_date_check(cast, column.name, fmt, today)]
        if (*key, column.name) in CURRENCY_COLUMNS:
            checks.append((column.name, currency_check(cast, column.name)))
        arrays.append(cast.array)
    return arrays, checks


def _required(cast: Cast, missing_value: pa.Array, column: str) -> Cast:
    return Cast(
        cast.array,
        missing_value,
        lambda _value: reasons.required_value_missing(column),
        reasons.REQUIRED_VALUE_MISSING,
    )


def _one_of_checks(entity: Entity, arrays: list[pa.Array]) -> list[tuple[str, Cast]]:
    """one_of groups: every row needs a value in at least one of the columns."""
    names = [c.name for c in entity.columns]
    checks: list[tuple[str, Cast]] = []
    for group in entity.one_of:
        present = [arrays[names.index(g)] for g in group]
        empty = (
            pc.and_kleene(*[pc.is_null(a) for a in present])
            if len(present) > 1
            else pc.is_null(present[0])
        )
        if pc.any(empty).as_py():
            checks.append((group[0], _none_filled(present[0], empty, group)))
    return checks


def _none_filled(first: pa.Array, empty: pa.Array, group: tuple[str, ...]) -> Cast:
    return Cast(
        first, empty, lambda _value: reasons.none_of_filled(group), reasons.REQUIRED_VALUE_MISSING
    )


def _failed_rows(
    checks: list[tuple[str, Cast]],
    raw: RawFile,
    by_name: Mapping[str, int],
    label: str,
    rejects: list[Reject],
) -> pa.Array:
    """The rows with a value at fault; one reject per such value, quoting it as written."""
    n = raw.num_rows
    bad_rows = pa.array([False] * n, type=pa.bool_()) if n else pa.array([], type=pa.bool_())
    for name, cast in checks:
        if not pc.any(cast.bad).as_py():
            continue
        bad_rows = pc.or_(bad_rows, cast.bad)
        source = raw.columns[by_name[name]] if name in by_name else cast.array
        for row in pc.indices_nonzero(cast.bad).to_pylist():
            value = value_text(source[row].as_py())
            rejects.append(
                Reject(
                    label, raw.line_of(row), name, truncate(value), cast.reason(value), cast.code
                )
            )
    return bad_rows


def _reject_duplicates(
    table: pa.Table,
    entity: Entity,
    bad_rows: pa.Array,
    raw: RawFile,
    label: str,
    rejects: list[Reject],
) -> pa.Array:
    """Reject the rows repeating the primary key of an earlier good row of the file."""
    dup = _duplicate_rows(table, entity, pc.invert(bad_rows))
    if dup is None:
        return bad_rows
    dup_mask, first_row = dup
    key_name = ", ".join(entity.primary_key)
    for row in pc.indices_nonzero(dup_mask).to_pylist():
        key = ", ".join(str(table[k][row].as_py()) for k in entity.primary_key)
        rejects.append(
            Reject(
                label,
                raw.line_of(row),
                key_name,
                truncate(key),
                reasons.duplicate_in_file(key_name, key, raw.line_of(first_row[row])),
                reasons.DUPLICATE_KEY,
            )
        )
    return pc.or_(bad_rows, dup_mask)


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


def _loadable_extras(
    extras: list[tuple[str, int]],
    raw: RawFile,
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
            if pc.all(pc.is_null(as_text(raw.columns[index]))).as_py() is not False:
                continue  # an empty column without a name: a trailing delimiter
            reason = reasons.UNNAMED_COLUMN
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
            reason = reasons.column_name_taken(name, stored, like)
        warnings.append(f"{label}: {reason}")
        rejects.append(Reject(label, None, name or None, None, reason, reasons.COLUMN_DROPPED))
    return kept


def _check_earlier_keys(
    table: pa.Table,
    entity: Entity,
    bad_rows: pa.Array,
    earlier_keys: EarlierKeys,
    raw: RawFile,
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
                truncate(text),
                reasons.duplicate_in_other_file(
                    key_name, text, other, f"{entity.system}/{entity.name}"
                ),
                reasons.DUPLICATE_KEY,
            )
        )
    clash_set = set(clashes)
    for row, key in enumerate(zip(*columns, strict=True)):
        if good[row] and row not in clash_set:
            earlier_keys[key] = label
    if not clashes:
        return bad_rows
    return pc.or_(bad_rows, _mask(len(good), clashes))
