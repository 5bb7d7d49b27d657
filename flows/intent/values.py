"""The value types of the intent file: text, dates, numbers, lists and labels as YAML types them.

Each type is an `Annotated` pydantic type whose validators check a value as YAML typed
it (text must be written as text; null stands for a value left empty; an empty item of
a list is left out) and word the problem for the user. Its JSON Schema is the shape to
write, for editors: null, which only means "not given", is left out.
`flows.intent.schema` builds the file's models from these types.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

from flows import shared_lists
from flows.yaml_config import InvalidScalar, problem

_LANGUAGE_MAP = "expected a mapping keyed by language code, e.g. {fr: ..., en: ...}"
# YYYY-MM-DD only: fromisoformat would also take 20240101 and week dates (2024-W01-1)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# ---------------------------------------------------------------------- validators


def as_scalar(value: Any) -> Any:
    """A single value, as YAML typed it."""
    if isinstance(value, InvalidScalar):
        raise problem(f"invalid value {value.text!r}: {value.error}")
    if isinstance(value, dict | list):
        raise problem("expected a single value")
    return value


def as_text(value: Any) -> str | None:
    """Non-blank text, trimmed; None when left empty."""
    value = as_scalar(value)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise problem(f"expected text, got {value!r}")
    return value.strip()


def one_of(choices: tuple[str, ...]) -> Callable[[Any], str | None]:
    """A validator of text that must be one of `choices` (as written, case included)."""

    def check(value: Any) -> str | None:
        text = as_text(value)
        if text is not None and value not in choices:
            raise problem(f"'{value}' is not one of: {', '.join(choices)}")
        return text

    return check


def required(check: Callable[[Any], Any], hint: str = "") -> Callable[[Any], Any]:
    """`check`, refusing a value left empty (`key: ~` or `key:` with nothing after it):
    for the keys an item cannot do without, which would otherwise vanish silently."""

    def check_given(value: Any) -> Any:
        checked = check(value)
        if checked is None:
            raise problem("is empty: give a value" + (f" ({hint})" if hint else ""))
        return checked

    return check_given


def as_date(value: Any) -> dt.date | None:
    value = as_scalar(value)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        if not _ISO_DATE.fullmatch(str(value)):
            raise ValueError(value)
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise problem(f"expected a date as YYYY-MM-DD, got {value!r}") from None


def as_number(value: Any) -> float:
    value = as_scalar(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise problem(f"expected a number, got {value!r}")
    return float(value)


def as_list(value: Any) -> list[Any]:
    """A list of single values; null is an empty list."""
    if isinstance(value, InvalidScalar):
        as_scalar(value)
    if value is None:
        return []
    if not isinstance(value, list):
        raise problem("expected a list, e.g. [a, b]")
    return value


def without_empty(values: list[Any]) -> list[Any]:
    """Without the items left empty (`[a, ~]` is `[a]`)."""
    return [value for value in values if value is not None]


def as_items(value: Any) -> Any:
    """A list of mappings (segments, themes, offers, decisions)."""
    if not isinstance(value, list):
        raise problem("expected a list of items (each starting with '- ')")
    return value


def as_label(value: Any) -> Any:
    """A label: text for every language, or {language: text}."""
    if isinstance(value, dict):
        return value
    if isinstance(value, list):
        raise problem(_LANGUAGE_MAP)
    text = as_text(value)
    return {language: text for language in shared_lists.language_codes()} if text else {}


def given_labels(labels: dict[str, str | None]) -> dict[str, str]:
    return {language: text for language, text in labels.items() if text}


def as_language_map(value: Any) -> Any:
    if not isinstance(value, dict):
        raise problem(_LANGUAGE_MAP)
    return value


def as_term(value: Any) -> str | None:
    term = as_text(value)
    if term is not None and not any(ch.isalnum() for ch in term):
        raise problem(f"'{term}' has no letter or digit and would match nothing useful")
    return term


def some_term(terms: dict[str, list[str]]) -> dict[str, list[str]]:
    if not any(terms.values()):
        raise problem("give at least one term")
    return terms


def some_value(values: list[str]) -> list[str]:
    if not values:
        raise problem("give at least one value")
    return values


def currency_code(code: str | None) -> str | None:
    if code is not None and (len(code) != 3 or not code.isalpha()):
        raise problem("expected an ISO 4217 code such as EUR")
    return code


def time_zone(name: str | None) -> str | None:
    try:
        ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise problem(f"unknown time zone '{name}' (e.g. Europe/Paris)") from None
    return name


def within(unit: shared_lists.Unit) -> Callable[[float], float]:
    """A validator of a number in the bounds of `unit` (seed units), worded by the unit."""

    def check(value: float) -> float:
        if not unit.allows(value):
            raise problem(f"{value} is out of range ({unit.range_note})")
        return value

    return check


# ---------------------------------------------------------------------------- types

TEXT_SCHEMA: dict[str, Any] = {"type": "string", "pattern": "\\S"}
DATE_SCHEMA: dict[str, Any] = {"type": "string", "format": "date"}


def enum_schema(choices: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "string", "enum": list(choices)}


def array_schema(items: dict[str, Any]) -> WithJsonSchema:
    return WithJsonSchema({"type": "array", "items": items})


def number_schema(minimum: float | None, maximum: float | None) -> WithJsonSchema:
    bounds = {"minimum": minimum, "maximum": maximum}
    return WithJsonSchema(
        {
            "type": "number",
            # 0 rather than 0.0: the bounds as a person writes them
            **{
                key: int(bound) if bound.is_integer() else bound
                for key, bound in bounds.items()
                if bound is not None
            },
        }
    )


Text = Annotated[str | None, BeforeValidator(as_text), WithJsonSchema(TEXT_SCHEMA)]
RequiredText = Annotated[str, BeforeValidator(required(as_text)), WithJsonSchema(TEXT_SCHEMA)]
Date = Annotated[
    dt.date | None,
    BeforeValidator(as_date),
    WithJsonSchema({"anyOf": [DATE_SCHEMA, {"type": "null"}]}),
]
RequiredDate = Annotated[
    dt.date, BeforeValidator(required(as_date, "YYYY-MM-DD")), WithJsonSchema(DATE_SCHEMA)
]

TextList = Annotated[
    list[Text], BeforeValidator(as_list), AfterValidator(without_empty), array_schema(TEXT_SCHEMA)
]
TermList = Annotated[
    list[Annotated[str | None, BeforeValidator(as_term)]],
    BeforeValidator(as_list),
    AfterValidator(without_empty),
    array_schema(TEXT_SCHEMA),
]

Label = Annotated[
    dict[str, Text],
    BeforeValidator(as_label),
    AfterValidator(given_labels),
    WithJsonSchema(
        {"anyOf": [TEXT_SCHEMA, {"type": "object", "additionalProperties": TEXT_SCHEMA}]}
    ),
]
Terms = Annotated[
    dict[str, TermList],
    BeforeValidator(as_language_map),
    AfterValidator(some_term),
    WithJsonSchema(
        {
            "type": "object",
            "additionalProperties": {"type": "array", "items": TEXT_SCHEMA},
            "minProperties": 1,
        }
    ),
]


def number_in(unit: shared_lists.Unit) -> Any:
    """The type of a number in `unit` (a target: a count, an amount, a rate, a rating...)."""
    return Annotated[
        float | None,
        BeforeValidator(as_number),
        AfterValidator(within(unit)),
        number_schema(unit.minimum, unit.maximum),
    ]


def choice(values: tuple[str, ...], *, is_required: bool = False) -> Any:
    """The type of text that must be one of `values`; `is_required`: never left empty."""
    check = one_of(values)
    if is_required:
        return Annotated[
            str,
            BeforeValidator(required(check, "one of: " + ", ".join(values))),
            WithJsonSchema(enum_schema(values)),
        ]
    return Annotated[str | None, BeforeValidator(check), WithJsonSchema(enum_schema(values))]


def choices(values: tuple[str, ...]) -> Any:
    """The type of a list of values each one of `values` (null or [] is an empty list)."""
    return Annotated[
        list[Annotated[str | None, BeforeValidator(one_of(values))]],
        BeforeValidator(as_list),
        AfterValidator(without_empty),
        array_schema(enum_schema(values)),
    ]
