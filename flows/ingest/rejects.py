"""Why a value, a row or a whole file could not be loaded: `Reject` and its reasons.

A `Reject` becomes one row of `raw_<system>.ingest_rejects` (see
`flows.ingest.raw_layer`). Every reason is written for the person who made the
export: what is wrong, with the value at fault, and what to do. The reasons live
here, in one place, so their wording stays consistent; each has a code (REASON_CODES)
by which the health check and the brief count them.

Rejects are read by every analyst, so what they keep of the files is bounded and
redacted (`excerpt`): a value is kept to MAX_VALUE_CHARS characters, a reason quotes
at most QUOTED_CHARS characters of it and is itself at most MAX_REASON_CHARS long, and
secret assignments (`API_KEY=...`, `password: ...`), credentials in URLs, bearer tokens
and long key-like strings, then personal data (the project's redactor,
`flows.voice.redaction`: e-mails, phones, bank details, cards, addresses, names) are
replaced by a placeholder before anything is stored or logged. A file whose first
line is a process environment, say, leaves its variable names, not their values.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from flows import settings
from flows.ingest.contract import MAX_YEAR, MIN_YEAR, RangeRule
from flows.ingest.export_settings import ISO, FileFormat
from flows.voice.redaction import Redactor

MAX_VALUE_CHARS = 200  # of a value, in the `value` column
QUOTED_CHARS = 60  # of a value, quoted in a reason
MAX_REASON_CHARS = 600  # of a reason

_SECRET_NAME = r"[A-Za-z0-9_.-]*(?:secret|token|passw(?:or)?d|pwd|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth)[A-Za-z0-9_.-]*"
# Secrets, which the personal-data redactor does not look for: (pattern, placeholder)
_SECRETS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://)[^/\s:@]+:[^/\s@]+@"), r"\1[secret]@"),
    (re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/-]+=*"), "Bearer [secret]"),
    (
        re.compile(rf"(?i)\b({_SECRET_NAME})(\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|[^\s,;&\x00]+)"),
        r"\1\2[secret]",
    ),
    (
        re.compile(r"\b[A-Za-z0-9_-]*(?=[A-Za-z_-]*\d)(?=[0-9_-]*[A-Za-z])[A-Za-z0-9_-]{32,}\b"),
        "[token]",
    ),
    (re.compile(r"[A-Za-z0-9+/]{40,}={0,2}"), "[token]"),
]
# Personal data (e-mails, phones, bank details, cards, addresses, names): the project's
# redactor, the one customer voice goes through
_PERSONAL_DATA = Redactor()

# The kinds of reasons, stored as ingest_rejects.reason_code: code -> what it counts.
WRONG_VALUE_COUNT = "wrong_value_count"
INVALID_JSON = "invalid_json"
NOT_VALID_ENCODING = "not_valid_encoding"
NOT_A_WHOLE_NUMBER = "not_a_whole_number"
NOT_A_NUMBER = "not_a_number"
NOT_A_DATE = "not_a_date"
OUT_OF_RANGE = "out_of_range"
NEGATIVE_AMOUNT = "negative_amount"
DATE_OUT_OF_RANGE = "date_out_of_range"
DATE_IN_FUTURE = "date_in_future"
DATE_TOO_EARLY = "date_too_early"
UNKNOWN_CURRENCY = "unknown_currency"
REQUIRED_VALUE_MISSING = "required_value_missing"
DUPLICATE_KEY = "duplicate_key"
MISSING_COLUMNS = "missing_columns"
UNREADABLE_FILE = "unreadable_file"
REFUSED_FILE = "refused_file"
COLUMN_DROPPED = "column_dropped"
UNRESOLVED_REFERENCE = "unresolved_reference"
AMBIGUOUS_FORMAT = "ambiguous_format"
REASON_CODES: dict[str, str] = {
    WRONG_VALUE_COUNT: "a CSV line with more or fewer values than the header",
    INVALID_JSON: "a JSONL line that is not one JSON object",
    NOT_VALID_ENCODING: "a line whose bytes are not valid in the file's encoding",
    NOT_A_WHOLE_NUMBER: "a value that is not a whole number",
    NOT_A_NUMBER: "a value that is not a number in the file's decimal mark",
    NOT_A_DATE: "a value that is not a date in the file's date format",
    OUT_OF_RANGE: "a number outside its column's range",
    NEGATIVE_AMOUNT: "a negative price, total, amount or discount",
    DATE_OUT_OF_RANGE: f"a date outside the years {MIN_YEAR} to {MAX_YEAR}",
    DATE_IN_FUTURE: "an event dated after the day of the run",
    DATE_TOO_EARLY: "an event dated before the export's earliest year",
    UNKNOWN_CURRENCY: "a currency that is not an ISO 4217 code",
    REQUIRED_VALUE_MISSING: "an empty required value (or none of a group filled)",
    DUPLICATE_KEY: "a primary key already loaded from an earlier row or file",
    MISSING_COLUMNS: "a file without a required column: refused whole",
    UNREADABLE_FILE: "a file that cannot be read at all: refused whole",
    REFUSED_FILE: "a link, a device or a path outside the export folder: refused unread",
    COLUMN_DROPPED: "an extra column that cannot be stored (the rows load)",
    UNRESOLVED_REFERENCE: "a vendor file's reference (a product handle, a requester, a "
    "customer) that no other export of the folder resolves",
    AMBIGUOUS_FORMAT: "a vendor file whose header matches several vendor formats and that "
    "declares none: refused whole",
}


@dataclass(frozen=True)
class Reject:
    """One value (or a whole file, when `line` is None) that could not be loaded."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    reason: str
    code: str  # one of REASON_CODES


