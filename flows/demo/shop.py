"""The demo shop: customers, products, orders and their lines, returns and reviews.

Orders are drawn first (how many per day: growth, seasons, weekdays), then walked
in time order: each one either brings a new customer or a returning one, and gets
a basket that depends on the customer's segment and on the month. Returns and
reviews follow from the orders.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from flows.demo import catalog
from flows.demo.catalog import Product
from flows.demo.matching import ThemeMatcher
from flows.demo.model import Account, Customer, Doc, Line, Order
from flows.demo.scenarios import (
    HOUR_WEIGHTS,
    P_DENIM_COMEBACK,
    Plan,
    daytime,
    draw_controls,
    later,
    month_key,
)
from flows.demo.texts import HOSTILE_STRINGS, ITEMS
from flows.demo.voice import UNLABELLED, Voice, mentions_unlabelled

# Monthly seasonality (January first) and weekday weights (Monday first).
SEASON = (0.95, 0.7, 0.85, 0.9, 0.95, 0.9, 1.0, 0.7, 1.0, 1.0, 1.35, 1.7)
WEEKDAY = (0.85, 0.9, 0.95, 1.0, 1.1, 1.3, 0.8)
YEARLY_GROWTH = 1.35
HOURS = np.array(HOUR_WEIGHTS, dtype=float)

P_NEW_CUSTOMER = 0.36
EXISTING_CUSTOMERS_PER_ORDER = 0.08  # customers from before the history window
SEGMENT_OFFER_WEIGHTS: dict[str, dict[str, float]] = {
    "consumers": {
        "raw-denim": 0.30,
        "chino": 0.17,
        "apron": 0.06,
        "tee": 0.22,
        "care-kit": 0.07,
        "gift-card": 0.05,
        "capsule": 0.13,
    },
    "trades": {"apron": 0.0, "chino": 0.25, "tee": 0.25, "raw-denim": 0.15, "care-kit": 0.05},
    "businesses": {
        "tee": 0.35,
        "gift-card": 0.30,
        "chino": 0.10,
        "raw-denim": 0.10,
        "apron": 0.03,
        "care-kit": 0.05,
    },
    "nonprofits": {"tee": 0.50, "gift-card": 0.15, "apron": 0.04, "chino": 0.10, "raw-denim": 0.10},
}
CHANNELS: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {
    "consumers": (("web", "store", "marketplace", "phone"), (0.62, 0.25, 0.10, 0.03)),
    "pro": (("b2b", "phone", "web", "store"), (0.55, 0.20, 0.20, 0.05)),
}
RETURN_CODES = (
    "too_small",
    "too_large",
    "defect",
    "not_as_described",
    "changed_mind",
    "late_delivery",
)
RETURN_CODE_WEIGHTS = (0.20, 0.18, 0.12, 0.14, 0.26, 0.10)
RATINGS: dict[str, tuple[float, ...]] = {  # P(rating = 1..5)
    "default": (0.03, 0.04, 0.10, 0.33, 0.50),
    "CAP-SURCHEMISE": (0.0, 0.01, 0.03, 0.20, 0.76),
    "CAP-BOB": (0.20, 0.30, 0.25, 0.15, 0.10),
    "CAP-SAC": (0.15, 0.30, 0.30, 0.15, 0.10),
    "chino-changed": (0.08, 0.12, 0.20, 0.30, 0.30),
}
GARMENTS = {"raw-denim", "chino", "tee", "apron", "capsule"}


def weighted(r: random.Random, items: Sequence[str], weights: Sequence[float]) -> str:
    return r.choices(items, weights=weights, k=1)[0]


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "".join(ch if ch.isalnum() else "-" for ch in ascii_text).strip("-").replace("--", "-")


def item_key(product: Product) -> str:
    return product.sku if product.offer == "capsule" else product.offer


@dataclass
class Shop:
    products: list[Product]
    product_ids: dict[str, str]
    launched: dict[str, dt.date]
    customers: list[Customer] = field(default_factory=list)
    accounts: list[Account] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    returns: list[dict[str, object]] = field(default_factory=list)
    reviews: list[dict[str, object]] = field(default_factory=list)
    docs: list[Doc] = field(default_factory=list)


class ShopBuilder:
    def __init__(self, plan: Plan, seed: int, voice: Voice, matcher: ThemeMatcher) -> None:
        self.plan = plan
        self.timeline = plan.timeline
        self.np_rng = np.random.default_rng([seed, 1])
        self.r = random.Random(seed * 1000 + 1)
        self.voice = voice
        self.matcher = matcher
        self.emails: set[str] = set()
        self.urn: list[int] = []  # customer indexes, repeated by how likely they come back
        self.bought_surchemise: set[int] = set()
        self.bought_denim: set[int] = set()
        # the repair-service story draws from its own generator, so it leaves every other
        # basket as it was
        self.r_decision = random.Random(seed * 1000 + 5)
        launched = {}
        for p in catalog.PRODUCTS:
            launched[p.sku] = (
                plan.capsule_since if p.launched == "capsule" else dt.date.fromisoformat(p.launched)
            )
        self.shop = Shop(
            list(catalog.PRODUCTS),
            {p.sku: f"P{i + 1:03d}" for i, p in enumerate(catalog.PRODUCTS)},
            launched,
        )
        self.discontinued = {
            p.sku: self.timeline.month_start(p.discontinued_months_before_end)
            for p in catalog.PRODUCTS
            if p.discontinued_months_before_end is not None
        }

    # -- calendar -----------------------------------------------------------------------

    def order_times(self, n: int) -> list[dt.datetime]:
        days = (self.timeline.end - self.timeline.start).days
        dates = [self.timeline.start + dt.timedelta(days=i) for i in range(days)]
        weights = np.array(
            [
                YEARLY_GROWTH ** (i / 365.0) * SEASON[d.month - 1] * WEEKDAY[d.weekday()]
                for i, d in enumerate(dates)
            ]
        )
        day_idx = self.np_rng.choice(days, size=n, p=weights / weights.sum())
        hours = self.np_rng.choice(24, size=n, p=HOURS / HOURS.sum())
        seconds = self.np_rng.integers(0, 3600, size=n)
        offsets = np.sort(day_idx.astype(np.int64) * 86400 + hours * 3600 + seconds)
        base = dt.datetime.combine(self.timeline.start, dt.time())
        return [base + dt.timedelta(seconds=int(s)) for s in offsets]

    def month_index(self, when: dt.datetime) -> int:
        return self.timeline.index(month_key(when.date()))

    # -- customers ----------------------------------------------------------------------

    def unique_email(self, local: str, domain: str) -> str:
        email = f"{local}@{domain}"
        n = 1
        while email in self.emails:
            n += 1
            email = f"{local}{n}@{domain}"
        self.emails.add(email)
        return email

    def person(self) -> tuple[str, str]:
        return self.r.choice(catalog.FIRST_NAMES), self.r.choice(catalog.LAST_NAMES)

    def new_account(self, segment: str, created: dt.datetime) -> Account:
        r = self.r
        if segment == "trades":
            type_ = "b2b"
            industry = weighted(r, ("hospitality", "crafts", "construction"), (0.55, 0.28, 0.17))
        elif segment == "businesses":
            type_ = "b2b"
            industry = weighted(
                r,
                ("retail", "services", "education", "culture", "health"),
                (0.35, 0.3, 0.1, 0.15, 0.1),
            )
        elif segment == "nonprofits":
            type_ = weighted(r, ("nonprofit", "public"), (0.6, 0.4))
            industry = None if r.random() < 0.5 else weighted(r, ("culture", "education"), (1, 1))
        else:
            type_, industry = "b2c", None
        if type_ == "b2b":
            name = (
                f"{r.choice(catalog.ACCOUNT_PREFIXES[industry])} {r.choice(catalog.PLACE_SUFFIXES)}"
            )
        elif type_ == "nonprofit":
            name = f"Association {r.choice(catalog.NONPROFIT_NAMES)}"
        elif type_ == "public":
            name = r.choice(catalog.PUBLIC_NAMES)
        else:
            first, last = self.person()
            name = f"{first} {last}"
        size = (
            None
            if type_ == "b2c"
            else weighted(r, ("1-9", "10-49", "50-249", "250+"), (0.55, 0.3, 0.1, 0.05))
        )
        account = Account(
            account_id=f"ACC-{len(self.shop.accounts) + 1:04d}",
            name=name,
            type=type_,
            industry=industry,
            size_band=size,
            country="FR",
            segment=segment,
            created=daytime(r, created.date() - dt.timedelta(days=r.randint(0, 90))),
        )
        self.shop.accounts.append(account)
        return account

    def new_customer(self, when: dt.datetime, segment: str) -> Customer:
        r = self.r
        first, last = self.person()
        f, lst = slug(first), slug(last)
        account = None
        if segment != "consumers":
            peers = [a for a in self.shop.accounts[-60:] if a.segment == segment]
            account = peers[-1] if peers and r.random() < 0.35 else self.new_account(segment, when)
            domain = slug(account.name).replace("-", "")[:18] + r.choice((".fr", ".fr", ".com"))
            local = r.choice((f"{f}.{lst}", f"{f[0]}{lst}", "contact", "commandes", f))
            email = self.unique_email(local, domain)
        else:
            if r.random() < 0.02:
                account = self.new_account("consumers", when)
            domain = weighted(
                r, [d for d, _ in catalog.EMAIL_DOMAINS], [w for _, w in catalog.EMAIL_DOMAINS]
            )
            local = r.choice(
                (
                    f"{f}.{lst}",
                    f"{f}{lst}",
                    f"{f[0]}.{lst}",
                    f"{f}_{lst}",
                    f"{f}.{lst}{r.randint(1, 99)}",
                    f"{lst}.{f}",
                )
            )
            email = self.unique_email(local, domain)
        if r.random() < 0.06:
            country, city, postal = r.choice(catalog.CITIES_ABROAD)
        else:
            city, postal, _ = weighted(
                r,
                [(c, p, w) for c, p, w in catalog.CITIES_FR],
                [w for _, _, w in catalog.CITIES_FR],
            )  # type: ignore[misc]
            country = "FR"
        tags = []
        if r.random() < 0.4:
            tags.append("newsletter")
        if segment != "consumers":
            tags.append("pro")
        created = when - dt.timedelta(minutes=r.randint(0, 30))
        if r.random() < 0.3:
            created = daytime(r, when.date() - dt.timedelta(days=r.randint(1, 200)))
        customer = Customer(
            customer_id=f"C{len(self.shop.customers) + 1:06d}",
            email=email,
            created=created,
            country=country,
            city=city,
            postal_code=postal,
            segment=segment,
            account=account,
            tags="|".join(tags),
            index=len(self.shop.customers),
            first_name=first,
            last_name=last,
        )
        if account is not None:
            account.customer_ids.append(customer.customer_id)
            account.created = min(account.created, created)
        self.shop.customers.append(customer)
        return customer

    def customer_for(self, when: dt.datetime, m: int) -> Customer:
        r = self.r
        if not self.urn or r.random() < P_NEW_CUSTOMER:
            p_trades = self.plan.trades_share_of_new_customers(m)
            segment = weighted(
                r,
                ("trades", "businesses", "nonprofits", "consumers"),
                (p_trades, 0.03, 0.012, 1 - p_trades - 0.042),
            )
            customer = self.new_customer(when, segment)
            self.urn.extend([customer.index] * (1 if segment == "consumers" else 4))
            return customer
        return self.shop.customers[self.urn[r.randrange(len(self.urn))]]

    # -- baskets ------------------------------------------------------------------------

    def available(self, offer: str, day: dt.date) -> list[Product]:
        return [
            p
            for p in self.shop.products
            if p.offer == offer
            and self.shop.launched[p.sku] <= day
            and (p.sku not in self.discontinued or day < self.discontinued[p.sku])
            and (offer != "capsule" or self.plan.capsule_on_sale(day))
        ]

    def offer_weights(self, segment: str, when: dt.datetime, m: int) -> dict[str, float]:
        weights = dict(SEGMENT_OFFER_WEIGHTS[segment])
        if segment == "trades":
            weights["apron"] = self.plan.trades_apron_weight(m)
        if "gift-card" in weights:
            weights["gift-card"] *= {11: 1.8, 12: 3.0}.get(when.month, 1.0)
        if not self.plan.capsule_on_sale(when.date()):
            weights.pop("capsule", None)
        return weights

    def basket(self, customer: Customer, when: dt.datetime, m: int) -> list[Line]:
        r = self.r
        pro = customer.segment != "consumers"
        n_lines = weighted(r, "1234", (0.35, 0.35, 0.2, 0.1) if pro else (0.52, 0.32, 0.12, 0.04))
        weights = self.offer_weights(customer.segment, when, m)
        offers = [weighted(r, list(weights), list(weights.values())) for _ in range(int(n_lines))]
        if "raw-denim" in offers and r.random() < 0.2:
            offers.append("care-kit")
        chosen: list[Product] = []
        if (
            customer.index in self.bought_surchemise
            and self.plan.capsule_on_sale(when.date())
            and r.random() < 0.6
        ):
            chosen.append(next(p for p in self.shop.products if p.sku == "CAP-SURCHEMISE"))
        for offer in offers:
            products = self.available(offer, when.date())
            if products:
                chosen.append(r.choices(products, weights=[p.weight for p in products], k=1)[0])
        lines: dict[str, Line] = {}
        for product in chosen:
            if product.offer == "gift-card":
                qty = 1
            elif pro:
                qty = r.randint(2, 12) if product.offer == "apron" else r.randint(1, 5)
            else:
                qty = weighted(r, (1, 2, 3), (0.88, 0.10, 0.02))  # type: ignore[arg-type]
            if product.sku in lines:
                lines[product.sku].quantity += qty
            else:
                lines[product.sku] = Line(
                    len(lines) + 1,
                    product.sku,
                    self.shop.product_ids[product.sku],
                    product.offer,
                    int(qty),
                    product.price,
                )
        if (
            customer.index in self.bought_denim
            and self.plan.repair_service_open(when.date())
            and self.r_decision.random() < P_DENIM_COMEBACK
        ):
            self.add_comeback_pair(lines, pro, when)
        return list(lines.values())

    def add_comeback_pair(self, lines: dict[str, Line], pro: bool, when: dt.datetime) -> None:
        """A raw-denim owner buys another pair after the repair service opened."""
        rd = self.r_decision
        products = self.available("raw-denim", when.date())
        product = rd.choices(products, weights=[p.weight for p in products], k=1)[0]
        qty = rd.randint(1, 5) if pro else 1
        if product.sku in lines:
            lines[product.sku].quantity += qty
        else:
            lines[product.sku] = Line(
                len(lines) + 1,
                product.sku,
                self.shop.product_ids[product.sku],
                product.offer,
                qty,
                product.price,
            )

    # -- orders -------------------------------------------------------------------------

    def add_existing_customers(self, n: int) -> None:
        """Customers who first bought before the history window (the shop opened in 2019)."""
        first = dt.date(2019, 3, 1)
        span = (self.timeline.start - first).days
        for _ in range(n):
            when = daytime(self.r, first + dt.timedelta(days=self.r.randrange(span)))
            segment = weighted(
                self.r,
                ("trades", "businesses", "nonprofits", "consumers"),
                (0.007, 0.03, 0.012, 0.951),
            )
            customer = self.new_customer(when, segment)
            self.urn.extend([customer.index] * (1 if segment == "consumers" else 4))

    def build_orders(self, n: int) -> None:
        r = self.r
        self.add_existing_customers(int(n * EXISTING_CUSTOMERS_PER_ORDER))
        last_days = self.timeline.end - dt.timedelta(days=4)
        for i, when in enumerate(self.order_times(n)):
            m = self.month_index(when)
            customer = self.customer_for(when, m)
            lines = self.basket(customer, when, m)
            if not lines:
                continue
            pro = customer.segment != "consumers"
            names, probs = CHANNELS["pro" if pro else "consumers"]
            channel = weighted(r, names, probs)
            status = "paid"
            roll = r.random()
            if when.date() >= last_days and roll < 0.5:
                status = "pending"
            elif roll < 0.025:
                status = "cancelled"
            elif roll < 0.028:
                status = "pending"
            order = Order(f"O{i + 1:07d}", customer, when, m, channel, status, 0.0, lines)
            sale = when.month in (1, 7) or (when.month == 11 and when.day >= 24)
            if (sale and not pro and r.random() < 0.35) or (pro and r.random() < 0.15):
                base = sum(
                    line_.quantity * line_.unit_price
                    for line_ in lines
                    if line_.offer != "gift-card"
                )
                order.discount = round(base * r.choice((0.1, 0.15, 0.2, 0.3)), 2)
            self.shop.orders.append(order)
            if any(line_.offer == "raw-denim" for line_ in lines):
                self.bought_denim.add(customer.index)
            if (
                any(line_.sku == "CAP-SURCHEMISE" for line_ in lines)
                and customer.index not in self.bought_surchemise
            ):
                self.bought_surchemise.add(customer.index)
                self.urn.extend([customer.index] * 6)

    def add_idle_customers(self, share: float) -> None:
        """Customers who created an account but never ordered (newsletter sign-ups)."""
        n = int(len(self.shop.customers) * share)
        span = (self.timeline.end - self.timeline.start).days
        for _ in range(n):
            when = daytime(self.r, self.timeline.start + dt.timedelta(days=self.r.randrange(span)))
            self.new_customer(when, "consumers")

    # -- customer voice -----------------------------------------------------------------

    def planted_themes(self, m: int, offer: str, sku: str, segment: str, source: str) -> list[str]:
        r, plan = self.r, self.plan
        themes = []
        for theme, p in (
            ("repair", plan.p_repair(m, offer)),
            ("upcycling", plan.p_upcycling(m, offer)),
            (UNLABELLED, plan.p_cushion(m, offer)),
            ("local-partners", plan.p_local_partners(m, offer)),
            ("donation", plan.p_donation(m, offer)),
            ("keep-item", 0.35 if sku == "CAP-SURCHEMISE" else 0.0),
            ("professional-use", plan.p_professional_use(m, segment)),
        ):
            if p and r.random() < p:
                themes.append(theme)
        return themes

    def base_themes(self, offer: str, sizing_boost: bool) -> list[str]:
        """What a review is mainly about (everyday wear or fit), then the control themes."""
        roll = self.r.random()
        main = None
        if roll < 0.32:
            main = "everyday" if offer in GARMENTS else None
        elif roll < (0.72 if sizing_boost else 0.44):
            main = "sizing" if offer in GARMENTS and offer != "apron" else None
        return ([main] if main else []) + draw_controls(self.r, offer)

    def record(
        self, source: str, text: str, m: int, offer: str | None, segment: str | None
    ) -> None:
        self.shop.docs.append(
            Doc(source, m, offer, segment, self.matcher.themes(text), mentions_unlabelled(text))
        )

    def build_returns_and_reviews(self) -> None:
        r = self.r
        end = dt.datetime.combine(self.timeline.end, dt.time())
        review_count = 0
        for order in self.shop.orders:
            if order.status in ("cancelled", "pending"):
                continue
            customer = order.customer
            returned = 0
            for line in order.lines:
                p = self.return_probability(line, order)
                if p and r.random() < p:
                    at = later(r, order.ordered, 4, 35)
                    if at >= end:
                        continue
                    code = self.return_code(line, order)
                    lang = self.voice.language(customer.country != "FR")
                    text = self.voice.return_reason(code, lang) if r.random() < 0.88 else ""
                    self.shop.returns.append(
                        {
                            "return_id": f"R{len(self.shop.returns) + 1:06d}",
                            "order_id": order.order_id,
                            "sku": line.sku,
                            "returned_at": at,
                            "quantity": line.quantity if r.random() < 0.8 else 1,
                            "reason_code": code,
                            "reason_text": text,
                        }
                    )
                    if text:
                        self.record(
                            "return", text, self.month_index(at), line.offer, customer.segment
                        )
                    returned += 1
            if returned and returned == len(order.lines):
                order.status = "refunded"
            line = self.reviewed_line(order)
            if line is None:
                continue
            at = later(r, order.ordered, 6, 60)
            if at >= end:
                continue
            review_count += 1
            m = self.month_index(at)
            product_key = (
                "chino-changed"
                if (line.offer == "chino" and self.plan.chino_changed(order.ordered.date()))
                else line.sku
            )
            rating = 1 + weighted(r, range(5), RATINGS.get(product_key, RATINGS["default"]))  # type: ignore[arg-type]
            themes = self.planted_themes(m, line.offer, line.sku, customer.segment, "review")
            themes = self.base_themes(line.offer, product_key == "chino-changed") + themes
            product = next(p for p in self.shop.products if p.sku == line.sku)
            slots = ITEMS[item_key(product)].slots()
            lang = self.voice.language(customer.country != "FR")
            hostile = None
            if review_count % 250 == 5:
                hostile = HOSTILE_STRINGS[(review_count // 250) % len(HOSTILE_STRINGS)]
            title, body = self.voice.review(
                themes,
                rating,
                slots,
                lang,
                pii=r.random() < 0.015,
                hostile=hostile,
                person=customer.person,
            )
            self.shop.reviews.append(
                {
                    "review_id": f"RV{len(self.shop.reviews) + 1:06d}",
                    "sku": line.sku,
                    "product_id": line.product_id,
                    "customer_id": customer.customer_id,
                    "created_at": at,
                    "rating": rating,
                    "title": title,
                    "body": body,
                }
            )
            self.record("review", f"{title}\n{body}", m, line.offer, customer.segment)

    def return_probability(self, line: Line, order: Order) -> float:
        if line.offer == "chino":
            return 0.18 if self.plan.chino_changed(order.ordered.date()) else 0.06
        return {
            "raw-denim": 0.06,
            "apron": 0.035,
            "tee": 0.045,
            "care-kit": 0.01,
            "gift-card": 0.0,
        }.get(line.offer) or {"CAP-SURCHEMISE": 0.03, "CAP-BOB": 0.08, "CAP-SAC": 0.08}.get(
            line.sku, 0.0
        )

    def return_code(self, line: Line, order: Order) -> str:
        if (
            line.offer == "chino"
            and self.plan.chino_changed(order.ordered.date())
            and self.r.random() < 0.6
        ):
            return "too_small"
        if line.offer in ("gift-card", "care-kit"):
            return weighted(self.r, ("defect", "changed_mind", "late_delivery"), (0.3, 0.5, 0.2))
        return weighted(self.r, RETURN_CODES, RETURN_CODE_WEIGHTS)

    def reviewed_line(self, order: Order) -> Line | None:
        r = self.r
        capsule = [line_ for line_ in order.lines if line_.offer == "capsule"]
        p = 0.42 if capsule else 0.21
        if r.random() >= p:
            return None
        if capsule and r.random() < 0.8:
            return r.choice(capsule)
        return r.choice(order.lines)


def build_shop(plan: Plan, seed: int, voice: Voice, matcher: ThemeMatcher, orders: int) -> Shop:
    builder = ShopBuilder(plan, seed, voice, matcher)
    builder.build_orders(orders)
    builder.add_idle_customers(0.05)
    builder.build_returns_and_reviews()
    return builder.shop
