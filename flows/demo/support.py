"""The demo help desk: tickets, their comments and satisfaction ratings.

Most tickets follow an order (where is my parcel, wrong size, a seam gave way);
a few come from people who never ordered. Requesters are identified by an email
typed by hand, so it often differs from the shop's in case or spacing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from flows.demo import catalog
from flows.demo.matching import ThemeMatcher
from flows.demo.model import Doc, Order
from flows.demo.scenarios import (
    P_DENIM_TICKET_AVOIDED,
    Plan,
    add_months,
    daytime,
    draw_controls,
    later,
    month_key,
)
from flows.demo.shop import GARMENTS, Shop, item_key, weighted
from flows.demo.texts import ITEMS, Item, widget_html
from flows.demo.voice import UNLABELLED, Voice, mentions_unlabelled

TAGS = {
    "delivery": "livraison",
    "sizing": "taille|echange",
    "quality": "qualite",
    "price": "prix",
    "repair": "reparation",
    "upcycling": "idee",
    "professional-use": "pro|devis",
    "local-partners": "carte-cadeau|suggestion",
    "donation": "carte-cadeau|suggestion",
    "keep-item": "capsule|suggestion",
    "everyday": "",
    "admin": "compte",
}
TICKET_CHANNELS = (("email", "web", "chat", "phone"), (0.55, 0.2, 0.15, 0.1))
GENERIC_ITEM = Item("commande", True, "order", False)
WIDGET_MONTHS_BEFORE = 5  # the widget's first month, before the last complete month
P_WIDGET = 0.6  # share of customer comments written in the widget since then


@dataclass
class Support:
    tickets: list[dict[str, object]] = field(default_factory=list)
    comments: list[dict[str, object]] = field(default_factory=list)
    ratings: list[dict[str, object]] = field(default_factory=list)
    docs: list[Doc] = field(default_factory=list)


def email_variant(email: str, r: random.Random) -> str:
    """The same address as a person types it into a form: case and stray spaces."""
    roll = r.random()
    if roll < 0.2:
        return email.upper() if r.random() < 0.2 else email[0].upper() + email[1:]
    if roll < 0.32:
        return f" {email}" if r.random() < 0.5 else f"{email} "
    if roll < 0.38:
        local, _, domain = email.partition("@")
        return f"{local.title()}@{domain.upper()}"
    return email


class SupportBuilder:
    def __init__(
        self, plan: Plan, seed: int, voice: Voice, matcher: ThemeMatcher, shop: Shop
    ) -> None:
        self.plan = plan
        self.r = random.Random(seed * 1000 + 3)
        self.r_decision = random.Random(seed * 1000 + 6)  # the repair-service story only
        # Names typed in the help desk: draws of their own, so the stories do not move.
        self.r_people = random.Random(seed * 1000 + 13)
        self.voice = voice
        self.matcher = matcher
        self.shop = shop
        self.support = Support()
        self.end = dt.datetime.combine(plan.timeline.end, dt.time())
        # The help desk switched from good/bad to a 1-5 satisfaction scale one year in.
        self.five_point_since = dt.datetime.combine(add_months(plan.timeline.start, 12), dt.time())
        # A web widget, used for most customer comments over the last months, exports them
        # as HTML (texts.widget_html): Terrain must read the words, not the markup.
        self.widget_since = dt.datetime.combine(
            plan.timeline.month_start(WIDGET_MONTHS_BEFORE), dt.time()
        )

    def month(self, when: dt.datetime) -> int:
        return self.plan.timeline.index(month_key(when.date()))

    def requester_name(self, person: tuple[str, str]) -> str | None:
        """The requester's name as the help desk form got it (or nothing)."""
        first, last = person
        roll = self.r_people.random()
        if roll < 0.2:
            return None
        if roll < 0.35:
            return f"{last.upper()} {first}"
        if roll < 0.45:
            return first
        return f"{first} {last}"

    def record(
        self, source: str, text: str, when: dt.datetime, offer: str | None, segment: str | None
    ) -> None:
        self.support.docs.append(
            Doc(
                source,
                self.month(when),
                offer,
                segment,
                self.matcher.themes(text),
                mentions_unlabelled(text),
            )
        )

    def topics(
        self, order: Order | None, offer: str | None, sku: str | None, segment: str, m: int
    ) -> list[str]:
        r, plan = self.r, self.plan
        sizing_boost = (
            offer == "chino" and order is not None and plan.chino_changed(order.ordered.date())
        )
        themes = draw_controls(r, offer)
        if offer is None and "quality" in themes:
            themes.remove("quality")
        if offer in GARMENTS and offer != "apron" and r.random() < (0.45 if sizing_boost else 0.22):
            themes.insert(0, "sizing")
        for theme, p in (
            ("repair", plan.p_repair(m, offer or "")),
            ("upcycling", plan.p_upcycling(m, offer or "") * 0.5),
            (UNLABELLED, plan.p_cushion(m, offer or "") * 0.5),
            ("local-partners", plan.p_local_partners(m, offer or "")),
            ("donation", plan.p_donation(m, offer or "")),
            ("keep-item", 0.25 if sku == "CAP-SURCHEMISE" else 0.0),
            ("professional-use", plan.p_professional_use(m, segment)),
        ):
            if p and r.random() < p:
                themes.append(theme)
        return themes

    def build(self, orders_per_ticket: float = 7.1) -> Support:
        r = self.r
        ticket_orders = [o for o in self.shop.orders if r.random() < 1 / orders_per_ticket]
        for order in ticket_orders:
            at = later(r, order.ordered, 1, 25)
            if at < self.end:
                self.ticket(order, at)
        # Questions from people with no order (before buying, or about a gift received).
        span = (self.plan.timeline.end - self.plan.timeline.start).days
        for _ in range(int(len(ticket_orders) * 0.09)):
            at = daytime(r, self.plan.timeline.start + dt.timedelta(days=r.randrange(span)))
            self.ticket(None, at)
        return self.support

    def ticket(self, order: Order | None, at: dt.datetime) -> None:
        r = self.r
        m = self.month(at)
        customer = order.customer if order else None
        line = r.choice(order.lines) if order else None
        offer = line.offer if line else None
        sku = line.sku if line and r.random() < 0.75 else None
        segment = customer.segment if customer else "consumers"
        themes = self.topics(order, offer, line.sku if line else None, segment, m)
        if (
            offer == "raw-denim"
            and self.plan.repair_service_open(at.date())
            and not {"repair", "upcycling", UNLABELLED} & set(themes)
            and self.r_decision.random() < P_DENIM_TICKET_AVOIDED
        ):
            return  # a fit or delivery question answered at the workshop counter: no ticket
        product = next((p for p in self.shop.products if line and p.sku == line.sku), None)
        slots = (ITEMS[item_key(product)] if product else GENERIC_ITEM).slots()
        lang = self.voice.language(bool(customer and customer.country != "FR"))
        person = (
            customer.person
            if customer
            else (
                self.r_people.choice(catalog.FIRST_NAMES),
                self.r_people.choice(catalog.LAST_NAMES),
            )
        )
        subject, description = self.voice.ticket(
            themes, slots, lang, pii=r.random() < 0.05, person=person
        )
        ticket_id = f"T{len(self.support.tickets) + 10001}"
        open_ticket = at > self.end - dt.timedelta(days=6) and r.random() < 0.7
        solved = None if open_ticket else later(r, at, 0, 5)
        if solved is not None and solved >= self.end:
            solved = None
        status = (
            ("open" if r.random() < 0.6 else "pending")
            if solved is None
            else weighted(r, ("solved", "closed"), (0.4, 0.6))
        )
        if customer:
            email = email_variant(customer.email, r)
        else:
            domain = r.choice(("gmail.com", "orange.fr", "free.fr"))
            email = f"prospect{len(self.support.tickets)}@{domain}"
        tags = "|".join(t for t in (TAGS.get(th, "") for th in (themes or ["admin"])) if t)
        self.support.tickets.append(
            {
                "ticket_id": ticket_id,
                "created_at": at,
                "requester_email": email,
                "customer_id": customer.customer_id if customer and r.random() < 0.6 else None,
                "solved_at": solved,
                "channel": weighted(r, *TICKET_CHANNELS),
                "status": status,
                "priority": weighted(
                    r, ("low", "normal", "high", "urgent"), (0.2, 0.6, 0.15, 0.05)
                ),
                "subject": subject,
                "description": description,
                "tags": tags,
                "sku": sku,
                "first_reply_hours": round(r.lognormvariate(1.2, 0.8), 1),
                "requester_name": self.requester_name(person),
            }
        )
        self.record("ticket", f"{subject}\n{description}", at, offer, segment)
        self.comments(ticket_id, at, solved, themes, slots, lang, offer, segment, person)
        if solved is not None and r.random() < 0.52:
            self.rating(ticket_id, solved, themes, slots, lang, offer, segment)

    def comments(
        self,
        ticket_id: str,
        at: dt.datetime,
        solved: dt.datetime | None,
        themes: list[str],
        slots: dict[str, str],
        lang: str,
        offer: str | None,
        segment: str,
        person: tuple[str, str],
    ) -> None:
        r = self.r
        count = 1 + weighted(r, (0, 1, 2, 3), (0.2, 0.4, 0.3, 0.1))  # type: ignore[arg-type]
        last = solved or min(self.end - dt.timedelta(minutes=1), at + dt.timedelta(days=3))
        step = (last - at) / (count + 1)
        for k in range(count):
            when = at + step * (k + 1)
            role = "agent" if k % 2 == 0 else "customer"
            spoken = [t for t in themes if t != UNLABELLED]
            mention = (
                [r.choice(spoken)] if spoken and role == "customer" and r.random() < 0.9 else []
            )
            body = self.voice.comment(
                role,
                mention,
                slots,
                lang,
                pii=role == "customer" and r.random() < 0.04,
                person=person,
            )
            exported = body
            if (
                role == "customer"
                and when >= self.widget_since
                and self.r_people.random() < P_WIDGET
            ):
                exported = widget_html(body)
            self.support.comments.append(
                {
                    "comment_id": f"CM{len(self.support.comments) + 1:06d}",
                    "ticket_id": ticket_id,
                    "created_at": when,
                    "author_role": role,
                    "body": exported,
                }
            )
            self.record(
                "ticket_comment" if role == "customer" else "agent_comment",
                body,
                when,
                offer,
                segment,
            )

    def rating(
        self,
        ticket_id: str,
        solved: dt.datetime,
        themes: list[str],
        slots: dict[str, str],
        lang: str,
        offer: str | None,
        segment: str,
    ) -> None:
        r = self.r
        at = solved + dt.timedelta(hours=r.randint(1, 48))
        if at >= self.end:
            return
        good = r.random() < (0.7 if "delivery" in themes else 0.86)
        if at < self.five_point_since:
            score = "good" if good else "bad"
        else:
            score = str(r.choice((4, 5, 5)) if good else r.choice((1, 2, 2, 3)))
        comment = None
        if r.random() < 0.6:
            spoken = [t for t in themes if t != UNLABELLED]
            mention = [r.choice(spoken)] if spoken and r.random() < 0.85 else []
            comment = self.voice.satisfaction_comment(good, mention, slots, lang)
            self.record("satisfaction", comment, at, offer, segment)
        self.support.ratings.append(
            {
                "rating_id": f"S{len(self.support.ratings) + 1:06d}",
                "ticket_id": ticket_id,
                "created_at": at,
                "score": score,
                "comment": comment,
            }
        )


def build_support(
    plan: Plan, seed: int, voice: Voice, matcher: ThemeMatcher, shop: Shop
) -> Support:
    return SupportBuilder(plan, seed, voice, matcher, shop).build()
