"""Apply a vendor format (`flows.ingest.vendor_format`) to the raw rows of one file.

`apply_format` takes the file as its reader left it (`readers.RawFile`: the vendor's
columns as text, the line of each row) and builds, for each output of the format, the
rows of a canonical entity as text: the columns the format fills, the file line each
row comes from, and what could not be built. Nothing is typed here: the rows then go
through the canonical parser (`export_file`), like any canonical file, so a vendor
file is checked by the same rules (dates, numbers, ranges, required values, keys).

What the engine itself decides, and reports:

- a required source column missing: the file is refused (`MissingSourceColumns`);
- a value with no entry in its value map takes the map's default and is counted as
  unmapped (`ValueCount`): the data health check and `terrain check-exports` say so;
- a rating outside its scale, or a reference no lookup resolves, rejects its row
  (`unresolved_reference`, `out_of_range`), with the vendor's header and the file line;
- a row an output's `only_when` leaves out (a spam review, a ticket without a rating)
  is not a row of that entity: it is counted and told, not rejected.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from flows.ingest import contract
from flows.ingest import rejects as reasons
from flows.ingest.contract import Entity
from flows.ingest.readers import RawFile
from flows.ingest.rejects import Reject, truncate
from flows.ingest.vendor_format import ColumnRule, Condition, Output, VendorFormat, formats

Row = dict[str, Any]


class MissingSourceColumns(Exception):
    """The file lacks source columns the format requires."""

    def __init__(self, spec: VendorFormat, missing: list[str], header: list[str]) -> None:
        self.missing = missing
        wanted = "; ".join(
            f"{name} (headers tried: {', '.join(spec.columns[name].headers)})" for name in missing
        )
        super().__init__(
            f"not a complete {spec.label}: the file has no column {wanted}. Export it again "
            f"with every column, or check the format declared for it "
            f"(its header: {', '.join(header[:20])}{'...' if len(header) > 20 else ''})."
        )


@dataclass
class ValueCount:
    """How often one vendor value of an enumerated column was read, and what it became."""

    entity: str
    column: str  # canonical column
    source: str  # the vendor header it was read from
    value: str  # the vendor value, as written
    mapped_to: str | None
    rows: int = 0
    is_mapped: bool = True  # False: no entry, the map's default was taken
    map_name: str = ""  # the value map (export-settings.yaml's value_map: <map_name>)
    allowed: tuple[str, ...] = ()  # the values it may give

    def setting_line(self) -> str:
        """The line of export-settings.yaml that maps this value."""
        choices = "|".join(self.allowed)
        return f'value_map: {{{self.map_name}: {{"{self.value}": <{choices}>}}}}'


@dataclass
class EntityRows:
    """The rows one output of the format makes, as text, before canonical parsing."""

    entity: Entity
    names: list[str]
    rows: list[list[str | None]]
    lines: list[int]
    # rows the engine rejected (not in `rows`): their rejects, one or more per row
    rejects: list[Reject] = field(default_factory=list)
    rows_rejected: int = 0
    left_out: int = 0  # source rows that are not rows of this entity (`only_when`)
    left_out_why: str = ""
    values: list[ValueCount] = field(default_factory=list)
    # optional lookups: what was looked up ("requester id") -> values not resolved
    unresolved: dict[str, int] = field(default_factory=dict)
    # canonical column -> the vendor header its values come from (for rejects)
    sources: dict[str, str] = field(default_factory=dict)

    def as_raw(self) -> RawFile:
        """The rows as a reader's RawFile, for the canonical parser."""
        columns = [[row[i] for row in self.rows] for i in range(len(self.names))]
        return RawFile(
            names=list(self.names),
            columns=[pa.array(c, type=pa.string()) for c in columns],
            num_rows=len(self.rows),
            line_of=self.lines.__getitem__,
        )


# lookup name -> (vendor value, lower case) -> resolved value; None when the file it
# needs is not in the folder
Lookups = Mapping[str, Mapping[str, str] | None]