@lru_cache(maxsize=4096)
def redact(text: str) -> str:
    """`text` with secrets ([secret], [token]) and personal data ([email], [phone],
    [iban], [card], [address], [name]: flows.voice.redaction) replaced by placeholders.
    Cached: the same bad value often repeats over many lines."""
    for pattern, placeholder in _SECRETS:
        text = pattern.sub(placeholder, text)
    return _PERSONAL_DATA.redact(text)


def excerpt(value: str | None, limit: int) -> str | None:
    """`value` redacted and cut to `limit` characters, the last one an ellipsis when cut.

    Control characters (a NUL between environment variables, a line break) show as a
    space, so that one value stays on one line."""
    if value is None:
        return None
    # cut before redacting too: a huge value costs no time, and what is cut is never seen
    text = redact("".join(" " if ch < " " else ch for ch in value[: limit * 4]))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def truncate(value: str | None) -> str | None:
    """`value` as the `value` column keeps it: redacted, at most MAX_VALUE_CHARS long."""
    return excerpt(value, MAX_VALUE_CHARS)


def stored_reason(reason: str) -> str:
    """A reason as stored and logged: redacted, at most MAX_REASON_CHARS long."""
    return excerpt(reason, MAX_REASON_CHARS) or ""


def _q(value: str) -> str:
    """`value` as a reason quotes it (redacted, at most QUOTED_CHARS long)."""
    return excerpt(value, QUOTED_CHARS) or ""


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


def not_valid_encoding(bad: bytes, fmt: FileFormat) -> str:
    return (
        f"not valid {fmt.encoding}: the bytes {bad!r} on this line cannot be decoded, so "
        f"the line was not loaded. Save the file as {fmt.encoding}, or set 'encoding' for "
        f"this file in {settings.EXPORT_SETTINGS_FILE} (for example latin-1 or cp1252)."
    )


# --------------------------------------------------------------------------- values


def not_a_whole_number(value: str, column: str) -> str:
    return f"not a whole number: '{_q(value)}' in column {column}; fix the value in the export."


def not_a_number(value: str, column: str, fmt: FileFormat) -> str:
    if value.strip().lower().lstrip("+-") in ("nan", "inf", "infinity"):
        return f"not a number: '{_q(value)}' in column {column}; fix the value in the export."
    return (
        f"not a number: '{_q(value)}' in column {column}; fix the value or the decimal "
        f"setting in {settings.EXPORT_SETTINGS_FILE} (decimal mark now {fmt.decimal!r})."
    )


