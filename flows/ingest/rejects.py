"""Why a value, a row or a whole file could not be loaded: `Reject` and its reasons.

A `Reject` becomes one row of `raw_<system>.ingest_rejects` (see
`flows.ingest.raw_layer`). Every reason is written for the person who made the
export: what is wrong, with the value at fault, and what to do. Values are kept
truncated to MAX_VALUE_CHARS characters so that a broken line does not flood the
table. The reasons live here, in one place, so their wording stays consistent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flows import settings
from flows.ingest.contract import MAX_YEAR, MIN_YEAR, RangeRule
from flows.ingest.export_settings import ISO, FileFormat

MAX_VALUE_CHARS = 200


@dataclass(frozen=True)
class Reject:
    """One value (or a whole file, when `line` is None) that could not be loaded."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    reason: str


def truncate(value: str | None) -> str | None:
    """`value` cut to MAX_VALUE_CHARS characters, the last one an ellipsis when cut."""
    if value is None:
        return None
    return value if len(value) <= MAX_VALUE_CHARS else value[: MAX_VALUE_CHARS - 1] + "…"


def value_text(value: object) -> str:
    """A value as the text a reason quotes (NULL is the empty text)."""
    return "" if value is None else str(value)


# ------------------------------------------------------------------- lines of a file


def wrong_value_count(values: int, width: int, delimiter: str) -> str:
    return (
        f"the line has {values} values but the header has {width}; "
        f"check the delimiter ({delimiter!r}) and the quotes on this line."
    )


def invalid_json(error: str) -> str:
    return f"not valid JSON ({error}); each line must hold one JSON object."


NOT_A_JSON_OBJECT = "the line is not a JSON object; each line must hold one object."


# --------------------------------------------------------------------------- values


def not_a_whole_number(value: str, column: str) -> str:
    return f"not a whole number: '{value}' in column {column}; fix the value in the export."


def not_a_number(value: str, column: str, fmt: FileFormat) -> str:
    if value.strip().lower().lstrip("+-") in ("nan", "inf", "infinity"):
        return f"not a number: '{value}' in column {column}; fix the value in the export."
    return (
        f"not a number: '{value}' in column {column}; fix the value or the decimal "
        f"setting in {settings.EXPORT_SETTINGS_FILE} (decimal mark now {fmt.decimal!r})."
    )


def not_a_date(value: str, column: str, fmt: FileFormat) -> str:
    return (
        f"not a date: '{value}' in column {column}; expected {fmt.describe_dates()}. "
        f"Fix the value or date_format in {settings.EXPORT_SETTINGS_FILE}."
    )


def out_of_range(value: str, column: str, rule: RangeRule) -> str:
    return (
        f"out of range: '{value}' in column {column} must be {rule.describe()} ({rule.why}); "
        "fix the value in the export."
    )


def year_out_of_range(value: str, column: str, fmt: FileFormat) -> str:
    # a pattern with %Y reads "05/03/24" as the year 24: say so, it is the usual cause
    hint = (
        f" The year must have 4 digits in {fmt.date_format!r}."
        if fmt.date_format != ISO and "%Y" in fmt.date_format
        else ""
    )
    return (
        f"date out of range: '{value}' in column {column} is not between the years "
        f"{MIN_YEAR} and {MAX_YEAR}.{hint} Fix the value in the export."
    )


def required_value_missing(column: str) -> str:
    return f"required value missing in column {column}; fill it in the export."


def none_of_filled(group: Sequence[str]) -> str:
    return f"{' or '.join(group)} must be filled; fill one of them in the export."


# ----------------------------------------------------------------------------- rows


def duplicate_in_file(key_name: str, key: str, first_line: int) -> str:
    return (
        f"duplicate {key_name} '{key}': already on line {first_line}; "
        "only the first row is loaded. Remove the duplicate from the export."
    )


def duplicate_in_other_file(key_name: str, key: str, other_file: str, entity: str) -> str:
    return (
        f"duplicate {key_name} '{key}': already in {other_file}, another file of "
        f"{entity} loaded first; only that row is loaded. "
        "Keep each row in one file only."
    )


# -------------------------------------------------------------------------- columns


def missing_columns(missing: list[str], header: list[str], fmt: FileFormat) -> str:
    reason = (
        f"missing required column(s): {', '.join(missing)}; the file was not loaded. "
        f"Columns found: {', '.join(h.strip() for h in header) or 'none'}. "
        "Add the columns or rename them to the canonical names."
    )
    if len(header) == 1:
        # one column whose name holds another delimiter: the usual wrong-delimiter case
        for delimiter, name in ((";", "semicolon"), (",", "comma"), ("\t", "tab")):
            if delimiter != fmt.delimiter and delimiter in header[0]:
                reason += (
                    f" The header looks {name}-separated: set delimiter in "
                    f"{settings.EXPORT_SETTINGS_FILE}."
                )
                break
    return reason


UNNAMED_COLUMN = (
    "a column has no name in the header; it was not loaded. "
    "Name the column or remove it from the export."
)


def column_name_taken(name: str, stored: str, like: str) -> str:
    return (
        f"column '{name}' would be stored as '{stored}', like {like}; "
        "it was not loaded. Rename or remove the column in the export."
    )
