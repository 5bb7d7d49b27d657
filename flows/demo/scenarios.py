"""The demo's calendar and the stories planted in it.

Every planted story starts a fixed number of months before the last complete
month, so the demo tells the same stories whatever `end` date it is built for.
The generator asks this module "how likely is theme X in this month for this
offer?"; the answers are ramps that stay flat before a story starts.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flows.demo.realistic import Realistic


def month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day `months` later (clamped to the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


# When French customers write, buy and call (UTC hours; Paris is one or two hours ahead).
HOUR_WEIGHTS = (0, 0, 0, 0, 0, 0, 1, 2, 4, 5, 6, 7, 7, 6, 6, 6, 7, 8, 9, 9, 7, 4, 2, 1)


def daytime(r: random.Random, day: dt.date) -> dt.datetime:
    """A moment of `day` (UTC) when people in France are awake."""
    hour = r.choices(range(24), weights=HOUR_WEIGHTS, k=1)[0]
    return dt.datetime.combine(day, dt.time(hour, r.randrange(60), r.randrange(60)))


def later(r: random.Random, after: dt.datetime, min_days: int, max_days: int) -> dt.datetime:
    """A waking moment `min_days` to `max_days` days after `after` (always after it)."""
    when = daytime(r, after.date() + dt.timedelta(days=r.randint(min_days, max_days)))
    return when if when > after else after + dt.timedelta(minutes=r.randint(10, 300))


@dataclass(frozen=True)
class Timeline:
    """Days with data: from `start` (inclusive) to `end` (exclusive)."""

    start: dt.date
    end: dt.date

    @classmethod
    def build(cls, end: dt.date, months: int) -> Timeline:
        if months < 6:
            raise ValueError(f"months must be at least 6 to plant the demo stories, got {months}")
        return cls(start=add_months(end, -months), end=end)

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    @cached_property
    def months(self) -> tuple[str, ...]:
        """Every month with data, the partial first and last ones included."""
        keys = []
        day = first_of_month(self.start)
        while day <= self.last_day:
            keys.append(month_key(day))
            day = add_months(day, 1)
        return tuple(keys)

    @cached_property
    def last_complete_month(self) -> str:
        if (self.last_day + dt.timedelta(days=1)).day == 1:
            return month_key(self.last_day)
        return month_key(add_months(first_of_month(self.last_day), -1))

    def month_start(self, months_before_last_complete: int) -> dt.date:
        """First day of the month `n` months before the last complete month."""
        lcm = dt.date.fromisoformat(self.last_complete_month + "-01")
        return add_months(lcm, -months_before_last_complete)

    def index(self, month: str) -> int:
        """Position of `month` in `months` (may be negative or past the end)."""
        return int(month[:4]) * 12 + int(month[5:7]) - self._first_month_number

    @cached_property
    def _first_month_number(self) -> int:
        return self.start.year * 12 + self.start.month


# Control themes are drawn independently for every text, at the same rates in every
# source and every month, so their share of customer voice stays flat whatever the
# mix of sources and whatever else happens.
CONTROL_RATES: dict[str, float] = {"delivery": 0.2, "price": 0.13, "quality": 0.15}


def draw_controls(r: random.Random, offer: str | None) -> list[str]:
    themes = [t for t, p in CONTROL_RATES.items() if r.random() < p]
    if offer == "gift-card" and "quality" in themes:
        themes.remove("quality")  # nothing to wear out on a gift card
    return themes


# How many months before the last complete month each story starts.
REPAIR_START = 9
UPCYCLING_START = 7
TRADES_START = 12
SUGGEST_START = 7
CHINO_CHANGE = 6
CUSHION_START = 4

# After the repair service opens (the intent file's decision), customers who already own
# the raw denim come back for another pair more often, and the workshop answers at the
# counter what used to become a support ticket. Nothing changes for the other offers.
P_DENIM_COMEBACK = 0.3  # a returning raw-denim owner adds a pair to the basket
P_DENIM_TICKET_AVOIDED = 0.8  # a raw-denim question the workshop answers at the counter


@dataclass(frozen=True)
class Plan:
    """Where the planted stories sit on one timeline, and how strong they are each month."""

    timeline: Timeline
    capsule_since: dt.date
    capsule_until: dt.date
    repair_service_since: dt.date | None = None
    realistic: Realistic | None = None  # the realistic mode's added voice, for evaluation

    @cached_property
    def lcm_index(self) -> int:
        return self.timeline.index(self.timeline.last_complete_month)

    def start_month(self, months_before: int) -> str:
        return month_key(self.timeline.month_start(months_before))

    @property
    def chino_change(self) -> dt.date:
        return self.timeline.month_start(CHINO_CHANGE)

    def ramp(self, month_index: int, months_before: int, base: float, peak: float) -> float:
        """`base` before the story starts, then linear up to `peak` at the last complete month."""
        start = self.lcm_index - months_before
        if month_index < start:
            return base
        steps = max(self.lcm_index - start, 1)
        return base + (peak - base) * min(month_index - start + 1, steps + 1) / (steps + 1)

    # Probabilities that one customer text about an offer mentions a planted theme.
    def p_repair(self, m: int, offer: str) -> float:
        if offer == "raw-denim":
            return self.ramp(m, REPAIR_START, 0.015, 0.20)
        return 0.004 if offer == "chino" else 0.0

    def p_upcycling(self, m: int, offer: str) -> float:
        return self.ramp(m, UPCYCLING_START, 0.008, 0.2) if offer == "raw-denim" else 0.0

    def p_cushion(self, m: int, offer: str) -> float:
        return self.ramp(m, CUSHION_START, 0.0, 0.16) if offer == "raw-denim" else 0.0

    def p_local_partners(self, m: int, offer: str) -> float:
        return self.ramp(m, SUGGEST_START, 0.02, 0.45) if offer == "gift-card" else 0.0

    def p_donation(self, m: int, offer: str) -> float:
        return self.ramp(m, SUGGEST_START, 0.015, 0.4) if offer == "gift-card" else 0.0

    def p_professional_use(self, m: int, segment: str) -> float:
        """Trades customers talk about professional use more as they adopt the apron."""
        if segment == "trades":
            return self.ramp(m, TRADES_START, 0.25, 0.6)
        return 0.0

    def trades_share_of_new_customers(self, m: int) -> float:
        return self.ramp(m, TRADES_START, 0.007, 0.09)

    def trades_apron_weight(self, m: int) -> float:
        """Weight of the apron among a trades customer's basket lines."""
        return self.ramp(m, TRADES_START, 0.2, 0.9)

    def repair_service_open(self, day: dt.date) -> bool:
        return self.repair_service_since is not None and day >= self.repair_service_since

    def capsule_on_sale(self, day: dt.date) -> bool:
        return self.capsule_since <= day <= self.capsule_until

    def chino_changed(self, day: dt.date) -> bool:
        return day >= self.chino_change
