"""`export-settings.yaml`: how the files of an export folder are written and checked, validated.

The file is optional. Without it every file is a standard CSV: comma-separated, dot
decimal, ISO dates, UTF-8 (a BOM is accepted), naive timestamps in UTC, event dates
from DEFAULT_EARLIEST_YEAR on, and a run fails when more than DEFAULT_MAX_REJECT_SHARE
of a file's rows are rejected. With it, `defaults`, then `systems.<system>`, then
`files.<system>/<entity>` override those values key by key (see docs/architecture.md,
section 1); the top-level `allow_partial: true` lets runs go on when the data health
check fails (flows.ingest.health).

The file's shape is the pydantic model `ExportSettingsFile`; its JSON Schema is
published as docs/export-settings.schema.json (`python -m flows.docs` writes it).
Values are read as the text written (YAML types play no part: `decimal: ,` and
`decimal: ","` are the same). Every problem is reported at once, each with its line,
its key path and what is accepted (`flows.yaml_config`).
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model

from flows import settings
from flows.ingest import contract
from flows.ingest.boundary import read_regular_file, refusal
from flows.yaml_config import Problem, Wording, json_schema, problem, read_document, validate

DELIMITERS = {",": ",", ";": ";", "\t": "\t", "tab": "\t", "\\t": "\t"}
DECIMALS = (".", ",")
ISO = "iso"
# What a file holds: every row of the entity (a row missing from a new file was deleted)
# or only rows added or changed since the previous export (deletions come in a deletes
# file, flows.ingest.deletions).
SNAPSHOT, INCREMENT = "snapshot", "increment"
MODES = (SNAPSHOT, INCREMENT)

# strftime directives a date pattern may use (the ones Arrow's strptime understands).
DATE_DIRECTIVES = set("aAbBdHIjmMpSyYzZ%")
_TIME_DIRECTIVES = set("HIMSpzZ")


class ExportSettingsError(ValueError):
    """`export-settings.yaml` is malformed; the message names the key path and line."""


@dataclass(frozen=True)
class FileFormat:
    """How one export file is written, and the limits its data is checked against."""

    delimiter: str = ","
    decimal: str = "."
    date_format: str = ISO
    encoding: str = "utf-8"
    timezone: str = "UTC"
    mode: str = SNAPSHOT
    earliest_year: int = contract.DEFAULT_EARLIEST_YEAR  # of event dates
    max_reject_share: float = contract.DEFAULT_MAX_REJECT_SHARE  # above: the run fails
    # a vendor file (flows.ingest.vendor_file): its format, value maps, rating scale and
    # the files its lookups read, so that a change to any of them reads it again
    vendor: str = ""

    @property
    def is_utf8(self) -> bool:
        return codecs.lookup(self.encoding).name == "utf-8"

    @property
    def date_only_format(self) -> str | None:
        """The date part of a date-time pattern ("%d/%m/%Y %H:%M" -> "%d/%m/%Y"), or None.

        A date-time pattern also accepts a value with the time part missing.
        """
        if self.date_format == ISO:
            return None
        match = re.search(r"%[" + "".join(sorted(_TIME_DIRECTIVES)) + "]", self.date_format)
        if match is None:
            return None
        date_part = self.date_format[: match.start()].rstrip(" T,-:")
        return date_part if "%" in date_part else None

    def describe_dates(self) -> str:
        if self.date_format == ISO:
            return "an ISO date such as 2024-03-31 or 2024-03-31T14:30:00+02:00"
        return f"a date written as {self.date_format!r}"

    def fingerprint(self) -> str:
        """Stable text of every setting, part of a file's change-detection fingerprint."""
        # `vendor` only when set: canonical files keep the fingerprints they had
        return "|".join(
            f"{f.name}={getattr(self, f.name)!r}"
            for f in fields(self)
            if f.name != "vendor" or self.vendor
        )


_KEYS = tuple(f.name for f in fields(FileFormat) if f.name != "vendor")