class _Source:
    """The vendor columns of a raw file, by the format's column ids."""

    def __init__(self, spec: VendorFormat, raw: RawFile) -> None:
        self.spec = spec
        index = {name.strip().lstrip("\ufeff").lower(): i for i, name in enumerate(raw.names)}
        self.headers: dict[str, str] = {}
        self.values: dict[str, list[Any]] = {}
        missing: list[str] = []
        for name, column in spec.columns.items():
            found = next((index[h.lower()] for h in column.headers if h.lower() in index), None)
            if found is None:
                if column.required:
                    missing.append(name)
                continue
            self.headers[name] = raw.names[found].strip().lstrip("\ufeff")
            self.values[name] = raw.columns[found].to_pylist()
        if missing:
            raise MissingSourceColumns(spec, missing, raw.names)
        self.num_rows = raw.num_rows
        self.line_of = raw.line_of
        self._parsed: dict[tuple[str, int], Any] = {}

    def get(self, name: str, row: int, item: Row | None = None) -> Any:
        """A source value: `column`, `column.key` (inside a JSON object) or `item.key`
        (the element of an exploded list)."""
        if name.startswith("item."):
            return _dig(item, name.split(".")[1:]) if item is not None else None
        column, _, path = name.partition(".")
        values = self.values.get(column)
        if values is None:
            return None
        value = values[row]
        if not path:
            return value
        return _dig(self.json(column, row), path.split("."))

    def json(self, column: str, row: int) -> Any:
        key = (column, row)
        if key not in self._parsed:
            value = self.values.get(column, [None] * (row + 1))[row]
            try:
                self._parsed[key] = json.loads(value) if isinstance(value, str) else value
            except json.JSONDecodeError:
                self._parsed[key] = None
        return self._parsed[key]

    def header(self, name: str) -> str:
        if name.startswith("item."):
            return name
        column, _, path = name.partition(".")
        found = self.headers.get(column, column)
        return f"{found}.{path}" if path else found


