"""The demo generator's realistic mode: customer voice that behaves like real voice.

The demo's own stories are strong, clean ramps on a binomial background, good for a
demonstration and too easy for measuring the signal engine. `generate_demo(...,
realistic=True)` keeps the demo company and adds, for evaluation (`terrain
eval-signals`), the themes of `flows/demo/realistic_texts.py` with, per seed:

- month-level variation beyond binomial: each theme's rate is multiplied every month by
  a log-normal factor (sigma drawn between 0.2 and 0.4 per theme); the demo's delivery,
  price and quality stay binomial (the plain controls);
- roles: overdispersed controls (flat), two seasonal controls (a yearly peak, the same
  every year), step rises of 1.5x, 2x and 5x that stay up (plateaus), a rise that ramps
  to 3x over four months then stays flat, and one-month shocks of 2.5x;
- a review campaign that doubles the number of reviews for four months, while each
  theme is more or less likely in reviews than in tickets (so the mix of sources moves
  the shares of all voice);
- matching errors: 15 % of the planted mentions are paraphrases no term catches, and a
  few texts use a term about something else;
- staff-templated CRM notes (author_role staff) that name control themes, and long
  ticket threads where one customer repeats one theme;
- experiment items of both kinds: a durable jacket bought once (good ratings, fast
  sales, few returns, no repeat buying) and a consumable balm bought again.

Everything is drawn from generators seeded by the demo's seed, apart from the demo's own
draws, and written to the ground truth (`realistic` section of ground_truth.json).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

import numpy as np

from flows.demo.catalog import Product
from flows.demo.realistic_texts import NEUTRAL_THEMES, THEMES, THEMES_BY_ID
from flows.demo.scenarios import Timeline, add_months, month_key

# Roles of the neutral themes, shuffled over them for every seed.
ROLES: tuple[str, ...] = (
    ("overdispersed",) * 4
    + ("rise",) * 7  # effects below, in this order
    + ("shock",) * 2
    + ("plateau",)
)
RISE_EFFECTS: tuple[float, ...] = (1.5, 1.5, 1.5, 2.0, 2.0, 2.0, 5.0)
SHOCK_EFFECT = 2.5
PLATEAU_EFFECT = 3.0
PLATEAU_RAMP_MONTHS = 4
SIGMA_RANGE = (0.2, 0.4)  # month-level log-normal variation beyond binomial
BASE_RANGE = (0.02, 0.05)  # share of customer texts mentioning a theme, before its factor
REVIEW_AFFINITY = 2.5  # a theme is up to this many times likelier in reviews than elsewhere
MISS_RATE = 0.15  # planted mentions written as a paraphrase no term matches
FALSE_SENSE_RATE = 0.004  # per text and theme with false senses: a term used off-topic
CAMPAIGN_MONTHS = 4  # the review campaign's length...
CAMPAIGN_FACTOR = 2.0  # ...and how much more likely an order is reviewed meanwhile
THREAD_RATE = 0.02  # tickets where the customer writes a long thread
THREAD_COMMENTS = (5, 12)
STAFF_NOTES_PER_ACCOUNT_MONTH = 1 / 6  # templated call notes per account and month
# Sources that carry the added themes (return and lost-deal reasons are short codes).
VOICE_SOURCES = frozenset({"review", "ticket", "ticket_comment", "satisfaction", "note"})

# The two experiment items of the realistic mode (the capsule offer: CAP-*).
EXTRA_PRODUCTS: tuple[Product, ...] = (
    Product(
        "CAP-VESTE", "Veste de travail (capsule)", "capsule", "capsule", 145.0, "limited",
        "capsule", 9,
    ),
    Product(
        "CAP-BAUME", "Baume pour toile (capsule)", "capsule", "capsule", 12.0, "limited",
        "capsule", 3,
    ),
)  # fmt: skip
EXPERIMENT_KINDS = {
    "CAP-SURCHEMISE": "bought_again",
    "CAP-BOB": "durable",
    "CAP-SAC": "durable",
    "CAP-VESTE": "durable",
    "CAP-BAUME": "consumable",
}
RATINGS = {
    "CAP-VESTE": (0.0, 0.01, 0.04, 0.25, 0.70),
    "CAP-BAUME": (0.01, 0.02, 0.07, 0.30, 0.60),
}
RETURN_RATES = {"CAP-VESTE": 0.015, "CAP-BAUME": 0.005}
P_BAUME_AGAIN = 0.5  # a balm buyer adds another pot to a later basket


@dataclass(frozen=True)
class ThemePlan:
    """One added theme's role on the timeline of one seed."""

    theme_id: str
    role: str  # overdispersed | seasonal | rise | plateau | shock
    base: float
    sigma: float
    review_affinity: float
    effect: float | None = None
    start: int | None = None  # month index where a rise or ramp starts
    shocks: tuple[int, ...] = ()
    season: dict[int, float] | None = None
    noise: tuple[float, ...] = ()  # standard normal draw per month index

    def level(self, m: int, calendar_month: int) -> float:
        """The planted level (1 = usual) of month index m."""
        if self.role == "seasonal" and self.season:
            return self.season.get(calendar_month, 1.0)
        if self.role == "rise" and self.start is not None and m >= self.start:
            return self.effect or 1.0
        if self.role == "plateau" and self.start is not None and m >= self.start:
            ramp = min(1.0, (m - self.start + 1) / PLATEAU_RAMP_MONTHS)
            return 1.0 + ((self.effect or 1.0) - 1.0) * ramp
        if self.role == "shock" and m in self.shocks:
            return self.effect or 1.0
        return 1.0

    def factor(self, m: int, calendar_month: int) -> float:
        """Level times the month's log-normal variation (mean 1)."""
        z = self.noise[m] if 0 <= m < len(self.noise) else 0.0
        return self.level(m, calendar_month) * math.exp(self.sigma * z - self.sigma**2 / 2)

    def probability(self, m: int, calendar_month: int, source: str) -> float:
        affinity = self.review_affinity if source == "review" else 1 / self.review_affinity
        return min(0.9, self.base * affinity * self.factor(m, calendar_month))


