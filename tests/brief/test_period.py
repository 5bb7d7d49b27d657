"""Which month a brief is about: as given, the last complete month, or the previous one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from flows.brief.period import MonthError, previous_month, resolve_month


def test_previous_month_crosses_the_year() -> None:
    assert previous_month(dt.date(2026, 1, 15)) == "2025-12"
    assert previous_month(dt.date(2026, 3, 1)) == "2026-02"


def test_a_month_as_given_is_checked(tmp_path: Path) -> None:
    assert resolve_month("2026-10", tmp_path / "w.duckdb") == "2026-10"
    with pytest.raises(MonthError, match="not of the form YYYY-MM"):
        resolve_month("2026-13", tmp_path / "w.duckdb")


def test_latest_needs_the_report_tables(tmp_path: Path) -> None:
    with pytest.raises(MonthError, match="run `terrain transform` first"):
        resolve_month("latest", tmp_path / "missing.duckdb")
