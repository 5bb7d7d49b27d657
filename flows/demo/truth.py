"""Ground truth of the demo: the planted stories and how strong they came out.

Effects are measured on the generated records themselves (not on the intended
probabilities), so a test or a reviewer can compare Terrain's findings with
what is really in the files. A signal's effect is the ratio of its share of
customer texts over the last three complete months to its share before the
story started; agents' replies and the sales team's notes are not customer voice and
are left out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable

from flows.demo import scenarios
from flows.demo.model import Doc
from flows.demo.scenarios import Plan, month_key
from flows.demo.shop import Shop

CONTROL_THEMES = ("delivery", "price", "quality")
STAFF_SOURCES = frozenset({"agent_comment", "staff_note"})  # written by staff, not customers
CONTROL_OFFERS = ("tee",)


def _share(docs: Iterable[Doc], months: range, hit: Callable[[Doc], bool]) -> tuple[int, int]:
    hits = total = 0
    for doc in docs:
        if doc.month in months:
            total += 1
            hits += hit(doc)
    return hits, total


def _ratio(recent: float, baseline: float) -> float | None:
    return round(recent / baseline, 3) if baseline > 0 else None


class Truth:
    def __init__(self, plan: Plan, docs: list[Doc], shop: Shop) -> None:
        self.plan = plan
        self.docs = [d for d in docs if d.source not in STAFF_SOURCES]
        self.shop = shop
        self.lcm = plan.lcm_index
        self.recent = range(self.lcm - 2, self.lcm + 1)

    def share_effect(
        self, months_before: int, hit: Callable[[Doc], bool], docs: list[Doc] | None = None
    ) -> dict[str, object]:
        docs = self.docs if docs is None else docs
        before = range(0, self.lcm - months_before)
        b_hits, b_total = _share(docs, before, hit)
        r_hits, r_total = _share(docs, self.recent, hit)
        baseline = b_hits / b_total if b_total else 0.0
        recent = r_hits / r_total if r_total else 0.0
        return {
            "start_month": self.plan.start_month(months_before),
            "effect": _ratio(recent, baseline),
            "baseline_share": round(baseline, 5),
            "recent_share": round(recent, 5),
            "baseline_documents": b_hits,
            "recent_documents": r_hits,
        }

    def signal(
        self, id_: str, theme: str, kind: str, offer: str, months_before: int, **extra: object
    ) -> dict[str, object]:
        found = self.share_effect(months_before, lambda d: theme in d.themes)
        offer_docs = [d for d in self.docs if d.offer == offer]
        within = self.share_effect(months_before, lambda d: theme in d.themes, offer_docs)
        return {
            "id": id_,
            "kind": "signal",
            "signal_kind": kind,
            "theme": theme,
            "offer": offer,
            **extra,
            **found,
            "offer_effect": within["effect"],
            "offer_recent_share": within["recent_share"],
            "expect": "rising",
        }

    def apron_buyers(self) -> dict[str, object]:
        buyers: dict[int, dict[str, str]] = defaultdict(dict)
        for order in self.shop.orders:
            if order.status != "cancelled" and any(line_.offer == "apron" for line_ in order.lines):
                buyers[order.month][order.customer.customer_id] = order.customer.segment

        def share(months: range) -> float:
            segs = [s for m in months for s in buyers[m].values()]
            return sum(s == "trades" for s in segs) / len(segs) if segs else 0.0

        baseline = share(range(0, self.lcm - scenarios.TRADES_START))
        recent = share(self.recent)
        return {
            "id": "apron-trades",
            "kind": "off_target_segment",
            "signal_kind": None,
            "theme": None,
            "offer": "apron",
            "segment": "trades",
            "start_month": self.plan.start_month(scenarios.TRADES_START),
            "effect": _ratio(recent, baseline),
            "baseline_share": round(baseline, 4),
            "recent_share": round(recent, 4),
            "expect": "rising",
        }

    def experiment(self, sku: str, expect: str) -> dict[str, object]:
        ratings = [int(r["rating"]) for r in self.shop.reviews if r["sku"] == sku]  # type: ignore[call-overload]
        orders_by_buyer: dict[str, set[str]] = defaultdict(set)
        for order in self.shop.orders:
            if order.status != "cancelled" and any(line_.sku == sku for line_ in order.lines):
                orders_by_buyer[order.customer.customer_id].add(order.order_id)
        buyers = len(orders_by_buyer)
        repeat = sum(len(o) > 1 for o in orders_by_buyer.values()) / buyers if buyers else 0.0
        avg = sum(ratings) / len(ratings) if ratings else None
        return {
            "id": f"capsule-{sku[4:].lower()}",
            "kind": "experiment",
            "signal_kind": None,
            "theme": "keep-item" if expect == "promote" else None,
            "offer": "capsule",
            "sku": sku,
            "start_month": month_key(self.plan.capsule_since),
            "effect": round(avg, 3) if avg is not None else None,
            "avg_rating": round(avg, 3) if avg is not None else None,
            "reviews": len(ratings),
            "buyers": buyers,
            "repeat_rate": round(repeat, 4),
            "expect": expect,
        }

    def chino_sizing(self) -> dict[str, object]:
        change = self.plan.chino_change
        lines = {True: 0, False: 0}
        small = {True: 0, False: 0}
        dates = {o.order_id: o.ordered.date() for o in self.shop.orders}
        for order in self.shop.orders:
            if order.status not in ("cancelled", "pending"):
                lines[order.ordered.date() >= change] += sum(
                    line_.offer == "chino" for line_ in order.lines
                )
        for ret in self.shop.returns:
            if str(ret["sku"]).startswith("CH-") and ret["reason_code"] == "too_small":
                small[dates[str(ret["order_id"])] >= change] += 1
        before = small[False] / lines[False] if lines[False] else 0.0
        after = small[True] / lines[True] if lines[True] else 0.0
        texts = self.share_effect(
            scenarios.CHINO_CHANGE,
            lambda d: "sizing" in d.themes,
            [d for d in self.docs if d.offer == "chino"],
        )
        return {
            "id": "chino-sizing",
            "kind": "rejection",
            "signal_kind": "reject",
            "theme": "sizing",
            "offer": "chino",
            "sku": "CH-*",
            "change_date": change.isoformat(),
            "start_month": month_key(change),
            "effect": _ratio(after, before),
            "too_small_returns_per_line_before": round(before, 4),
            "too_small_returns_per_line_after": round(after, 4),
            "offer_text_effect": texts["effect"],
            "expect": "rising",
        }

    def decision(self, window: int = 3) -> dict[str, object]:
        """The repair service's effect on raw denim against the other offers' trend.

        Repeat rate: a month's buyers of an offer who first bought it in an earlier month,
        pooled over the window's months (and over the offers of a group). Tickets per 100
        orders: tickets about the offer per order containing it. Windows: the `window`
        months before the decision's month, and the `window` months ending with the last
        complete month.
        """
        since = self.plan.repair_service_since
        assert since is not None
        start = self.plan.timeline.index(month_key(since))
        windows = {
            "before": range(start - window, start),
            "after": range(self.lcm - window + 1, self.lcm + 1),
        }
        groups = {
            "offer": {"raw-denim"},
            "others": {"chino", "apron", "tee", "care-kit", "gift-card"},
        }
        first: dict[tuple[str, str], int] = {}
        buyers: dict[tuple[str, int], set[str]] = defaultdict(set)
        orders: dict[tuple[str, int], int] = defaultdict(int)
        for order in sorted(self.shop.orders, key=lambda o: o.ordered):
            if order.status == "cancelled":
                continue
            for offer in {line_.offer for line_ in order.lines}:
                first.setdefault((order.customer.customer_id, offer), order.month)
                buyers[(offer, order.month)].add(order.customer.customer_id)
                orders[(offer, order.month)] += 1
        tickets: dict[tuple[str, int], int] = defaultdict(int)
        for doc in self.docs:
            if doc.source == "ticket" and doc.offer:
                tickets[(doc.offer, doc.month)] += 1

        def measure(offers: set[str], months: range) -> dict[str, float]:
            pairs = [(o, m) for o in offers for m in months]
            n_buyers = sum(len(buyers[p]) for p in pairs)
            repeat = sum(first[(c, o)] < m for o, m in pairs for c in buyers[(o, m)])
            n_orders = sum(orders[p] for p in pairs)
            return {
                "repeat_rate": round(repeat / n_buyers, 4) if n_buyers else 0.0,
                "tickets_per_100_orders": (
                    round(100 * sum(tickets[p] for p in pairs) / n_orders, 3) if n_orders else 0.0
                ),
            }

        figures = {
            f"{group}_{when}": measure(offers, months)
            for group, offers in groups.items()
            for when, months in windows.items()
        }
        effects = {
            metric: round(
                (figures["offer_after"][metric] - figures["offer_before"][metric])
                - (figures["others_after"][metric] - figures["others_before"][metric]),
                4,
            )
            for metric in ("repeat_rate", "tickets_per_100_orders")
        }
        return {
            "id": "repair-service-decision",
            "kind": "decision",
            "signal_kind": None,
            "theme": "repair",
            "offer": "raw-denim",
            "decision": "repair-service",
            "decision_date": since.isoformat(),
            "start_month": month_key(since),
            "effect": effects["repeat_rate"],
            "effects": effects,
            **figures,
            "expect": {"repeat_rate": "improved", "tickets_per_100_orders": "improved"},
        }

    def unlabelled(self) -> dict[str, object]:
        found = self.share_effect(scenarios.CUSHION_START, lambda d: d.has_phrase)
        return {
            "id": "cushion-covers",
            "kind": "unlabelled_phrase",
            "phrase": "housse de coussin",
            "phrase_en": "cushion cover",
            "offer": "raw-denim",
            **found,
            "expect": "rising",
        }

    def controls(self) -> dict[str, dict[str, float]]:
        half = self.lcm // 2
        out = {}
        for theme in CONTROL_THEMES:
            first = _share(self.docs, range(0, half), lambda d, t=theme: t in d.themes)
            second = _share(self.docs, range(half, self.lcm + 1), lambda d, t=theme: t in d.themes)
            out[theme] = {
                "first_half_share": round(first[0] / max(first[1], 1), 4),
                "second_half_share": round(second[0] / max(second[1], 1), 4),
            }
        return out

    def build(self, seed: int, orders: int, end: dt.date) -> dict[str, object]:
        s = scenarios
        no_theme = sum(not d.themes and not d.has_phrase for d in self.docs) / max(
            len(self.docs), 1
        )
        return {
            "seed": seed,
            "orders": orders,
            "end": end.isoformat(),
            "last_complete_month": self.plan.timeline.last_complete_month,
            "scenarios": [
                self.signal("repair-raw-denim", "repair", "adapt", "raw-denim", s.REPAIR_START),
                self.signal(
                    "upcycling-raw-denim", "upcycling", "transform", "raw-denim", s.UPCYCLING_START
                ),
                self.apron_buyers(),
                self.signal(
                    "professional-use-trades",
                    "professional-use",
                    "adapt",
                    "apron",
                    s.TRADES_START,
                    segment="trades",
                ),
                self.experiment("CAP-SURCHEMISE", "promote"),
                self.experiment("CAP-BOB", "retire"),
                self.experiment("CAP-SAC", "retire"),
                self.signal(
                    "keep-item-capsule",
                    "keep-item",
                    "suggest",
                    "capsule",
                    self.lcm - self.plan.timeline.index(month_key(self.plan.capsule_since)),
                    sku="CAP-SURCHEMISE",
                ),
                self.signal(
                    "local-partners-gift-card",
                    "local-partners",
                    "suggest",
                    "gift-card",
                    s.SUGGEST_START,
                ),
                self.signal(
                    "donation-gift-card", "donation", "suggest", "gift-card", s.SUGGEST_START
                ),
                self.chino_sizing(),
                self.unlabelled(),
                self.decision(),
            ],
            "control_themes": list(CONTROL_THEMES),
            "control_offers": list(CONTROL_OFFERS),
            "control_shares": self.controls(),
            "customer_texts": len(self.docs),
            "customer_texts_without_theme": round(no_theme, 4),
        }
