"""Load and validate `export-settings.yaml`: how the files of an export folder are written.

The file is optional. Without it every file is a standard CSV: comma-separated, dot
decimal, ISO dates, UTF-8 (a BOM is accepted), naive timestamps in UTC. With it,
`defaults`, then `systems.<system>`, then `files.<system>/<entity>` override those
values key by key (see docs/architecture.md, section 1).

Errors name the key path and the line in the YAML file, and say what is accepted.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from flows import settings
from flows.ingest import contract

DELIMITERS = {",": ",", ";": ";", "\t": "\t", "tab": "\t", "\\t": "\t"}
DECIMALS = (".", ",")
ISO = "iso"

# strftime directives a date pattern may use (the ones Arrow's strptime understands).
_KNOWN_DIRECTIVES = set("aAbBdHIjmMpSyYzZ%")
_TIME_DIRECTIVES = set("HIMSpzZ")


class ExportSettingsError(ValueError):
    """`export-settings.yaml` is malformed; the message names the key path and line."""


@dataclass(frozen=True)
class FileFormat:
    """How one export file is written."""

    delimiter: str = ","
    decimal: str = "."
    date_format: str = ISO
    encoding: str = "utf-8"
    timezone: str = "UTC"

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
        return "|".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))


_KEYS = tuple(f.name for f in fields(FileFormat))


@dataclass(frozen=True)
class ExportSettings:
    """Settings of one export folder: defaults plus per-system and per-file overrides."""

    defaults: FileFormat = field(default_factory=FileFormat)
    systems: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    files: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    path: Path | None = None  # the YAML file they came from, None for the standard CSV

    def for_file(self, system: str, entity: str) -> FileFormat:
        """The effective format of `<system>/<entity>.*`."""
        overrides = {**self.systems.get(system, {}), **self.files.get(f"{system}/{entity}", {})}
        return replace(self.defaults, **overrides)


def load_export_settings(exports_dir: Path) -> ExportSettings:
    """Read `<exports_dir>/export-settings.yaml`; an absent file means the standard CSV."""
    path = Path(exports_dir) / settings.EXPORT_SETTINGS_FILE
    if not path.is_file():
        return ExportSettings()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExportSettingsError(f"{path}: the file is not UTF-8 text ({exc}).") from exc
    return parse_export_settings(text, path)


def parse_export_settings(text: str, path: Path | None = None) -> ExportSettings:
    """Validate the YAML `text` of an export settings file (`path` is only used in errors)."""
    where = str(path) if path else settings.EXPORT_SETTINGS_FILE
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise ExportSettingsError(f"{where}: not valid YAML: {exc}") from exc
    if root is None:
        return ExportSettings(path=path)
    checker = _Checker(where)
    top = checker.mapping(root, "", ("defaults", "systems", "files"))

    defaults = FileFormat()
    if "defaults" in top:
        defaults = replace(defaults, **checker.format_block(top["defaults"], "defaults"))

    systems: dict[str, dict[str, str]] = {}
    if "systems" in top:
        for name, node in checker.mapping(top["systems"], "systems", settings.SYSTEMS).items():
            systems[name] = checker.format_block(node, f"systems.{name}")

    files: dict[str, dict[str, str]] = {}
    if "files" in top:
        known_files = [f"{e.system}/{e.name}" for e in contract.ENTITIES]
        for name, node in checker.mapping(top["files"], "files", known_files).items():
            files[name] = checker.format_block(node, f"files.{name}")

    return ExportSettings(defaults=defaults, systems=systems, files=files, path=path)


class _Checker:
    """Walks the YAML node tree so errors can give the line of the offending key."""

    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, node: yaml.Node, key_path: str, message: str) -> ExportSettingsError:
        line = node.start_mark.line + 1
        return ExportSettingsError(f"{self.where}, line {line}, key '{key_path}': {message}")

    def mapping(
        self, node: yaml.Node, key_path: str, allowed: tuple[str, ...] | list[str]
    ) -> dict[str, yaml.Node]:
        label = key_path or "top level"
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, label, "expected a mapping of keys to values.")
        result: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            path = f"{key_path}.{key}" if key_path else key
            if key not in allowed:
                raise self.fail(
                    key_node, path, f"unknown key '{key}'; expected one of: {', '.join(allowed)}."
                )
            if key in result:
                raise self.fail(key_node, path, "this key appears twice.")
            result[key] = value_node
        return result

    def format_block(self, node: yaml.Node, key_path: str) -> dict[str, str]:
        if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
            return {}
        values: dict[str, str] = {}
        for key, value_node in self.mapping(node, key_path, _KEYS).items():
            path = f"{key_path}.{key}"
            if not isinstance(value_node, yaml.ScalarNode) or value_node.value == "":
                raise self.fail(value_node, path, "expected a single text value.")
            values[key] = self._check_value(key, str(value_node.value), value_node, path)
        return values

    def _check_value(self, key: str, value: str, node: yaml.Node, path: str) -> str:
        if key == "delimiter":
            if value not in DELIMITERS:
                raise self.fail(node, path, f'{value!r} is not supported; use ",", ";" or "\\t".')
            return DELIMITERS[value]
        if key == "decimal":
            if value not in DECIMALS:
                raise self.fail(node, path, f'{value!r} is not supported; use "." or ",".')
            return value
        if key == "date_format":
            return self._check_date_format(value, node, path)
        if key == "encoding":
            try:
                codecs.lookup(value)
            except LookupError:
                raise self.fail(
                    node, path, f"unknown encoding {value!r}; use utf-8, latin-1, cp1252..."
                ) from None
            return value
        if key == "timezone":
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise self.fail(
                    node, path, f"unknown time zone {value!r}; use a name such as Europe/Paris."
                ) from None
            return value
        raise AssertionError(key)  # pragma: no cover - keys are checked by mapping()

    def _check_date_format(self, value: str, node: yaml.Node, path: str) -> str:
        if value.lower() == ISO:
            return ISO
        directives = re.findall(r"%(.)", value)
        unknown = sorted(set(directives) - _KNOWN_DIRECTIVES)
        if unknown:
            raise self.fail(
                node,
                path,
                f"unsupported directive(s) {', '.join('%' + d for d in unknown)} in {value!r}; "
                "use iso or a pattern made of %Y %y %m %b %d %H %I %M %S %p %z.",
            )
        has_year = bool({"Y", "y"} & set(directives))
        has_day = "j" in directives or (
            bool({"m", "b", "B"} & set(directives)) and "d" in directives
        )
        if not (has_year and has_day):
            raise self.fail(
                node,
                path,
                f"{value!r} does not say the year, month and day; use iso or a pattern such as "
                '"%d/%m/%Y" or "%d/%m/%Y %H:%M".',
            )
        return value