def _dig(value: Any, path: list[str]) -> Any:
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _text(value: Any) -> str | None:
    """A source value as the text the canonical parser reads (blank -> None)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    text = str(value).strip()
    return text or None


def _transform(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    if name == "lower":
        return value.lower()
    if name == "strip_apostrophe":
        return value[1:] if value.startswith("'") else value
    if name == "first_id":
        return next((part.strip() for part in value.split(";") if part.strip()), None)
    if name == "last_segment":
        return value.split(">")[-1].strip() or None
    if name == "spaces_to_pipes":
        return "|".join(value.split()) or None
    if name == "list_to_pipes":
        try:
            items = json.loads(value)
        except json.JSONDecodeError:
            return value
        return "|".join(str(i) for i in items) if isinstance(items, list) else value
    if name == "strip_utc":
        return value.removesuffix(" UTC").removesuffix(" utc")
    if name == "employee_band":
        try:
            employees = float(value.replace(" ", ""))
        except ValueError:
            return value
        bands = ((10, "1-9"), (50, "10-49"), (250, "50-249"))
        return next((band for limit, band in bands if employees < limit), "250+")
    if name == "integer_text":
        try:
            number = float(value)
        except ValueError:
            return value
        return str(int(number)) if number.is_integer() else value
    raise ValueError(f"unknown transform {name}")


@dataclass
class _Built:
    row: list[str | None]
    rejects: list[Reject]


class _Builder:
    """Builds the rows of one output."""

    def __init__(
        self,
        spec: VendorFormat,
        output: Output,
        source: _Source,
        label: str,
        value_maps: Mapping[str, Mapping[str, str]],
        lookups: Lookups,
        rating_scale: int | None,
    ) -> None:
        self.spec = spec
        self.output = output
        self.source = source
        self.label = label
        self.value_maps = value_maps
        self.lookups = lookups
        self.rating_scale = rating_scale
        self.entity = next(e for e in contract.ENTITIES if f"{e.system}/{e.name}" == output.entity)
        # a column none of whose sources is in the file is absent, as in a canonical
        # file without it (an empty currency would be checked, an absent one is not)
        self.names = [
            c.name
            for c in self.entity.columns
            if c.name in output.columns and self._has_source(output.columns[c.name])
        ]
        self.counts: dict[tuple[str, str], ValueCount] = {}
        self.group_of: dict[int, list[int]] = {}  # source row -> the rows of its group
        self.unresolved: dict[str, int] = {}

    def _has_source(self, rule: ColumnRule) -> bool:
        if rule.value is not None or rule.join or rule.row_number:
            return True
        return any(
            name.startswith("item.") or name.split(".")[0] in self.source.headers
            for name in rule.from_
        )

    def raw_value(self, rule: ColumnRule, row: int, item: Row | None) -> tuple[str | None, str]:
        """The rule's source value after its transforms, and the header it came from."""
        rows = self.group_of.get(row, [row]) if rule.from_group else [row]
        for name in rule.from_:
            value = next(
                (v for r in rows if (v := _text(self.source.get(name, r, item))) is not None),
                None,
            )
            for step in rule.transform:
                value = _transform(value, step)
            if value is not None:
                return value, self.source.header(name)
        first = rule.from_[0] if rule.from_ else ""
        return None, self.source.header(first) if first else ""

    def holds(self, condition: Condition, row: int, item: Row | None) -> bool:
        value = _text(self.source.get(condition.column, row, item))
        if condition.present is not None and (value is not None) != condition.present:
            return False
        lowered = value.lower() if value is not None else None
        if condition.in_ is not None and lowered not in {v.lower() for v in condition.in_}:
            return False
        if condition.not_in is not None and lowered in {v.lower() for v in condition.not_in}:
            return False
        if condition.equals_column is not None:
            other = _text(self.source.get(condition.equals_column, row, item))
            if value is None or value != other:
                return False
        if condition.resolves is not None:
            table = self.lookups.get(condition.resolves)
            if value is None or table is None or value.lower() not in table:
                return False
        return True

    def build(self, row: int, item: Row | None, position: int) -> _Built:
        values: list[str | None] = []
        rejects: list[Reject] = []
        for name in self.names:
            rule = self.output.columns[name]
            value, header = self._value(name, rule, row, item, position, rejects)
            values.append(value)
        return _Built(values, rejects)

    def _value(
        self,
        name: str,
        rule: ColumnRule,
        row: int,
        item: Row | None,
        position: int,
        rejects: list[Reject],
    ) -> tuple[str | None, str]:
        line = self.source.line_of(row)
        if rule.row_number:
            return str(position), ""
        if rule.join:
            parts = [_text(self.source.get(p, row, item)) or "" for p in rule.join]
            if not any(parts):
                return None, ""
            digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
            return digest, ""
        value, header = self.raw_value(rule, row, item)
        if rule.when is not None and self.holds(rule.when, row, item):
            return rule.then, header
        if value is None:
            return rule.value, header
        if rule.scale is not None:
            scale = self.rating_scale or rule.scale
            scaled = _rescale(value, scale)
            if scaled is None:
                rejects.append(
                    Reject(
                        self.label,
                        line,
                        header,
                        truncate(value),
                        _out_of_scale(value, header, scale),
                        reasons.OUT_OF_RANGE,
                    )
                )
                return None, header
            value = scaled
        if rule.divide_by is not None:
            value = _divided(value, _text(self.source.get(rule.divide_by, row, item)))
        if rule.lookup is not None:
            resolved = self._lookup(rule.lookup, value, header, line, rejects)
            if resolved is None:
                return None, header
            value = resolved
        if rule.map is not None:
            value = self._map(name, rule.map, value, header)
        return value, header

    def _lookup(
        self, name: str, value: str, header: str, line: int, rejects: list[Reject]
    ) -> str | None:
        lookup = self.spec.lookups[name]
        table = self.lookups.get(name)
        other = formats()[lookup.format].label
        if not lookup.required and (table is None or value.lower() not in table):
            self.unresolved[lookup.what] = self.unresolved.get(lookup.what, 0) + 1
            return None
        if table is None:
            reason = (
                f"{lookup.what} '{reasons.excerpt(value, reasons.QUOTED_CHARS)}' cannot be "
                f"resolved: the folder holds no {other}. Add that export to the folder."
            )
        else:
            found = table.get(value.lower())
            if found is not None:
                return found
            reason = (
                f"{lookup.what} '{reasons.excerpt(value, reasons.QUOTED_CHARS)}' is not in "
                f"the {other}; export it again so that it lists every product, or fix the "
                "value."
            )
        rejects.append(
            Reject(self.label, line, header, truncate(value), reason, reasons.UNRESOLVED_REFERENCE)
        )
        return None

    def _map(self, column: str, map_name: str, value: str, header: str) -> str | None:
        spec = self.spec.value_maps[map_name]
        entries = {k.lower(): v for k, v in spec.values.items()}
        entries.update({k.lower(): v for k, v in self.value_maps.get(map_name, {}).items()})
        mapped = entries.get(value.lower())
        is_mapped = mapped is not None
        if mapped is None:
            mapped = spec.default
        key = (column, value)
        count = self.counts.get(key)
        if count is None:
            count = self.counts[key] = ValueCount(
                self.output.entity,
                column,
                header,
                value,
                mapped,
                0,
                is_mapped,
                map_name,
                spec.allowed(),
            )
        count.rows += 1
        return mapped


