"""The lists SQL and Python share: metrics, units, signal kinds and classes, channels,
statuses, languages...

Each list is one CSV file in `transforms/seeds/` (documented and tested in
`transforms/seeds/_seeds.yml`). dbt loads it as a seed, a table of the `staging` schema
that models join and tests point `relationships` at; Python reads the same file here.
So adding a value (a metric, a channel, a signal class) is adding one row.

Every loader is cached: the files are read once per process. Ids keep the file's order
(the order the brief shows them in, and the order dbt models build columns in). A list
shown to readers has one `label_<language>` column per language of `languages.csv`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from flows.settings import TRANSFORMS_DIR

SEEDS_DIR = TRANSFORMS_DIR / "seeds"

Row = dict[str, str]


class SharedListError(ValueError):
    """A seed file is missing a column or holds a value of the wrong kind."""


@cache
def rows(name: str) -> tuple[Row, ...]:
    """The rows of `transforms/seeds/<name>.csv`, in file order; empty cells are ''."""
    path = SEEDS_DIR / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(dict(row) for row in csv.DictReader(handle))


@cache
def ids(name: str) -> tuple[str, ...]:
    """The ids of a list (its first column), in file order."""
    return tuple(next(iter(row.values())) for row in rows(name))


def flagged(name: str, column: str) -> tuple[str, ...]:
    """The ids of a list whose true/false `column` is true (is_headline, is_use...)."""
    return tuple(next(iter(row.values())) for row in rows(name) if _flag(row, column, name))


def ids_where(name: str, column: str, value: str) -> tuple[str, ...]:
    """The ids of a list whose `column` holds `value` (the classes of direction rise...)."""
    return tuple(next(iter(row.values())) for row in rows(name) if row[column] == value)


def labelled_lists() -> tuple[str, ...]:
    """The lists shown to readers: those with label_<language> columns."""
    found = []
    for path in sorted(SEEDS_DIR.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle), [])
        if any(column.startswith("label_") for column in header):
            found.append(path.stem)
    return tuple(found)


def clear_caches() -> None:
    """Forget the lists read so far (for tests that point SEEDS_DIR elsewhere)."""
    for loader in (rows, ids, languages, labels, units, metrics, signal_kinds, signal_classes):
        loader.cache_clear()


def _flag(row: Row, column: str, name: str) -> bool:
    value = row[column]
    if value not in ("true", "false"):
        raise SharedListError(f"seeds/{name}.csv: {column} is {value!r}, expected true or false")
    return value == "true"


def _number(value: str) -> float | None:
    return float(value) if value else None


# ------------------------------------------------------------------------ languages


@dataclass(frozen=True)
class Language:
    id: str  # code used in the intent file, the CLI and the label_<id> columns
    locale: str  # its Babel (CLDR) locale; formatting.py still has rules of its own
    label: str  # the language's own name


@cache
def languages() -> tuple[Language, ...]:
    return tuple(
        Language(row["language_id"], row["locale"], row["label"]) for row in rows("languages")
    )


def language_codes() -> tuple[str, ...]:
    """The languages a brief can be written in: fr, en..."""
    return ids("languages")


@cache
def labels(name: str, column: str = "label") -> dict[str, dict[str, str]]:
    """id -> {language: text} from the `<column>_<language>` columns of a list."""
    found = {}
    for row in rows(name):
        texts = {}
        for language in language_codes():
            key = f"{column}_{language}"
            if key not in row:
                raise SharedListError(f"seeds/{name}.csv has no column {key}")
            texts[language] = row[key]
        found[next(iter(row.values()))] = texts
    return found


# -------------------------------------------------------------------------- metrics


@dataclass(frozen=True)
class Unit:
    """What a metric counts: how its values are bounded and shown."""

    id: str
    format: str  # how the brief shows a value (flows.brief.formatting.Formatter.metric)
    minimum: float | None
    maximum: float | None
    range_note: str  # the bounds in words, for an error message

    def allows(self, value: float) -> bool:
        return (self.minimum is None or value >= self.minimum) and (
            self.maximum is None or value <= self.maximum
        )


@cache
def units() -> dict[str, Unit]:
    return {
        row["unit_id"]: Unit(
            row["unit_id"],
            row["format"],
            _number(row["minimum"]),
            _number(row["maximum"]),
            row["range_note"],
        )
        for row in rows("units")
    }


@dataclass(frozen=True)
class Metric:
    """A measure the warehouse computes and the brief names: a gap's, a target's, a
    decision's watched figure, a headline's."""

    id: str
    label: dict[str, str]
    unit: Unit
    direction: str | None  # max: a ceiling, lower is better; min: a floor, higher is better
    is_target: bool  # may be a target in intent.yaml (offers[].intent.targets)
    is_watched: bool  # may be watched by a decision (decisions[].watch)
    test: str | None  # family of its test: volume, proportion, rate_per_100, mean_rating
    description: str

    @property
    def is_volume(self) -> bool:
        """A count or an amount per month, whose changes are relative (+12 %)."""
        return self.test == "volume"


@cache
def metrics() -> tuple[Metric, ...]:
    found = []
    for row in rows("metrics"):
        if row["unit"] not in units():
            raise SharedListError(
                f"seeds/metrics.csv: {row['metric_id']} has unknown unit {row['unit']!r}"
            )
        found.append(
            Metric(
                row["metric_id"],
                labels("metrics")[row["metric_id"]],
                units()[row["unit"]],
                row["direction"] or None,
                _flag(row, "is_target", "metrics"),
                _flag(row, "is_watched", "metrics"),
                row["test"] or None,
                row["description"],
            )
        )
    return tuple(found)


def metrics_by_id() -> dict[str, Metric]:
    return {metric.id: metric for metric in metrics()}


def target_metrics() -> tuple[Metric, ...]:
    return tuple(metric for metric in metrics() if metric.is_target)


def watched_metrics() -> tuple[Metric, ...]:
    return tuple(metric for metric in metrics() if metric.is_watched)


# ------------------------------------------------------------------------ signals


@dataclass(frozen=True)
class SignalKind:
    """One of the verbs of customer signals (adapt, work around, suggest...)."""

    id: str
    label: dict[str, str]
    text: dict[str, str]  # what the kind means, under its heading in the brief


@cache
def signal_kinds() -> tuple[SignalKind, ...]:
    text = labels("signal_kinds", "text")
    return tuple(
        SignalKind(kind, label, text[kind]) for kind, label in labels("signal_kinds").items()
    )


@dataclass(frozen=True)
class SignalClass:
    """A classification of a theme's trend (strong, emerging, weak, fading...)."""

    id: str
    rank: int  # 1 = shown first
    label: dict[str, str]


@cache
def signal_classes() -> tuple[SignalClass, ...]:
    return tuple(
        sorted(
            (
                SignalClass(
                    row["signal_class_id"],
                    int(row["class_rank"]),
                    labels("signal_classes")[row["signal_class_id"]],
                )
                for row in rows("signal_classes")
            ),
            key=lambda signal_class: signal_class.rank,
        )
    )
