"""Locale-aware formatting of the brief's figures (numbers, percents, money, dates).

Every filter the templates use is registered here, in `register_filters`, so a
figure looks the same wherever it appears. Filters only format: they never
round a value before it is compared or add values together. A missing value
(None) is shown as an em dash rather than as zero.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any

from jinja2 import Environment

from flows import shared_lists

MISSING = "—"
MINUS = "−"  # U+2212, typographic minus
NNBSP = "\u202f"  # narrow no-break space: French thousands separator and before %

# fmt: off
MONTHS = {
    "fr": [
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ],
    "en": [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ],
}

# fmt: on

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}

# How the figures that are not metrics are shown; a metric (seed metrics) is shown the
# way of its unit (seed units). Shares are fractions (0..1) in the warehouse.
FIGURE_FORMATS: dict[str, str] = {
    "share": "percent",
    "baseline_share": "percent",
    "reception_score": "decimal2",
    "units_per_item_month": "decimal",
    "requests_per_100_buyers": "decimal",
}


@cache
def figure_formats() -> dict[str, str]:
    """Figure or metric name -> how it is shown (number, money, percent, decimal...)."""
    return FIGURE_FORMATS | {metric.id: metric.unit.format for metric in shared_lists.metrics()}


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


class Formatter:
    """The formatting rules of one language."""

    def __init__(self, lang: str, currency: str = "EUR") -> None:
        if lang not in MONTHS:
            raise ValueError(f"no formatting rules for language {lang!r}")
        self.lang = lang
        self.currency = currency

    # numbers -----------------------------------------------------------------

    def number(self, value: Any, digits: int = 0) -> str:
        if _missing(value):
            return MISSING
        text = f"{abs(float(value)):,.{digits}f}"
        if self.lang == "fr":
            text = text.replace(",", NNBSP).replace(".", ",")
        return (MINUS if float(value) < 0 and text.strip("0,. " + NNBSP) else "") + text

    def signed(self, value: Any, digits: int = 0) -> str:
        if _missing(value):
            return MISSING
        text = self.number(value, digits)
        return text if text.startswith(MINUS) or float(value) == 0 else "+" + text

    def percent(self, value: Any, digits: int = 0) -> str:
        """A fraction (0.125) as a percentage (12,5 % / 12.5%)."""
        if _missing(value):
            return MISSING
        text = self.number(float(value) * 100, digits)
        return f"{text}{NNBSP}%" if self.lang == "fr" else f"{text}%"

    def points(self, value: Any, digits: int | None = None) -> str:
        """A difference of two fractions, in percentage points (+12 pts / +0,8 pts).

        Without `digits`, small differences keep one decimal so they do not
        round to zero.
        """
        if _missing(value):
            return MISSING
        if digits is None:
            digits = 1 if abs(float(value)) < 0.1 else 0
        text = self.signed(float(value) * 100, digits)
        return f"{text}{NNBSP}pts" if self.lang == "fr" else f"{text}{NNBSP}pp"

    def money(self, value: Any, digits: int = 0) -> str:
        if _missing(value):
            return MISSING
        symbol = CURRENCY_SYMBOLS.get(self.currency, self.currency)
        amount = self.number(abs(float(value)), digits)
        sign = MINUS if float(value) < 0 else ""
        if self.lang == "fr" or symbol == self.currency:
            return f"{sign}{amount}{NNBSP}{symbol}"
        return f"{sign}{symbol}{amount}"

    def ratio(self, value: Any, digits: int = 1) -> str:
        if _missing(value):
            return MISSING
        return f"×{NNBSP}{self.number(value, digits)}"

    def pvalue(self, value: Any) -> str:
        """A p- or q-value: three decimals, and "< 0.001" below that (never a false 0)."""
        if _missing(value):
            return MISSING
        if float(value) < 0.001:
            return "< " + self.number(0.001, 3)
        return self.number(value, 3)

    def metric(self, value: Any, metric: str | None) -> str:
        """A value of a named metric, shown the way that metric is read."""
        kind = figure_formats().get(metric or "", "number")
        if kind == "percent":
            return self.percent(value, 1 if not _missing(value) and abs(value) < 0.1 else 0)
        if kind == "money":
            return self.money(value)
        if kind == "decimal":
            return self.number(value, 1)
        if kind == "decimal2":
            return self.number(value, 2)
        if kind == "ratio":
            return self.ratio(value)
        # A count, unless the warehouse says otherwise: never round a fraction to 0.
        whole = _missing(value) or float(value).is_integer()
        return self.number(value, 0 if whole else 2)

    def metric_gap(self, value: Any, metric: str | None) -> str:
        """A difference (actual - expected) of a named metric, with its sign."""
        kind = figure_formats().get(metric or "", "number")
        if kind == "percent":
            return self.points(value)
        if _missing(value):
            return MISSING
        if kind == "money":
            return ("+" if float(value) > 0 else "") + self.money(value)
        if kind == "decimal2":
            return self.signed(value, 2)
        return self.signed(value, 1 if kind in ("decimal", "ratio") else 0)

    # dates -------------------------------------------------------------------

    @staticmethod
    def _as_date(value: Any) -> date | None:
        if _missing(value):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        return date.fromisoformat(str(value)[:10])

    def month(self, value: Any) -> str:
        """'2025-03-01' or '2025-03' -> 'mars 2025' / 'March 2025'."""
        if isinstance(value, str) and len(value) == 7:
            value = value + "-01"
        day = self._as_date(value)
        if day is None:
            return MISSING
        return f"{MONTHS[self.lang][day.month - 1]} {day.year}"

    def date(self, value: Any) -> str:
        """'2025-03-14' -> '14 mars 2025' / '14 March 2025'."""
        day = self._as_date(value)
        if day is None:
            return MISSING
        prefix = "1er" if self.lang == "fr" and day.day == 1 else str(day.day)
        return f"{prefix} {MONTHS[self.lang][day.month - 1]} {day.year}"


def sparkline_coords(
    values: Sequence[Any], width: float, height: float, pad: float = 3
) -> list[tuple[str, str]]:
    """SVG coordinates of a series: its values scaled into a width x height box.

    This is drawing, not analysis: the series is shown as stored, its highest
    value at the top of the box and zero on the bottom edge.
    """
    series = [0.0 if _missing(v) else float(v) for v in values]
    if not series:
        return []
    top = max(series) or 1.0
    step = (width - 2 * pad) / max(len(series) - 1, 1)
    return [
        (f"{pad + i * step:.1f}", f"{height - pad - (v / top) * (height - 2 * pad):.1f}")
        for i, v in enumerate(series)
    ]


def register_filters(env: Environment, lang: str, currency: str) -> None:
    """Make every formatting filter of `lang` available to the templates."""
    fmt = Formatter(lang, currency)
    filters: dict[str, Callable[..., str]] = {
        "number": fmt.number,
        "signed": fmt.signed,
        "percent": fmt.percent,
        "points": fmt.points,
        "money": fmt.money,
        "ratio": fmt.ratio,
        "pvalue": fmt.pvalue,
        "metric": fmt.metric,
        "metric_gap": fmt.metric_gap,
        "month": fmt.month,
        "date": fmt.date,
        "sparkline_coords": sparkline_coords,
    }
    env.filters.update(filters)