@dataclass
class Realistic:
    """The realistic layer of one demo company: its themes' plans and its nuisances."""

    timeline: Timeline
    themes: dict[str, ThemePlan]
    campaign: tuple[int, ...]
    rng: random.Random
    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def build(cls, seed: int, timeline: Timeline) -> Realistic:
        draw = np.random.default_rng([seed, 11])
        months = len(timeline.months)
        lcm = timeline.index(timeline.last_complete_month)
        roles = list(ROLES)
        order = draw.permutation(len(NEUTRAL_THEMES))
        effects = iter(RISE_EFFECTS)
        plans: dict[str, ThemePlan] = {}
        assigned = {NEUTRAL_THEMES[i]: roles[k] for k, i in enumerate(order)}
        for theme in THEMES:
            role = "seasonal" if theme.season else assigned[theme.theme_id]
            common = {
                "theme_id": theme.theme_id,
                "role": role,
                "base": float(draw.uniform(*BASE_RANGE)),
                "sigma": float(draw.uniform(*SIGMA_RANGE)),
                "review_affinity": float(
                    math.exp(draw.uniform(-math.log(REVIEW_AFFINITY), math.log(REVIEW_AFFINITY)))
                ),
                "noise": tuple(float(z) for z in draw.standard_normal(months)),
            }
            if role == "seasonal":
                plans[theme.theme_id] = ThemePlan(**common, season=theme.season)
            elif role == "rise":
                start = int(draw.integers(9, lcm - 3 + 1))
                plans[theme.theme_id] = ThemePlan(**common, effect=next(effects), start=start)
            elif role == "plateau":
                start = int(draw.integers(8, 12))
                plans[theme.theme_id] = ThemePlan(**common, effect=PLATEAU_EFFECT, start=start)
            elif role == "shock":
                first = int(draw.integers(9, 17))
                second = int(draw.integers(first + 6, lcm + 1))
                plans[theme.theme_id] = ThemePlan(
                    **common, effect=SHOCK_EFFECT, shocks=(first, second)
                )
            else:
                plans[theme.theme_id] = ThemePlan(**common)
        start = int(draw.integers(11, lcm - CAMPAIGN_MONTHS - 1))
        campaign = tuple(range(start, start + CAMPAIGN_MONTHS))
        return cls(timeline, plans, campaign, random.Random(seed * 1000 + 11))

    # -- what the builders ask ----------------------------------------------------------

    def calendar_month(self, m: int) -> int:
        return int(self.timeline.months[m][5:7]) if 0 <= m < len(self.timeline.months) else 1

    def mentions(self, m: int, source: str) -> list[str]:
        """Added theme keys of one customer text: `theme` (said with a term), `~theme`
        (planted, said in other words) or `!theme` (a term used about something else)."""
        if source not in VOICE_SOURCES:
            return []
        r, cal = self.rng, self.calendar_month(m)
        keys = []
        for plan in self.themes.values():
            if r.random() < plan.probability(m, cal, source):
                keys.append(("~" if r.random() < MISS_RATE else "") + plan.theme_id)
            elif THEMES_BY_ID[plan.theme_id].false_senses and r.random() < FALSE_SENSE_RATE:
                keys.append("!" + plan.theme_id)
        return keys

    def review_factor(self, m: int) -> float:
        return CAMPAIGN_FACTOR if m in self.campaign else 1.0

    def thread_length(self) -> int:
        """Extra customer comments of a ticket (0 for most tickets)."""
        if self.rng.random() >= THREAD_RATE:
            return 0
        return self.rng.randint(*THREAD_COMMENTS)

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    # -- ground truth -------------------------------------------------------------------

    def month_key(self, m: int) -> str:
        first = dt.date.fromisoformat(self.timeline.months[0] + "-01")
        return month_key(add_months(first, m))

    def truth(self) -> dict[str, object]:
        lcm = self.timeline.index(self.timeline.last_complete_month)
        themes = {}
        for theme_id, plan in self.themes.items():
            levels = [
                round(plan.level(m, self.calendar_month(m)), 3)
                for m in range(len(self.timeline.months))
            ]
            themes[theme_id] = {
                "role": plan.role,
                "effect": plan.effect,
                "start_month": None if plan.start is None else self.month_key(plan.start),
                "shock_months": [self.month_key(m) for m in plan.shocks],
                "peak_months": [self.month_key(m) for m, level in enumerate(levels) if level >= 1.5]
                if plan.role == "seasonal"
                else [],
                "base_share": round(plan.base, 4),
                "sigma": round(plan.sigma, 3),
                "review_affinity": round(plan.review_affinity, 3),
                "levels": levels,
                "factors": [
                    round(plan.factor(m, self.calendar_month(m)), 3)
                    for m in range(len(self.timeline.months))
                ],
            }
        return {
            "themes": themes,
            "plain_controls": ["delivery", "price", "quality"],
            "review_campaign_months": [self.month_key(m) for m in self.campaign],
            "review_campaign_factor": CAMPAIGN_FACTOR,
            "miss_rate": MISS_RATE,
            "false_sense_rate": FALSE_SENSE_RATE,
            "last_complete_month_index": lcm,
            "experiment_item_kinds": EXPERIMENT_KINDS,
            "counts": dict(sorted(self.counts.items())),
        }


def planted_key(key: str) -> str | None:
    """The theme a mention key plants (None for a term used off-topic)."""
    return None if key.startswith("!") else key.lstrip("~")


def matched_key(key: str) -> str | None:
    """The theme the matcher finds for a mention key (None for a paraphrase)."""
    return None if key.startswith("~") else key.lstrip("!")


def intent_themes() -> list[dict[str, object]]:
    """The added themes as intent-file entries."""
    return [theme.intent_entry() for theme in THEMES]
