"""Typed casts of raw columns to the contract's types, and the rules values must follow.

`cast_column` casts a whole column at once with `pyarrow.compute` (text -> string,
integer -> int64, decimal -> float64, timestamp -> timestamp[us, UTC], date -> date32);
only when a cast fails does it look at single values, to find the rows at fault. It
returns a `Cast`: the typed column, a mask of the values at fault, the reason to give
for each and the code of that reason. `range_check`, `year_check`, `event_date_check`
and `currency_check` add the contract's value rules (`RANGE_RULES`, the years
MIN_YEAR..MAX_YEAR, event dates between the export's earliest year and the day of the
run, ISO 4217 currency codes) as further `Cast`s.

Values: text is trimmed (blank = NULL); numbers written as text use the file's decimal
mark, may group thousands with spaces, take no exponent ("1e3" is rejected) and must
be finite; a date alone means midnight in the file's time zone, a value with an
offset keeps its own; a date-time pattern also accepts the date without its time.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache

import pyarrow as pa
import pyarrow.compute as pc
from babel.numbers import list_currencies

from flows.ingest import contract
from flows.ingest import rejects as reasons
from flows.ingest.contract import MAX_YEAR, MIN_YEAR, RangeRule
from flows.ingest.export_settings import ISO, FileFormat

# The Arrow type of each contract type, as the raw layer stores it.
ARROW_TYPES: dict[str, pa.DataType] = {
    contract.TEXT: pa.string(),
    contract.INTEGER: pa.int64(),
    contract.DECIMAL: pa.float64(),
    contract.TIMESTAMP: pa.timestamp("us", tz="UTC"),
    contract.DATE: pa.date32(),
}

# Spaces used as thousands separators: normal, no-break and narrow no-break.
_THOUSANDS_SPACES = r"[ \x{00A0}\x{202F}]"
_INTEGER_RE = r"^[+-]?\d+$"
_DECIMAL_RE = r"^[+-]?(\d+(\.\d*)?|\.\d+)$"  # no exponent: "1e3" is not an amount
_ISO_DATE_RE = r"^\d{4}-\d{2}-\d{2}$"
_ISO_DATETIME_RE = (
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}(:\d{2}(:\d{2}(\.\d+)?)?)?(Z|z|[+-]\d{2}(:?\d{2})?)?$"
)
_ISO_ZONE_RE = r"(Z|z|[+-]\d{2}(:?\d{2})?)$"


@dataclass
class Cast:
    """A column cast to its canonical type, with the rows whose value failed."""

    array: pa.Array
    bad: pa.Array  # boolean, True where the value is at fault
    reason: Callable[[str], str]  # value -> plain-words reason
    code: str = ""  # the kind of reason (rejects.REASON_CODES), counted by the health check


def range_check(cast: Cast, rule: RangeRule, column: str) -> Cast:
    """Values of `column` outside `rule` (the ones that parsed; NULL is not checked)."""
    values = cast.array
    out = all_false(len(values))
    if rule.minimum is not None:
        below = pc.less_equal if rule.above else pc.less
        out = pc.or_(out, pc.fill_null(below(values, rule.minimum), False))
    if rule.maximum is not None:
        out = pc.or_(out, pc.fill_null(pc.greater(values, rule.maximum), False))

    if rule.is_money:

        def reason(value: str) -> str:
            return reasons.negative_amount(value, column, rule)

        return Cast(values, out, reason, reasons.NEGATIVE_AMOUNT)

    def out_of_range(value: str) -> str:
        return reasons.out_of_range(value, column, rule)

    return Cast(values, out, out_of_range, reasons.OUT_OF_RANGE)


def year_check(cast: Cast, column: str, fmt: FileFormat) -> Cast:
    """Dates outside MIN_YEAR..MAX_YEAR: a short year read by %Y, or a typing mistake."""
    year = pc.year(cast.array)
    out = pc.fill_null(pc.or_(pc.less(year, MIN_YEAR), pc.greater(year, MAX_YEAR)), False)

    def reason(value: str) -> str:
        return reasons.year_out_of_range(value, column, fmt)

    return Cast(cast.array, out, reason, reasons.DATE_OUT_OF_RANGE)


def event_date_check(cast: Cast, column: str, fmt: FileFormat, today: dt.date) -> tuple[Cast, Cast]:
    """Event dates after `today` (in UTC: the event has not happened yet) and before
    the export's earliest year; dates outside MIN_YEAR..MAX_YEAR are left to
    `year_check`, so that one value gets one reason."""
    values = cast.array
    dates = pc.cast(values, pa.date32()) if pa.types.is_timestamp(values.type) else values
    year = pc.year(dates)
    plausible_years = pc.and_(pc.greater_equal(year, MIN_YEAR), pc.less_equal(year, MAX_YEAR))
    future = pc.fill_null(pc.and_(plausible_years, pc.greater(dates, pa.scalar(today))), False)
    early = pc.fill_null(pc.and_(plausible_years, pc.less(year, fmt.earliest_year)), False)

    def future_reason(value: str) -> str:
        return reasons.date_in_future(value, column, today)

    def early_reason(value: str) -> str:
        return reasons.date_too_early(value, column, fmt.earliest_year)

    return (
        Cast(values, future, future_reason, reasons.DATE_IN_FUTURE),
        Cast(values, early, early_reason, reasons.DATE_TOO_EARLY),
    )


@cache
def currency_codes() -> frozenset[str]:
    """The ISO 4217 currency codes Babel knows (upper case)."""
    return frozenset(code.upper() for code in list_currencies())


def currency_check(cast: Cast, column: str) -> Cast:
    """Currency codes that are not ISO 4217 codes ("EURO", "$", "XYZ"); NULL is not checked."""
    codes = pc.utf8_upper(cast.array)
    known = pa.array(sorted(currency_codes()), pa.string())
    # an empty value is not checked (is_in says False for NULL, not NULL)
    out = pc.fill_null(pc.and_(pc.is_valid(codes), pc.invert(pc.is_in(codes, known))), False)

    def reason(value: str) -> str:
        return reasons.unknown_currency(value, column)

    return Cast(cast.array, out, reason, reasons.UNKNOWN_CURRENCY)


def cast_column(array: pa.Array, type_: str, column: str, fmt: FileFormat) -> Cast:
    """`array` (a raw column) cast to the contract type `type_`, with the values that failed."""
    if type_ == contract.TEXT:
        text = as_text(array, trim=True)
        return Cast(text, all_false(len(text)), lambda v: "")
    if type_ == contract.INTEGER:
        return _cast_integer(array, column)
    if type_ == contract.DECIMAL:
        return _cast_decimal(array, column, fmt)
    if type_ == contract.TIMESTAMP:
        return _cast_timestamp(array, column, fmt)
    if type_ == contract.DATE:
        return _cast_date(array, column, fmt)
    raise ValueError(f"unknown column type {type_!r} for column {column}")


def as_text(array: pa.Array, trim: bool = False) -> pa.Array:
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


def all_false(n: int) -> pa.Array:
    """A boolean mask of `n` rows, none set."""
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
        return convert(values), all_false(len(values))
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


def _cast_integer(array: pa.Array, column: str) -> Cast:
    def reason(value: str) -> str:
        return reasons.not_a_whole_number(value, column)

    code = reasons.NOT_A_WHOLE_NUMBER
    if not _is_text(array):
        result, failed = _cast_values(array, lambda a: pc.cast(a, pa.int64()))
        bad = pc.and_(pc.is_valid(array), pc.or_(failed, pc.is_null(result)))
        return Cast(result, bad, reason, code)
    values = _trimmed(array)
    compact = pc.replace_substring_regex(values, _THOUSANDS_SPACES, "")
    ok = pc.match_substring_regex(compact, _INTEGER_RE)
    candidates = pc.if_else(ok, compact, pa.scalar(None, pa.string()))
    result, failed = _cast_values(candidates, lambda a: pc.cast(a, pa.int64()))
    return Cast(result, _finish(result, values, failed), reason, code)


def _cast_decimal(array: pa.Array, column: str, fmt: FileFormat) -> Cast:
    def reason(value: str) -> str:
        return reasons.not_a_number(value, column, fmt)

    code = reasons.NOT_A_NUMBER
    if not _is_text(array):
        result, failed = _cast_values(array, lambda a: pc.cast(a, pa.float64()))
        # NaN and infinity (possible in typed Parquet) are no amounts
        result, failed = _finite(result, failed)
        bad = pc.and_(pc.is_valid(array), pc.or_(failed, pc.is_null(result)))
        return Cast(result, bad, reason, code)
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
    return Cast(result, _finish(result, values, failed), reason, code)


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


def _cast_timestamp(array: pa.Array, column: str, fmt: FileFormat) -> Cast:
    def reason(value: str) -> str:
        return reasons.not_a_date(value, column, fmt)

    code = reasons.NOT_A_DATE
    if pa.types.is_timestamp(array.type):
        if array.type.tz is None:
            result = _localize(pc.cast(array, _NAIVE), fmt.timezone)
        else:
            result = pc.cast(array, _UTC)
        return Cast(result, all_false(len(array)), reason, code)
    if pa.types.is_date(array.type):
        # a date alone is midnight in the file's time zone, as in text
        result = _localize(pc.cast(array, _NAIVE), fmt.timezone)
        return Cast(result, all_false(len(array)), reason, code)
    if not _is_text(array):
        values = as_text(array)
        return Cast(pa.nulls(len(array), _UTC), pc.is_valid(values), reason, code)

    values = _trimmed(array)
    if fmt.date_format == ISO:
        result, failed = _parse_iso(values, fmt.timezone)
    else:
        result, failed = _parse_pattern(values, fmt)
    return Cast(result, _finish(result, values, failed), reason, code)


def _cast_date(array: pa.Array, column: str, fmt: FileFormat) -> Cast:
    """A calendar date, as written: read like a timestamp in UTC (so no time zone moves
    it to another day), then without its time of day."""
    if pa.types.is_date(array.type):
        return Cast(pc.cast(array, pa.date32()), all_false(len(array)), lambda v: "", "")
    stamps = _cast_timestamp(array, column, replace(fmt, timezone="UTC"))
    return replace(stamps, array=pc.cast(pc.cast(stamps.array, _NAIVE), pa.date32()))


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
    # in seconds: Arrow writes %S of a microsecond timestamp with its fraction ("00.000000")
    seconds = pc.cast(naive, pa.timestamp("s"), safe=False)
    same = pc.equal(_digits(pc.strftime(seconds, format=pattern)), _digits(values))
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
    return full, all_false(len(values))