def _divided(value: str, by: str | None) -> str:
    """`value` / `by` as text (unchanged when either is not a number: the canonical
    parser then rejects it, or a zero quantity, with its reason)."""
    try:
        divisor = float((by or "").replace(",", "."))
        number = float(value.replace(",", "."))
    except ValueError:
        return value
    if divisor == 0:
        return value
    return f"{number / divisor:.6f}".rstrip("0").rstrip(".")


def _rescale(value: str, scale: int) -> str | None:
    """A rating out of `scale` as 1-5 (None when it is not a number from 0 to `scale`)."""
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        return value  # not a number: the canonical parser says so
    if not 0 <= number <= scale or math.isnan(number):
        return None
    if scale == 5:
        return value
    return str(max(1, math.ceil(number * 5 / scale)))


def _out_of_scale(value: str, header: str, scale: int) -> str:
    hint = (
        " If the ratings are out of 10, add rating_scale: 10 to this file's block in "
        "export-settings.yaml."
        if scale == 5
        else ""
    )
    return (
        f"the rating '{reasons.excerpt(value, reasons.QUOTED_CHARS)}' in {header} is not "
        f"between 0 and {scale}.{hint}"
    )


def _groups(spec: VendorFormat, source: _Source) -> list[list[int]]:
    """Source rows grouped by the format's `group_by` value, in file order (a row with
    an empty value is a group of its own)."""
    if spec.group_by is None:
        return [[row] for row in range(source.num_rows)]
    groups: dict[Any, list[int]] = {}
    for row in range(source.num_rows):
        key = _text(source.get(spec.group_by, row))
        groups.setdefault(key if key is not None else ("row", row), []).append(row)
    return list(groups.values())


