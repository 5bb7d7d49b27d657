"""Vendor export formats, declared as data: the model of `flows/ingest/formats/*.yaml`.

A vendor format says how a file exported by a vendor's tool (a Shopify orders export,
a HubSpot deals export, a Zendesk JSON export...) maps onto the canonical entities of
`flows.ingest.contract`, without a line of Python per vendor:

- `columns`: the source columns it reads, each with the exact headers the vendor writes
  (several: old and new dialects), matched whatever their case and surrounding spaces;
  `required` ones must be in the file, the others may be absent;
- `detect`: the source columns whose presence (under any of their headers) tells the
  format apart when a file declares none;
- `file`: how the vendor writes the file (date format, time zone, delimiter...);
- `outputs`: one per canonical entity the file fills, each row built from the source
  row (or the first row of a group, one element of a nested list, the distinct values
  of a key) by column rules (`ColumnRule`);
- `value_maps`: vendor values -> canonical values of an enumerated column (channels,
  statuses, deal outcomes, account types), extended by the company in
  `export-settings.yaml` (`value_map:`); a value with no entry takes the map's default
  and is counted as unmapped;
- `lookups`: values resolved through another vendor file of the folder (a review's
  product handle -> a SKU of the products export, a ticket's requester id -> the users
  export's e-mail).

The engine that applies a format is `flows.ingest.vendor_engine`; the reading of a
vendor file through the canonical parser is `flows.ingest.vendor_file`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from flows import shared_lists
from flows.ingest import contract

FORMATS_DIR = Path(__file__).parent / "formats"

# Transforms a column rule may apply to a value, in the order written.
TRANSFORMS = (
    "lower",  # lower case (e-mails as identities)
    "strip_apostrophe",  # one leading ' (Excel guard before ids, zips, phones)
    "first_id",  # the first of several ids separated by ";" (HubSpot associations)
    "last_segment",  # the last part of a "A > B > C" path (product categories)
    "spaces_to_pipes",  # a space-separated list as "a|b" (Zendesk CSV tags)
    "list_to_pipes",  # a JSON array as "a|b" (Zendesk JSON tags)
    "strip_utc",  # a trailing " UTC" (Judge.me dates)
    "integer_text",  # "5.0" -> "5" (ratings written as decimals)
    "employee_band",  # a number of employees as a size band: 1-9, 10-49, 50-249, 250+
)


class FormatError(ValueError):
    """A vendor format file (or a declaration of one) is not valid."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceColumn(_Model):
    """One column of the vendor file, under each header the vendor has used for it."""

    headers: tuple[str, ...] = Field(min_length=1)
    required: bool = False


class FileSettings(_Model):
    """How the vendor writes the file (the keys of export-settings.yaml's format block)."""

    type: Literal["csv", "jsonl"] = "csv"
    delimiter: str = ","
    decimal: str = "."
    date_format: str = "iso"
    timezone: str | None = None  # None: the company's (export-settings.yaml)


class Condition(_Model):
    """A test on one source value (after its transforms): `in` or `not_in` a list,
    `present` (not empty) or `equals_column` (the same as another source column)."""

    column: str
    in_: tuple[str, ...] | None = Field(default=None, alias="in")
    not_in: tuple[str, ...] | None = None
    present: bool | None = None
    equals_column: str | None = None
    resolves: str | None = None  # the value resolves through this lookup of the format


class ColumnRule(_Model):
    """How one canonical column of an output row is made."""

    # the source column(s): the first one with a value wins
    from_: tuple[str, ...] = Field(default=(), alias="from")
    value: str | None = None  # a constant (when no source column has a value)
    transform: tuple[str, ...] = ()
    map: str | None = None  # a value map of the format
    lookup: str | None = None  # a lookup of the format
    # a rating out of `scale` brought to 1-5 (5 stays 5, 10 -> 5, 1 -> 1)
    scale: int | None = None
    # the value divided by this source column's (a line total -> a unit price)
    divide_by: str | None = None
    # position of the row within its group or list, from 1
    row_number: bool = False
    # several source values joined into one (a synthetic key)
    join: tuple[str, ...] = ()
    # rows of a group: the smallest value of the group (dates: the earliest)
    aggregate: Literal["first", "min"] = "first"
    # the value of the first row of the group that has one (fields a vendor writes on
    # a record's first row only, such as a Shopify product's title on its variant rows)
    from_group: bool = False
    # `when` holds: `then`, else the rule's value
    when: Condition | None = None
    then: str | None = None

    @model_validator(mode="after")
    def _known_transforms(self) -> ColumnRule:
        unknown = [t for t in self.transform if t not in TRANSFORMS]
        if unknown:
            raise ValueError(f"unknown transform(s) {unknown}; use one of {list(TRANSFORMS)}")
        if not (self.from_ or self.value is not None or self.row_number or self.join):
            raise ValueError("a column needs 'from', 'value', 'join' or 'row_number'")
        return self


def _as_list(value: object) -> object:
    return [value] if isinstance(value, dict) else value


class Output(_Model):
    """One canonical entity the file fills, and which source rows make its rows."""

    entity: str  # "<system>/<entity>"
    # each: one row per source row; first_of_group: one per group (`group_by`), from its
    # first row; explode: one per element of a JSON list column; distinct: one per
    # primary key value, the group's values aggregated
    rows: Literal["each", "first_of_group", "explode", "distinct"] = "each"
    explode: str | None = None  # the list column, for rows: explode
    # rows that are not of this entity are left out (every condition must hold)
    only_when: Annotated[tuple[Condition, ...], BeforeValidator(_as_list)] = ()
    columns: dict[str, ColumnRule]
    # not produced when the folder holds a file of one of these formats (it fills the
    # entity better: Shopify customers from the customers export, not from orders)
    unless_format: tuple[str, ...] = ()


