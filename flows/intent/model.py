"""The validated intent, as the rest of Terrain uses it.

`flows.intent.load.load_intent` builds an `Intent` from a valid intent file, with the
defaults applied (time zone UTC, the last segment as the default segment, an offer's
id as its name, kind core). `flows.intent.tables` writes it as the `raw_intent`
tables.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Segment:
    id: str
    label: dict[str, str]  # language -> text
    match: dict[str, list[str]]  # customer attribute -> values, in file order


@dataclass(frozen=True)
class Theme:
    id: str
    kind: str
    label: dict[str, str]
    terms: dict[str, list[str]]  # language -> terms


@dataclass(frozen=True)
class Offer:
    id: str
    name: str
    kind: str
    skus: list[str]
    categories: list[str]
    since: dt.date | None
    until: dt.date | None
    segments: list[str]
    channels: list[str]
    uses: list[str]
    complements: list[str]
    targets: dict[str, float]  # metric -> target, in file order


@dataclass(frozen=True)
class Decision:
    id: str
    date: dt.date
    offer: str
    theme: str | None
    summary: dict[str, str]
    watch: list[str]


@dataclass(frozen=True)
class Intent:
    company_name: str
    language: str
    currency: str
    timezone: str
    default_segment: str
    segments: list[Segment] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
