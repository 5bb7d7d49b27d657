"""Locale formatting of figures: French and English conventions, missing values."""

from __future__ import annotations

import pytest

from flows.brief.formatting import Formatter, sparkline_coords

NNBSP = "\u202f"


@pytest.fixture
def fr() -> Formatter:
    return Formatter("fr", "EUR")


@pytest.fixture
def en() -> Formatter:
    return Formatter("en", "EUR")


def test_numbers(fr: Formatter, en: Formatter) -> None:
    assert fr.number(1234567) == f"1{NNBSP}234{NNBSP}567"
    assert en.number(1234567) == "1,234,567"
    assert fr.number(7.04, 1) == "7,0"
    assert en.number(-2.5, 1) == "−2.5"
    assert en.number(-0.01, 1) == "0.0"  # no minus on a value that rounds to zero
    assert fr.signed(168) == "+168" and fr.signed(-3) == "−3"


def test_percents_and_points(fr: Formatter, en: Formatter) -> None:
    assert fr.percent(0.3008) == f"30{NNBSP}%"
    assert en.percent(0.3008) == "30%"
    assert fr.percent(0.125, 1) == f"12,5{NNBSP}%"
    assert en.points(0.2008) == f"+20{NNBSP}pp"
    assert fr.points(0.0076) == f"+0,8{NNBSP}pts"
    assert fr.metric(0.0876, "return_rate") == f"8,8{NNBSP}%"
    assert fr.metric(0.31, "repeat_rate_min") == f"31{NNBSP}%"


def test_money_and_metrics(fr: Formatter, en: Formatter) -> None:
    assert fr.money(46380.0) == f"46{NNBSP}380{NNBSP}€"
    assert en.money(46380.0) == "€46,380"
    assert Formatter("en", "CHF").money(1200) == f"1,200{NNBSP}CHF"
    assert en.metric(30000, "monthly_revenue") == "€30,000"
    assert en.metric(4.2, "rating_min") == "4.2"
    assert en.metric(468, "monthly_units") == "468"
    assert en.metric_gap(-0.3, "rating_min") == "−0.3"
    assert en.ratio(2.73) == f"×{NNBSP}2.7"


def test_dates(fr: Formatter, en: Formatter) -> None:
    assert fr.month("2025-03") == "mars 2025"
    assert en.month("2025-03-01") == "March 2025"
    assert fr.date("2025-03-01") == "1er mars 2025"
    assert fr.date("2025-04-12T18:02:00+00:00") == "12 avril 2025"
    assert en.date("2025-02-17") == "17 February 2025"


def test_missing_values_are_never_shown_as_zero(fr: Formatter) -> None:
    for value in (None, float("nan")):
        assert fr.number(value) == "—"
        assert fr.percent(value) == "—"
        assert fr.money(value) == "—"
        assert fr.metric(value, "csat") == "—"
        assert fr.date(value) == "—"


def test_sparkline_puts_the_highest_value_on_top_and_zero_at_the_bottom() -> None:
    coords = sparkline_coords([0, 5, 10], width=100, height=20, pad=0)
    assert coords == [("0.0", "20.0"), ("50.0", "10.0"), ("100.0", "0.0")]
    assert sparkline_coords([], 100, 20) == []
    assert sparkline_coords([0, 0], 100, 20, pad=0) == [("0.0", "20.0"), ("100.0", "20.0")]