class ValueMap(_Model):
    """Vendor values -> canonical values, matched whatever their case."""

    # the shared list (transforms/seeds/<name>.csv) whose ids are the canonical values,
    # or an explicit list; the company's additions are checked against it
    canonical: str | tuple[str, ...]
    values: dict[str, str] = {}
    default: str | None = None  # for a value with no entry (counted as unmapped)

    def allowed(self) -> tuple[str, ...]:
        if isinstance(self.canonical, str):
            return shared_lists.ids(self.canonical)
        return self.canonical


class Lookup(_Model):
    """A value resolved through another vendor file of the folder."""

    format: str  # the other file's format
    key: str  # its source column matched against the value
    value: str  # its source column returned
    what: str  # in words, for the unresolved count ("product handle")
    # several rows with the key: the first value, or the smallest (a first order date)
    pick: Literal["first", "min"] = "first"
    # required: a value it cannot resolve rejects its row; else the column stays empty
    # and the value is counted (a ticket whose requester is not in the users export)
    required: bool = True


class VendorFormat(_Model):
    """One vendor export format (a file of flows/ingest/formats/)."""

    id: str
    vendor: str
    label: str
    system: Literal["shop", "crm", "support"]
    file: FileSettings = FileSettings()
    detect: tuple[str, ...] = Field(min_length=1)
    columns: dict[str, SourceColumn]
    group_by: str | None = None  # rows of one record share this source value
    outputs: tuple[Output, ...] = ()  # none: a file only read through lookups
    value_maps: dict[str, ValueMap] = {}
    lookups: dict[str, Lookup] = {}
    notes: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> VendorFormat:
        entities = {f"{e.system}/{e.name}": e for e in contract.ENTITIES}
        problems: list[str] = []
        for output in self.outputs:
            entity = entities.get(output.entity)
            if entity is None:
                problems.append(f"output {output.entity!r} is not a canonical entity")
                continue
            names = {c.name for c in entity.columns}
            problems += [
                f"{output.entity}: {name!r} is not one of its columns"
                for name in output.columns
                if name not in names
            ]
            if output.rows == "explode" and not output.explode:
                problems.append(f"{output.entity}: rows: explode needs 'explode: <column>'")
            if output.rows == "first_of_group" and not self.group_by:
                problems.append(f"{output.entity}: rows: first_of_group needs 'group_by'")
            for name, rule in output.columns.items():
                problems += self._rule_problems(output, name, rule)
        problems += [f"detect: {c!r} is not a declared column" for c in self._bad_detect()]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _rule_problems(self, output: Output, name: str, rule: ColumnRule) -> list[str]:
        where = f"{output.entity}.{name}"
        known = set(self.columns)
        sources = [*rule.from_, *rule.join]
        if rule.when is not None:
            sources.append(rule.when.column)
        problems = [
            f"{where}: source column {s!r} is not declared"
            for s in sources
            # an element of an exploded list is item.<key>; a nested value, <column>.<key>
            if s.split(".")[0] not in known and not s.startswith("item.")
        ]
        if rule.map is not None and rule.map not in self.value_maps:
            problems.append(f"{where}: unknown value map {rule.map!r}")
        if rule.lookup is not None and rule.lookup not in self.lookups:
            problems.append(f"{where}: unknown lookup {rule.lookup!r}")
        return problems

    def _bad_detect(self) -> list[str]:
        return [c for c in self.detect if c not in self.columns]

    @property
    def entities(self) -> tuple[str, ...]:
        """The canonical entities ("shop/orders") the format can fill."""
        return tuple(o.entity for o in self.outputs)

    def matches(self, header: list[str]) -> bool:
        """Whether a file with this header row is of this format: every `detect` column
        is there, under one of its headers."""
        present = {h.strip().lstrip("\ufeff").lower() for h in header}
        return all(any(h.lower() in present for h in self.columns[c].headers) for c in self.detect)


@cache
def formats() -> Mapping[str, VendorFormat]:
    """Every vendor format of flows/ingest/formats/, by id (validated once)."""
    found: dict[str, VendorFormat] = {}
    for path in sorted(FORMATS_DIR.glob("*.yaml")):
        try:
            spec = VendorFormat.model_validate(yaml.safe_load(path.read_text("utf-8")))
        except ValidationError as exc:
            raise FormatError(f"{path.name}: {exc}") from exc
        if spec.id != path.stem:
            raise FormatError(f"{path.name}: its id is {spec.id!r}; name the file {spec.id}.yaml")
        found[spec.id] = spec
    for spec in found.values():
        for name, lookup in spec.lookups.items():
            if lookup.format not in found:
                raise FormatError(f"{spec.id}: lookup {name} names unknown format {lookup.format}")
    return found


def format_ids() -> tuple[str, ...]:
    return tuple(formats())


def detect_format(header: list[str]) -> list[VendorFormat]:
    """The formats whose detection headers are all in `header` (none, one, or several:
    then the file must declare its format)."""
    return [spec for spec in formats().values() if spec.matches(header)]