@dataclass(frozen=True)
class ExportSettings:
    """Settings of one export folder: defaults plus per-system and per-file overrides."""

    defaults: FileFormat = field(default_factory=FileFormat)
    systems: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    files: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    path: Path | None = None  # the YAML file they came from, None for the standard CSV
    allow_partial: bool = False  # go on when the data health check fails
    # vendor files (flows.ingest.vendor_format): path in the folder (lower case, "/")
    # -> its block: `format` and how it is written
    vendor_files: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # the company's additions to the vendor formats' value maps: map -> value -> value
    value_map: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def for_file(self, system: str, entity: str) -> FileFormat:
        """The effective format of `<system>/<entity>.*`."""
        overrides = {**self.systems.get(system, {}), **self.files.get(f"{system}/{entity}", {})}
        return replace(self.defaults, **overrides)

    def vendor_block(self, label: str) -> Mapping[str, Any]:
        """The block export-settings.yaml gives the vendor file `label` (path in the
        folder), or an empty one."""
        return self.vendor_files.get(label.lower(), {})


def load_export_settings(exports_dir: Path) -> ExportSettings:
    """Read `<exports_dir>/export-settings.yaml`; an absent file means the standard CSV."""
    path = Path(exports_dir) / settings.EXPORT_SETTINGS_FILE
    if not os.path.lexists(path):
        return ExportSettings()
    # the export folder is a boundary: a link or a device is refused, unread
    reason = refusal(path, Path(exports_dir))
    if reason is not None:
        raise ExportSettingsError(f"{path}: {reason}")
    try:
        text = read_regular_file(path).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExportSettingsError(f"{path}: the file is not UTF-8 text ({exc}).") from exc
    except OSError as exc:
        raise ExportSettingsError(f"{path}: {exc.strerror or exc}") from exc
    return parse_export_settings(text, path)


def parse_export_settings(text: str, path: Path | None = None) -> ExportSettings:
    """Validate the YAML `text` of an export settings file (`path` is only used in errors)."""
    where = str(path) if path else settings.EXPORT_SETTINGS_FILE
    try:
        document = read_document(text, typed_scalars=False)
    except yaml.YAMLError as exc:
        raise ExportSettingsError(f"{where}: not valid YAML: {exc}") from exc
    if document is None:
        return ExportSettings(path=path)
    spec, problems = validate(ExportSettingsFile, document, _WORDING)
    if spec is None:
        raise ExportSettingsError("\n".join(_describe(where, p) for p in problems))
    return ExportSettings(
        defaults=replace(FileFormat(), **spec.defaults.overrides()),
        systems=_overrides(spec.systems),
        files=_overrides(spec.files),
        path=path,
        allow_partial=spec.allow_partial,
        vendor_files={
            name.strip().lstrip("./").lower(): block.overrides()
            for name, block in spec.vendor_files.items()
        },
        value_map={name: dict(values) for name, values in spec.value_map.items()},
    )


def _overrides(blocks: BaseModel) -> dict[str, dict[str, Any]]:
    """The format blocks the file gives (system or file -> its overrides)."""
    given: dict[str, dict[str, Any]] = {}
    for name, info in type(blocks).model_fields.items():
        if name in blocks.model_fields_set:
            given[info.alias or name] = getattr(blocks, name).overrides()
    return given


def _describe(where: str, found: Problem) -> str:
    return f"{where}, line {found.line}, key '{found.path or 'top level'}': {found.message}"


_WORDING = Wording(
    expected_mapping="expected a mapping of keys to values.",
    duplicate_key="this key appears twice.",
    unknown_key=lambda key, allowed: f"unknown key '{key}'; expected one of: {', '.join(allowed)}.",
    missing_key=lambda key: f"missing key '{key}'.",  # no key is required
)


# ----------------------------------------------------------------- the file's schema


def _single_text(value: Any) -> str:
    if not isinstance(value, str) or value == "":
        raise problem("expected a single text value.")
    return value


def _delimiter(value: Any) -> str:
    value = _single_text(value)
    if value not in DELIMITERS:
        raise problem(f'{value!r} is not supported; use ",", ";" or "\\t".')
    return DELIMITERS[value]


