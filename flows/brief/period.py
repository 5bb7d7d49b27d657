"""Which month a brief is about.

`latest` is `report.rpt_brief__company.last_complete_month`: the last month whose last
day the shop orders reach (in the company's time zone) and that ended before the day
of the run (int_months_spanned); other sources, and rejected future-dated orders,
never move it.
"""

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
    """The last month the shop orders cover in full, before today (from the report layer)."""
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


def _first_of(month: str) -> dt.date:
    if not MONTH_PATTERN.match(month):
        raise MonthError(f"month '{month}' is not of the form YYYY-MM (e.g. 2026-10)")
    return dt.date(int(month[:4]), int(month[5:7]), 1)


def month_range(month_from: str, month_to: str, warehouse: Path) -> list[str]:
    """Every month from `month_from` to `month_to` (YYYY-MM, both included), checked
    against the months the warehouse holds data for."""
    first, last = _first_of(month_from), _first_of(month_to)
    if first > last:
        raise MonthError(f"--from {month_from} is after --to {month_to}")
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            row = con.execute(
                "select strftime(first_data_date, '%Y-%m'), strftime(last_data_date, '%Y-%m') "
                "from report.rpt_brief__company"
            ).fetchone()
    except (duckdb.IOException, duckdb.CatalogException) as error:
        raise MonthError(
            f"cannot read the report tables in {warehouse} ({error}); run `terrain transform` first"
        ) from None
    if not row or row[0] is None:
        raise MonthError(f"{warehouse} holds no data yet")
    outside = [m for m in (month_from, month_to) if not row[0] <= m <= row[1]]
    if outside:
        raise MonthError(
            f"{', '.join(outside)}: the data covers {row[0]} to {row[1]}; choose months "
            "in that range"
        )
    months = []
    current = first
    while current <= last:
        months.append(current.strftime("%Y-%m"))
        current = (current + dt.timedelta(days=32)).replace(day=1)
    return months


def resolve_month(month: str | None, warehouse: Path, timezone: str = "Europe/Paris") -> str:
    """`YYYY-MM` as given; `latest` = last complete month of the shop orders; None =
    previous month."""
    if month is None:
        return previous_month(dt.datetime.now(ZoneInfo(timezone)).date())
    if month == "latest":
        return latest_complete_month(warehouse)
    if not MONTH_PATTERN.match(month):
        raise MonthError(f"month '{month}' is not of the form YYYY-MM (e.g. 2026-10) or 'latest'")
    return month