def not_a_date(value: str, column: str, fmt: FileFormat) -> str:
    return (
        f"not a date: '{_q(value)}' in column {column}; expected {fmt.describe_dates()}. "
        f"Fix the value or date_format in {settings.EXPORT_SETTINGS_FILE}."
    )


def out_of_range(value: str, column: str, rule: RangeRule) -> str:
    return (
        f"out of range: '{_q(value)}' in column {column} must be {rule.describe()} ({rule.why}); "
        "fix the value in the export."
    )


def negative_amount(value: str, column: str, rule: RangeRule) -> str:
    return f"negative amount: '{_q(value)}' in column {column}; {rule.why}. Fix the value in the export."


def date_in_future(value: str, column: str, today: dt.date) -> str:
    return (
        f"date in the future: '{_q(value)}' in column {column} is after the day of the run "
        f"({today.isoformat()}, UTC), and an event cannot have happened yet; fix the value "
        "in the export (often a wrong year or a date format reading day and month the "
        "other way round)."
    )


def date_too_early(value: str, column: str, earliest_year: int) -> str:
    return (
        f"date too early: '{_q(value)}' in column {column} is before {earliest_year}, the "
        f"earliest year of this export; fix the value, or set earliest_year in "
        f"{settings.EXPORT_SETTINGS_FILE} if the history really starts earlier."
    )


def unknown_currency(value: str, column: str) -> str:
    return (
        f"unknown currency: '{_q(value)}' in column {column} is not an ISO 4217 code; write "
        "the three-letter code (EUR, USD, GBP...) in the export."
    )


def year_out_of_range(value: str, column: str, fmt: FileFormat) -> str:
    # a pattern with %Y reads "05/03/24" as the year 24: say so, it is the usual cause
    hint = (
        f" The year must have 4 digits in {fmt.date_format!r}."
        if fmt.date_format != ISO and "%Y" in fmt.date_format
        else ""
    )
    return (
        f"date out of range: '{_q(value)}' in column {column} is not between the years "
        f"{MIN_YEAR} and {MAX_YEAR}.{hint} Fix the value in the export."
    )


def required_value_missing(column: str) -> str:
    return f"required value missing in column {column}; fill it in the export."


def none_of_filled(group: Sequence[str]) -> str:
    return f"{' or '.join(group)} must be filled; fill one of them in the export."


# ----------------------------------------------------------------------------- rows


def duplicate_in_file(key_name: str, key: str, first_line: int) -> str:
    return (
        f"duplicate {key_name} '{_q(key)}': already on line {first_line}; "
        "only the first row is loaded. Remove the duplicate from the export."
    )


def duplicate_in_other_file(key_name: str, key: str, other_file: str, entity: str) -> str:
    return (
        f"duplicate {key_name} '{_q(key)}': already in {other_file}, another file of "
        f"{entity} loaded first; only that row is loaded. "
        "Keep each row in one file only."
    )


# -------------------------------------------------------------------------- columns


def missing_columns(missing: list[str], header: list[str], fmt: FileFormat) -> str:
    reason = (
        f"missing required column(s): {', '.join(missing)}; the file was not loaded. "
        f"Columns found: {_header_list(header)}. "
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


def _header_list(header: list[str], most: int = 30) -> str:
    """The column names of a header, each as a reason quotes it, at most `most` of them."""
    names = [_q(h.strip()) for h in header[:most]]
    more = f" and {len(header) - most} more" if len(header) > most else ""
    return (", ".join(names) or "none") + more


UNNAMED_COLUMN = (
    "a column has no name in the header; it was not loaded. "
    "Name the column or remove it from the export."
)


def column_name_taken(name: str, stored: str, like: str) -> str:
    return (
        f"column '{_q(name)}' would be stored as '{_q(stored)}', like {_q(like)}; "
        "it was not loaded. Rename or remove the column in the export."
    )