def _decimal(value: Any) -> str:
    value = _single_text(value)
    if value not in DECIMALS:
        raise problem(f'{value!r} is not supported; use "." or ",".')
    return value


def _date_format(value: Any) -> str:
    value = _single_text(value)
    if value.lower() == ISO:
        return ISO
    directives = re.findall(r"%(.)", value)
    unknown = sorted(set(directives) - DATE_DIRECTIVES)
    if unknown:
        raise problem(
            f"unsupported directive(s) {', '.join('%' + d for d in unknown)} in {value!r}; "
            "use iso or a pattern made of %Y %y %m %b %d %H %I %M %S %p %z."
        )
    has_year = bool({"Y", "y"} & set(directives))
    has_day = "j" in directives or (bool({"m", "b", "B"} & set(directives)) and "d" in directives)
    if not (has_year and has_day):
        raise problem(
            f"{value!r} does not say the year, month and day; use iso or a pattern such as "
            '"%d/%m/%Y" or "%d/%m/%Y %H:%M".'
        )
    return value


def _encoding(value: Any) -> str:
    value = _single_text(value)
    try:
        codecs.lookup(value)
    except LookupError:
        raise problem(f"unknown encoding {value!r}; use utf-8, latin-1, cp1252...") from None
    return value


def _timezone(value: Any) -> str:
    value = _single_text(value)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise problem(f"unknown time zone {value!r}; use a name such as Europe/Paris.") from None
    return value


def _mode(value: Any) -> str:
    value = _single_text(value)
    if value.lower() not in MODES:
        raise problem(f"{value!r} is not supported; use {' or '.join(MODES)}.")
    return value.lower()


def _earliest_year(value: Any) -> int:
    value = _single_text(value)
    if not re.fullmatch(r"\d{4}", value.strip()):
        raise problem(f"{value!r} is not a year; write it with 4 digits, such as 2015.")
    year = int(value)
    if not contract.MIN_YEAR <= year <= contract.MAX_YEAR:
        raise problem(f"{year} is not between {contract.MIN_YEAR} and {contract.MAX_YEAR}.")
    return year


def _share(value: Any) -> float:
    value = _single_text(value).strip()
    percent = value.endswith("%")
    try:
        share = float(value.rstrip("% ")) / (100 if percent else 1)
    except ValueError:
        share = -1.0
    if not 0 <= share <= 1:
        raise problem(
            f"{value!r} is not a share; write a number from 0 to 1 (0.05) or a percentage (5%)."
        )
    return share


