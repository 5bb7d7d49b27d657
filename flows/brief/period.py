"""Which month a brief is about."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

MONTH_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class MonthError(ValueError):
    pass


def previous_month(today: dt.date) -> str:
    """'YYYY-MM' of the calendar month before `today`'s."""
    first = today.replace(day=1)
    return (first - dt.timedelta(days=1)).strftime("%Y-%m")


def latest_complete_month(warehouse: Path) -> str:
    """The last month the warehouse holds in full (from the report layer)."""
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            row = con.execute(
                "select strftime(last_complete_month, '%Y-%m') from report.rpt_brief__company"
            ).fetchone()
    except (duckdb.IOException, duckdb.CatalogException) as error:
        raise MonthError(
            f"cannot read the report tables in {warehouse} ({error}); run `terrain transform` first"
        ) from None
    if not row or row[0] is None:
        raise MonthError(f"{warehouse} holds no complete month of data yet")
    return str(row[0])


def resolve_month(month: str | None, warehouse: Path, timezone: str = "Europe/Paris") -> str:
    """`YYYY-MM` as given; `latest` = last complete month of data; None = previous month."""
    if month is None:
        return previous_month(dt.datetime.now(ZoneInfo(timezone)).date())
    if month == "latest":
        return latest_complete_month(warehouse)
    if not MONTH_PATTERN.match(month):
        raise MonthError(f"month '{month}' is not of the form YYYY-MM (e.g. 2026-10) or 'latest'")
    return month
