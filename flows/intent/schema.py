"""The intent file's schema: pydantic models of `intent.yaml`, and its JSON Schema.

The models say what a company may write and check every value as the file is read
(`flows.intent.load`): unknown keys, wrong types and values, empty lists. Cross
references (a segment, theme or offer named but not declared) and duplicate ids are
checked by `IntentFile`'s model validator, on the file as written, so that a
reference is checked even when its target has a problem of its own and every
problem is reported in one run.

The values follow YAML's types (`flows.intent.values`): text must be written as text
(`name: 123` is refused), and null stands for a key left empty (an empty list, no
label, the default). The published JSON Schema (docs/intent.schema.json, written by
`python -m flows.docs`) describes the shape to write, for editors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    create_model,
    field_validator,
    model_validator,
)

from flows import shared_lists
from flows.intent.values import (
    Date,
    Label,
    RequiredDate,
    RequiredText,
    Terms,
    Text,
    TextList,
    as_items,
    choice,
    choices,
    currency_code,
    number_in,
    some_value,
    time_zone,
)
from flows.yaml_config import Location, json_schema, problem, with_problems

# The shared lists (transforms/seeds/) a company chooses from.
Language = choice(shared_lists.language_codes(), is_required=True)
SignalKind = choice(shared_lists.ids("signal_kinds"), is_required=True)
OfferKind = choice(shared_lists.ids("offer_kinds"))
AccountTypes = choices(shared_lists.ids("account_types"))
Channels = choices(shared_lists.ids("channels"))
WatchMetrics = choices(tuple(metric.id for metric in shared_lists.watched_metrics()))


def _some_offer(offers: list[Offer]) -> list[Offer]:
    if not offers:
        raise problem("declare at least one offer")
    return offers


# ------------------------------------------------------------------------- models


class _Model(BaseModel):
    """A mapping of the file: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class _KeysInFileOrder(_Model):
    """A mapping whose given keys are kept in the order the file writes them (the order
    of the rows written to raw_intent)."""

    _keys: tuple[str, ...] = PrivateAttr(default=())

    @model_validator(mode="wrap")
    @classmethod
    def _remember_key_order(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        model = handler(data)
        model._keys = tuple(key for key in data if key in cls.model_fields)
        return model

    def given(self) -> Iterator[tuple[str, Any]]:
        """(key, value) of each key the file gives, in file order."""
        for key in self._keys:
            yield key, getattr(self, key)


class Company(_Model):
    """Who the brief is for."""

    name: Annotated[RequiredText, Field(description="Company name, shown on the brief's cover.")]
    language: Annotated[Language, Field(description="Language of the brief.")]
    currency: Annotated[
        RequiredText,
        AfterValidator(currency_code),
        Field(description="ISO 4217 code (EUR); money in the exports is in this unit."),
    ]
    timezone: Annotated[
        Text,
        AfterValidator(time_zone),
        Field(description="Time zone months are counted in (default UTC), e.g. Europe/Paris."),
    ] = None
    default_segment: Annotated[
        Text,
        Field(description="Segment of customers no rule matches (default: the last segment)."),
    ] = None


class SegmentMatch(_KeysInFileOrder):
    """Attributes a customer must have, each one of the listed values (all keys must match)."""

    account_type: Annotated[
        AccountTypes,
        AfterValidator(some_value),
        Field(description="CRM account type."),
    ] = []
    industry: Annotated[
        TextList, AfterValidator(some_value), Field(description="CRM account industry.")
    ] = []
    size_band: Annotated[
        TextList, AfterValidator(some_value), Field(description="CRM account size band.")
    ] = []
    country: Annotated[
        TextList, AfterValidator(some_value), Field(description="CRM account country.")
    ] = []
    customer_tag: Annotated[
        TextList, AfterValidator(some_value), Field(description="Tag of a shop customer.")
    ] = []


class Segment(_Model):
    """A group of customers; the first segment whose rules match wins."""

    id: Annotated[RequiredText, Field(description="Segment id, referenced by offers.")]
    label: Annotated[Label, Field(description="Name shown in the brief, per language.")] = {}
    match: Annotated[
        SegmentMatch, Field(description="Customer attributes -> the values that match.")
    ] = SegmentMatch()


class Theme(_Model):
    """A subject customers talk about, and the kind of signal it is."""

    id: Annotated[RequiredText, Field(description="Theme id, referenced by offers and decisions.")]
    kind: Annotated[SignalKind, Field(description="Kind of signal.")]
    terms: Annotated[
        Terms,
        Field(
            description="Terms keyed by language code; every list applies to every text. "
            "Case- and accent-insensitive, whole words; a trailing * allows any ending; "
            "phrases allowed."
        ),
    ]
    label: Annotated[Label, Field(description="Name shown in the brief, per language.")] = {}


class Products(_Model):
    """Which products the offer is made of (glob patterns, `*` = anything)."""

    skus: Annotated[TextList, Field(description="SKU patterns, e.g. JB-*.")] = []
    categories: Annotated[TextList, Field(description="Product categories.")] = []

    @model_validator(mode="after")
    def _some_product(self) -> Products:
        if not self.skus and not self.categories:
            raise problem("give at least one sku pattern or category")
        return self


def _targets_model() -> type[_KeysInFileOrder]:
    """The targets an offer may set: one optional key per target metric of the seed
    metrics, whose unit (seed units) bounds the value."""
    fields: dict[str, Any] = {
        metric.id: (
            Annotated[number_in(metric.unit), Field(description=metric.description)],
            None,
        )
        for metric in shared_lists.target_metrics()
    }
    return create_model(
        "Targets",
        __base__=_KeysInFileOrder,
        __doc__="Expected KPIs; all optional. Rates are fractions (0.08 = 8%).",
        __module__=__name__,
        **fields,
    )


Targets = _targets_model()


class OfferIntent(_Model):
    """What the offer was designed for."""

    segments: Annotated[TextList, Field(description="Intended segment ids.")] = []
    channels: Annotated[Channels, Field(description="Intended channels.")] = []
    uses: Annotated[TextList, Field(description="Theme ids the offer is designed for.")] = []
    complements: Annotated[
        TextList, Field(description="Offer ids it is meant to be bought with.")
    ] = []
    # a model built from the seed: type checkers cannot follow it, pydantic does
    targets: Annotated[Targets, Field(description="Expected KPIs.")] = Targets()  # type: ignore[valid-type]


class Offer(_Model):
    """Something the company sells or provides."""

    id: Annotated[
        RequiredText, Field(description="Offer id, referenced by complements and decisions.")
    ]
    name: Annotated[Text, Field(description="Name shown in the brief (default: the id).")]
    kind: Annotated[OfferKind, Field(description="core, experiment or service.")]
    products: Annotated[Products, Field(description="A product belongs to one offer at most.")]
    since: Annotated[Date, Field(description="Start date, YYYY-MM-DD.")] = None
    until: Annotated[Date, Field(description="End date (experiments), YYYY-MM-DD.")] = None
    intent: Annotated[OfferIntent, Field(description="What the offer is for.")] = OfferIntent()

    @field_validator("until")
    @classmethod
    def _after_since(cls, until: dt.date | None, info: ValidationInfo) -> dt.date | None:
        since = info.data.get("since")
        if since and until and until < since:
            raise problem(f"ends ({until}) before it starts ({since})")
        return until


class Decision(_Model):
    """An adjustment made after a signal; later briefs measure its effect."""

    id: Annotated[RequiredText, Field(description="Decision id.")]
    date: Annotated[RequiredDate, Field(description="When it took effect, YYYY-MM-DD.")]
    offer: Annotated[RequiredText, Field(description="Id of the offer it changed.")]
    summary: Annotated[Label, Field(description="What was decided, per language.")]
    theme: Annotated[Text, Field(description="Id of the theme that prompted it.")] = None
    watch: Annotated[WatchMetrics, Field(description="Metrics to compare before and after.")] = []


class IntentFile(_Model):
    """What each offer of a company was designed for (`intent.yaml`)."""

    company: Annotated[Company, Field(description="The company and its brief.")]
    offers: Annotated[
        list[Offer],
        BeforeValidator(as_items),
        AfterValidator(_some_offer),
        Field(description="What the company sells or provides; at least one."),
    ]
    segments: Annotated[
        list[Segment], BeforeValidator(as_items), Field(description="First match wins.")
    ] = []
    themes: Annotated[
        list[Theme], BeforeValidator(as_items), Field(description="What customers talk about.")
    ] = []
    decisions: Annotated[
        list[Decision],
        BeforeValidator(as_items),
        Field(description="Adjustments made after a signal."),
    ] = []

    @model_validator(mode="wrap")
    @classmethod
    def _check_ids_and_references(
        cls, data: Any, handler: ValidatorFunctionWrapHandler
    ) -> IntentFile:
        return with_problems(handler, data, _id_and_reference_problems(data), cls.__name__)


# ---------------------------------------------------------- ids and references


def _id_and_reference_problems(data: Any) -> list[tuple[Location, str]]:
    """Duplicate ids and references to undeclared ids, read from the file as written.

    An id counts as declared even when its item has a problem of its own, so that one
    mistake is reported once rather than once more at every reference.
    """
    if not isinstance(data, dict):
        return []
    found: list[tuple[Location, str]] = []
    declared: dict[str, set[str]] = {}
    for section, what in (
        ("segments", "segment"),
        ("themes", "theme"),
        ("offers", "offer"),
        ("decisions", "decision"),
    ):
        seen: set[str] = set()
        for location, value in _ids(data, section):
            if value in seen:
                found.append((location, f"duplicate {what} id '{value}'"))
            seen.add(value)
        declared[what] = seen

    references: list[tuple[str, Location, str]] = []
    company = data.get("company")
    if isinstance(company, dict):
        default_segment = _given_text(company.get("default_segment"))
        if default_segment:
            references.append(("segment", ("company", "default_segment"), default_segment))
    for index, offer in _entries(data, "offers"):
        intent = offer.get("intent")
        if isinstance(intent, dict):
            for key, what in (("segments", "segment"), ("uses", "theme")):
                location = ("offers", index, "intent", key)
                references += _list_references(intent.get(key), location, what)
    for index, decision in _entries(data, "decisions"):
        for key, what in (("offer", "offer"), ("theme", "theme")):
            named = _given_text(decision.get(key))
            if named:
                references.append((what, ("decisions", index, key), named))
    # complements after the decisions' offers: both name offers, reported in this order
    for index, offer in _entries(data, "offers"):
        intent = offer.get("intent")
        if isinstance(intent, dict):
            location = ("offers", index, "intent", "complements")
            references += _list_references(intent.get("complements"), location, "offer")

    for what in ("segment", "theme", "offer"):
        known = declared[what]
        listing = ", ".join(sorted(known)) or "none declared"
        for kind, location, value in references:
            if kind == what and value not in known:
                found.append((location, f"unknown {what} '{value}' (declared: {listing})"))
    return found


def _given_text(value: Any) -> str | None:
    """The text a key gives, trimmed, when it is valid text; None otherwise."""
    return value.strip() if isinstance(value, str) and value.strip() else None


def _entries(data: dict[str, Any], section: str) -> Iterator[tuple[int, dict[str, Any]]]:
    items = data.get(section)
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield index, item


def _ids(data: dict[str, Any], section: str) -> Iterator[tuple[Location, str]]:
    for index, item in _entries(data, section):
        value = _given_text(item.get("id"))
        if value:
            yield (section, index, "id"), value


def _list_references(values: Any, location: Location, what: str) -> list[tuple[str, Location, str]]:
    if not isinstance(values, list):
        return []
    return [
        (what, (*location, index), text)
        for index, value in enumerate(values)
        if (text := _given_text(value))
    ]


def intent_schema() -> str:
    """The JSON Schema of intent.yaml (docs/intent.schema.json)."""
    return json_schema(IntentFile, "Terrain intent file (intent.yaml)")