def _share_schema(schema: dict[str, Any]) -> None:
    """JSON Schema: a number from 0 to 1, or a percentage written as text ("5%")."""
    schema.pop("type", None)
    schema["anyOf"] = [
        {"type": "number", "minimum": 0, "maximum": 1},
        {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*%\s*$"},
    ]
    schema["examples"] = [0.05, "10%"]


def _flag(value: Any) -> bool:
    value = _single_text(value).strip().lower()
    if value not in ("true", "false", "yes", "no"):
        raise problem(f"{value!r} is not true or false.")
    return value in ("true", "yes")


_DEFAULT = FileFormat()


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FormatBlock(_Model):
    """How files are written; every key is optional and overrides the level above."""

    delimiter: Annotated[
        str,
        BeforeValidator(_delimiter),
        Field(
            description='Column separator: "," ";" or "\\t" (tab; also written tab).',
            json_schema_extra={"enum": list(DELIMITERS)},
        ),
    ] = _DEFAULT.delimiter
    decimal: Annotated[
        str,
        BeforeValidator(_decimal),
        Field(
            description='Decimal mark of numbers written as text: "." or ",".',
            json_schema_extra={"enum": list(DECIMALS)},
        ),
    ] = _DEFAULT.decimal
    date_format: Annotated[
        str,
        BeforeValidator(_date_format),
        Field(
            description='iso, or a strftime pattern such as "%d/%m/%Y %H:%M" (it must give '
            "the year, month and day; a date-time pattern also accepts the date alone).",
            json_schema_extra={"examples": ["iso", "%d/%m/%Y", "%d/%m/%Y %H:%M"]},
        ),
    ] = _DEFAULT.date_format
    encoding: Annotated[
        str,
        BeforeValidator(_encoding),
        Field(
            description="Text encoding: utf-8 (a BOM is accepted), latin-1, cp1252...",
            json_schema_extra={"examples": ["utf-8", "utf-8-sig", "latin-1", "cp1252"]},
        ),
    ] = _DEFAULT.encoding
    timezone: Annotated[
        str,
        BeforeValidator(_timezone),
        Field(
            description="Time zone of timestamps written without an offset (and of dates "
            "alone, read as midnight), such as UTC or Europe/Paris.",
            json_schema_extra={"examples": ["UTC", "Europe/Paris"]},
        ),
    ] = _DEFAULT.timezone
    mode: Annotated[
        str,
        BeforeValidator(_mode),
        Field(
            description="snapshot: the file holds every row of the entity, and a row missing "
            "from a new file is marked deleted; increment: only rows added or changed since "
            "the previous export, deletions listed in <entity>_deleted.<ext>.",
            json_schema_extra={"enum": list(MODES)},
        ),
    ] = _DEFAULT.mode
    earliest_year: Annotated[
        int,
        BeforeValidator(_earliest_year),
        Field(
            description="Event dates (orders, returns, reviews, deals, notes, tickets, "
            "comments, ratings) before this year are rejected as mistakes; events after "
            "the day of the run always are.",
            json_schema_extra={
                "examples": [2000, 2015],
                "minimum": contract.MIN_YEAR,
                "maximum": contract.MAX_YEAR,
            },
        ),
    ] = _DEFAULT.earliest_year
    max_reject_share: Annotated[
        float,
        BeforeValidator(_share),
        Field(
            description="The run fails when a file has a larger share of rejected rows "
            "(or, for orders and deals, of rows rejected or left without an exchange "
            "rate): a number from 0 to 1, or a percentage such as 5%.",
            json_schema_extra=_share_schema,
        ),
    ] = _DEFAULT.max_reject_share

    def overrides(self) -> dict[str, Any]:
        """The keys the block gives, normalised (tab for "\\t", iso for "ISO")."""
        return {name: getattr(self, name) for name in _KEYS if name in self.model_fields_set}


def _vendor_format(value: Any) -> str:
    from flows.ingest.vendor_format import format_ids

    value = _single_text(value).strip().lower()
    if value not in format_ids():
        raise problem(f"unknown format {value!r}; use one of: {', '.join(format_ids())}.")
    return value


def _rating_scale(value: Any) -> int:
    value = _single_text(value).strip()
    if value not in ("5", "10", "100"):
        raise problem(f"{value!r} is not supported; use 5, 10 or 100.")
    return int(value)


class VendorFileBlock(FormatBlock):
    """A file exported by a vendor's tool: its format, and how it is written when that
    differs from the format's own settings."""

    format: Annotated[
        str,
        BeforeValidator(_vendor_format),
        Field(
            description="The vendor format of the file (flows/ingest/formats/), such as "
            "shopify-orders, hubspot-deals, zendesk-tickets-json, judgeme-reviews.",
        ),
    ]
    rating_scale: Annotated[
        int,
        BeforeValidator(_rating_scale),
        Field(description="The scale of the file's ratings (5, 10 or 100): brought to 1-5."),
    ] = 0

    def overrides(self) -> dict[str, Any]:
        given = super().overrides()
        given["format"] = self.format
        if "rating_scale" in self.model_fields_set:
            given["rating_scale"] = self.rating_scale
        return given


def _value_map(value: Any) -> Any:
    """The company's additions to value maps, each value checked against its list."""
    from flows.ingest.vendor_format import formats

    if not isinstance(value, dict):
        raise problem("expected a mapping of value maps (channel, order_status...).")
    known: dict[str, tuple[str, ...]] = {}
    for spec in formats().values():
        for name, value_map in spec.value_maps.items():
            known[name] = value_map.allowed()
    checked: dict[str, dict[str, str]] = {}
    for name, entries in value.items():
        if name not in known:
            raise problem(f"unknown value map {name!r}; use one of: {', '.join(sorted(known))}.")
        if not isinstance(entries, dict):
            raise problem(f"{name}: expected vendor values mapped to values of {name}.")
        for vendor_value, canonical in entries.items():
            canonical = str(canonical).strip()
            if canonical not in known[name]:
                raise problem(
                    f"{name}: {vendor_value!r} maps to {canonical!r}, which is not one of "
                    f"{', '.join(known[name])}."
                )
        checked[name] = {str(k): str(v).strip() for k, v in entries.items()}
    return checked


def _empty_when_null(value: Any) -> Any:
    # an empty block (`defaults:` alone, or ~ or null) overrides nothing
    return {} if value in ("", "~", "null") else value


def _or_null(schema: dict[str, Any]) -> None:
    """JSON Schema: the block, or null (an empty block)."""
    described = {key: schema.pop(key) for key in ("description", "default") if key in schema}
    reference = dict(schema)
    schema.clear()
    schema.update(anyOf=[reference, {"type": "null"}], **described)


def _block(description: str, alias: str | None = None) -> Any:
    """A format block field: a mapping, or null for an empty block."""
    return Annotated[
        FormatBlock,
        BeforeValidator(_empty_when_null),
        Field(alias=alias, description=description, json_schema_extra=_or_null),
    ]


# One optional block per system and per entity file, looping over the contract.
_SYSTEM_BLOCKS: dict[str, Any] = {
    system: (_block(f"How every file of {system}/ is written."), FormatBlock())
    for system in settings.SYSTEMS
}
_FILE_BLOCKS: dict[str, Any] = {
    f"{e.system}__{e.name}": (
        _block(f"How {e.system}/{e.name}.* is written.", alias=f"{e.system}/{e.name}"),
        FormatBlock(),
    )
    for e in contract.ENTITIES
}
Systems = create_model(
    "Systems",
    __config__=ConfigDict(extra="forbid", frozen=True),
    __doc__="Overrides for every file of one system.",
    **_SYSTEM_BLOCKS,
)
Files = create_model(
    "Files",
    __config__=ConfigDict(extra="forbid", frozen=True),
    __doc__="Overrides for one file (all the files of one entity).",
    **_FILE_BLOCKS,
)


class ExportSettingsFile(_Model):
    """How the files of an export folder are written and checked (`export-settings.yaml`)."""

    allow_partial: Annotated[
        bool,
        BeforeValidator(_flag),
        Field(
            description="true: a run whose data fails the health check (a required file "
            "with no row, too many rejected rows) goes on and renders its brief, which "
            "says so on its cover; false (the default): the run fails.",
        ),
    ] = False
    defaults: _block("Applies to every file.") = FormatBlock()  # type: ignore[valid-type]
    systems: Annotated[
        Systems,  # type: ignore[valid-type]
        Field(description="Overrides per system: shop, crm, support."),
    ] = Systems()
    files: Annotated[
        Files,  # type: ignore[valid-type]
        Field(description="Overrides per file, named <system>/<entity>."),
    ] = Files()
    vendor_files: Annotated[
        dict[str, VendorFileBlock],
        Field(
            description="Files exported by a vendor's tool, by their path in the export "
            "folder (orders_export_1.csv, shop/products_export.csv): their format and how "
            "they are written. A file not listed is recognised by its header when it can be.",
        ),
    ] = {}
    value_map: Annotated[
        dict[str, dict[str, str]],
        BeforeValidator(_value_map),
        Field(
            description="Vendor values of enumerated columns mapped to Terrain's values, per "
            "map: channel (web, store, marketplace, b2b, phone, other), order_status, "
            "account_type, deal_outcome... e.g. channel: {'5776891': marketplace}.",
        ),
    ] = {}


def export_settings_schema() -> str:
    """The JSON Schema of export-settings.yaml (docs/export-settings.schema.json)."""
    return json_schema(ExportSettingsFile, "Terrain export settings (export-settings.yaml)")