def apply_format(
    spec: VendorFormat,
    raw: RawFile,
    label: str,
    value_maps: Mapping[str, Mapping[str, str]] | None = None,
    lookups: Lookups | None = None,
    rating_scale: int | None = None,
    skip_entities: frozenset[str] = frozenset(),
) -> dict[str, EntityRows]:
    """The rows of every output of `spec` read from `raw`, by entity ("shop/orders").

    `value_maps` are the company's additions (map name -> vendor value -> canonical
    value); `lookups` the tables of the lookups (`lookup_table`); `skip_entities` the
    outputs another file of the folder fills. Raises MissingSourceColumns.
    """
    source = _Source(spec, raw)
    groups = _groups(spec, source)
    made: dict[str, EntityRows] = {}
    for output in spec.outputs:
        if output.entity in skip_entities:
            continue
        builder = _Builder(
            spec, output, source, label, value_maps or {}, lookups or {}, rating_scale
        )
        builder.group_of = {row: group for group in groups for row in group}
        result = EntityRows(builder.entity, list(builder.names), [], [])
        result.sources = {
            name: source.header(rule.from_[0])
            for name, rule in output.columns.items()
            if rule.from_ and rule.from_[0].split(".")[0] in source.headers
        }
        why: dict[str, int] = {}
        for row, item, position in _candidates(output, source, groups):
            failed = next((c for c in output.only_when if not builder.holds(c, row, item)), None)
            if failed is not None:
                result.left_out += 1
                text = _condition_text(failed, source)
                why[text] = why.get(text, 0) + 1
                continue
            built = builder.build(row, item, position)
            if built.rejects:
                result.rejects += built.rejects
                result.rows_rejected += 1
                continue
            result.rows.append(built.row)
            result.lines.append(source.line_of(row))
        if output.rows == "distinct":
            result = _distinct(result, output)
        result.left_out_why = "; ".join(f"{text}: {count}" for text, count in why.items())
        result.values = sorted(builder.counts.values(), key=lambda c: (c.column, -c.rows))
        result.unresolved = dict(builder.unresolved)
        made[output.entity] = result
    return made


def _candidates(
    output: Output, source: _Source, groups: list[list[int]]
) -> list[tuple[int, Row | None, int]]:
    """(source row, list element, position) of each row the output makes."""
    found: list[tuple[int, Row | None, int]] = []
    if output.rows == "first_of_group":
        return [(group[0], None, 1) for group in groups]
    if output.rows == "explode":
        assert output.explode is not None
        for row in range(source.num_rows):
            items = source.json(output.explode, row)
            if not isinstance(items, list):
                continue
            found += [
                (row, item if isinstance(item, dict) else {"value": item}, i)
                for i, item in enumerate(items, start=1)
            ]
        return found
    for group in groups:
        found += [(row, None, i) for i, row in enumerate(group, start=1)]
    return found


def _distinct(result: EntityRows, output: Output) -> EntityRows:
    """One row per primary key value (rows without one are dropped), each column the
    first value of its group, or the smallest (`aggregate: min`)."""
    key = [result.names.index(k) for k in result.entity.primary_key if k in result.names]
    merged: dict[tuple[str | None, ...], tuple[list[str | None], int]] = {}
    for values, line in zip(result.rows, result.lines, strict=True):
        ident = tuple(values[i] for i in key)
        if any(v is None for v in ident):
            continue
        if ident not in merged:
            merged[ident] = (list(values), line)
            continue
        kept = merged[ident][0]
        for i, name in enumerate(result.names):
            rule = output.columns[name]
            if values[i] is None:
                continue
            if kept[i] is None or (rule.aggregate == "min" and values[i] < kept[i]):
                kept[i] = values[i]
    result.rows = [values for values, _ in merged.values()]
    result.lines = [line for _, line in merged.values()]
    return result


def _condition_text(condition: Condition, source: _Source) -> str:
    header = source.header(condition.column)
    if condition.resolves is not None:
        return f"{header} not found through {condition.resolves}"
    if condition.in_ is not None:
        return f"{header} not in {', '.join(condition.in_)}"
    if condition.not_in is not None:
        return f"{header} is {' or '.join(condition.not_in)}"
    if condition.present:
        return f"{header} is empty"
    return f"{header} does not hold"


def lookup_table(
    spec: VendorFormat, raw: RawFile, key: str, value: str, pick: str = "first"
) -> dict[str, str]:
    """A lookup's table from a file of the other format: key (lower case) -> the first
    value found for it, or the smallest (`pick: min`)."""
    source = _Source(spec, raw)
    table: dict[str, str] = {}
    for row in range(source.num_rows):
        k = _text(source.get(key, row))
        v = _text(source.get(value, row))
        if k is None or v is None:
            continue
        k = (_transform(k, "strip_apostrophe") or k).lower()
        v = _transform(v, "strip_apostrophe") or v
        if pick == "min" and k in table:
            table[k] = min(table[k], v)
        else:
            table.setdefault(k, v)
    return table
