"""The demo CRM: accounts, their contacts, deals and the sales team's notes.

Accounts come from the shop's professional customers (plus a few b2c loyalty
accounts, partner shops and prospects that never ordered). Contacts are the same
people as the shop's customers, but their emails were typed into the CRM by hand.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

import numpy as np

from flows.demo import catalog
from flows.demo.matching import ThemeMatcher
from flows.demo.model import Account, Doc
from flows.demo.realistic import STAFF_NOTES_PER_ACCOUNT_MONTH
from flows.demo.realistic_texts import STAFF_NOTE_TEMPLATES
from flows.demo.scenarios import Plan, daytime, draw_controls, later, month_key
from flows.demo.shop import Shop, slug, weighted
from flows.demo.support import email_variant
from flows.demo.voice import Voice, planted_themes

DEAL_SKUS: dict[str, tuple[str, ...]] = {
    "trades": ("TA-301-DENIM", "TA-302-TOILE", "TA-303-BAVETTE", "TA-306-DEMI", "CH-202-MARINE"),
    "businesses": ("TS-501-BLANC", "TS-502-NOIR", "GC-050", "GC-100"),
    "nonprofits": ("TS-501-BLANC", "TS-503-CHINE", "TA-302-TOILE", "GC-025"),
    "partner": ("GC-025", "GC-050", "KIT-ENTRETIEN", "TS-504-MARINIERE"),
}
OPEN_STAGES = ("qualification", "proposal", "negotiation")


@dataclass
class Crm:
    accounts: list[dict[str, object]] = field(default_factory=list)
    contacts: list[dict[str, object]] = field(default_factory=list)
    deals: list[dict[str, object]] = field(default_factory=list)
    notes: list[dict[str, object]] = field(default_factory=list)
    docs: list[Doc] = field(default_factory=list)


class CrmBuilder:
    def __init__(
        self, plan: Plan, seed: int, voice: Voice, matcher: ThemeMatcher, shop: Shop
    ) -> None:
        self.plan = plan
        self.r = random.Random(seed * 1000 + 2)
        self.voice = voice
        self.matcher = matcher
        self.shop = shop
        self.crm = Crm()
        self.end = dt.datetime.combine(plan.timeline.end, dt.time())
        self.start = dt.datetime.combine(plan.timeline.start, dt.time())
        self.prices = {p.sku: p.price for p in catalog.PRODUCTS}
        self.contact_created: dict[str, dt.datetime] = {}

    def month(self, when: dt.datetime) -> int:
        return self.plan.timeline.index(month_key(when.date()))

    def extra_accounts(self) -> list[Account]:
        """Partner shops and prospects: CRM accounts with no shop customer behind them."""
        r = self.r
        n = max(3, len(self.shop.accounts) // 12)
        accounts = []
        span = (self.end - self.start).days
        for i in range(n):
            partner = i % 3 != 0
            when = daytime(r, self.start.date() + dt.timedelta(days=r.randrange(span)))
            if partner:
                name = f"{r.choice(catalog.PARTNER_PREFIXES)} {r.choice(catalog.PLACE_SUFFIXES)}"
                account = Account(
                    f"ACC-{len(self.shop.accounts) + i + 1:04d}",
                    name,
                    "partner",
                    "retail",
                    "1-9",
                    "FR",
                    "partner",
                    when,
                )
            else:
                industry = r.choice(("hospitality", "crafts", "services"))
                prefix = r.choice(catalog.ACCOUNT_PREFIXES[industry])
                name = f"{prefix} {r.choice(catalog.PLACE_SUFFIXES)}"
                segment = "businesses" if industry == "services" else "trades"
                account = Account(
                    f"ACC-{len(self.shop.accounts) + i + 1:04d}",
                    name,
                    "b2b",
                    industry,
                    "1-9",
                    "FR",
                    segment,
                    when,
                )
            accounts.append(account)
        return accounts

    def build(self) -> Crm:
        r = self.r
        accounts = self.shop.accounts + self.extra_accounts()
        customers = {c.customer_id: c for c in self.shop.customers}
        contacts_by_account: dict[str, list[str]] = {}
        for account in accounts:
            self.crm.accounts.append(
                {
                    "account_id": account.account_id,
                    "name": account.name,
                    "type": account.type,
                    "industry": account.industry,
                    "size_band": account.size_band,
                    "country": account.country,
                    "created_at": account.created,
                }
            )
            people = [
                (customers[cid].email, customers[cid].created) for cid in account.customer_ids
            ]
            if not people:
                domain = slug(account.name).replace("-", "")[:18] + ".fr"
                people = [
                    (f"{local}@{domain}", account.created)
                    for local in ("contact", "gerance")[: r.randint(1, 2)]
                ]
            for email, created in people:
                contact_id = f"CT{len(self.crm.contacts) + 1:05d}"
                contacts_by_account.setdefault(account.account_id, []).append(contact_id)
                self.crm.contacts.append(
                    {
                        "contact_id": contact_id,
                        "account_id": account.account_id,
                        "email": email_variant(email, r),
                        "created_at": max(account.created, created)
                        + dt.timedelta(hours=r.randint(1, 200)),
                        "lifecycle_stage": "customer"
                        if account.customer_ids
                        else weighted(r, ("lead", "opportunity"), (0.6, 0.4)),
                    }
                )
                self.contact_created[contact_id] = self.crm.contacts[-1]["created_at"]  # type: ignore[assignment]
        # Shop customers who subscribed to the newsletter through the CRM, with no account.
        for customer in self.shop.customers:
            if customer.account is None and "newsletter" in customer.tags and r.random() < 0.05:
                self.crm.contacts.append(
                    {
                        "contact_id": f"CT{len(self.crm.contacts) + 1:05d}",
                        "account_id": None,
                        "email": email_variant(customer.email, r),
                        "created_at": customer.created + dt.timedelta(hours=r.randint(1, 48)),
                        "lifecycle_stage": "subscriber",
                    }
                )
        for account in accounts:
            if account.type != "b2c":
                self.deals_for(account)
            self.notes_for(account, contacts_by_account.get(account.account_id, []))
        if self.plan.realistic:
            for account in accounts:
                if account.type != "b2c":
                    self.staff_notes_for(account, contacts_by_account.get(account.account_id, []))
        return self.crm

    def staff_notes_for(self, account: Account, contact_ids: list[str]) -> None:
        """Realistic mode: the sales team's templated call notes (not customer voice)."""
        realistic = self.plan.realistic
        assert realistic is not None
        r = realistic.rng
        first = max(account.created, self.start)
        months = max((self.end - first).days / 30.4, 0.0)
        n = int(
            np.random.default_rng(r.randrange(2**32)).poisson(
                months * STAFF_NOTES_PER_ACCOUNT_MONTH
            )
        )
        for _ in range(n):
            days = (self.end - first).days
            if days < 1:
                return
            at = daytime(r, first.date() + dt.timedelta(days=r.randrange(days)))
            if not first < at < self.end:
                continue
            body = r.choice(STAFF_NOTE_TEMPLATES).format(year=at.year)
            self.crm.notes.append(
                {
                    "note_id": f"N{len(self.crm.notes) + 1:06d}",
                    "created_at": at,
                    "body": body,
                    "account_id": account.account_id,
                    "contact_id": self.known(r.choice(contact_ids) if contact_ids else None, at),
                    "deal_id": None,
                    "author_role": "staff",
                }
            )
            self.crm.docs.append(
                Doc("staff_note", self.month(at), None, account.segment,
                    self.matcher.themes(body), False, frozenset())
            )  # fmt: skip
            realistic.count("staff_notes")

    def random_time_after(self, when: dt.datetime) -> dt.datetime | None:
        first = max(when, self.start)
        days = (self.end - first).days
        if days < 1:
            return None
        moment = daytime(self.r, first.date() + dt.timedelta(days=self.r.randrange(days)))
        return moment if first < moment < self.end else None

    def deals_for(self, account: Account) -> None:
        r = self.r
        lam = 1.0 if account.segment in ("trades", "partner") else 0.6
        n = sum(1 for _ in range(4) if r.random() < lam / 4)
        pool = DEAL_SKUS.get(account.segment, DEAL_SKUS["businesses"])
        for _ in range(n):
            created = self.random_time_after(account.created)
            if created is None:
                continue
            skus = sorted(set(r.sample(pool, r.randint(1, min(3, len(pool))))))
            qty = r.randint(5, 40)
            amount = round(sum(self.prices[s] for s in skus) * qty * r.choice((0.85, 0.9, 1.0)), 2)
            closed = later(r, created, 7, 75)
            outcome, stage, lost_reason = "open", r.choice(OPEN_STAGES), None
            if closed < self.end and r.random() < 0.9:
                if r.random() < 0.55:
                    outcome, stage = "won", "closed_won"
                else:
                    outcome, stage = "lost", "closed_lost"
                    lost_reason = self.voice.lost_reason(draw_controls(r, None))
                    self.crm.docs.append(
                        Doc(
                            "lost_deal",
                            self.month(closed),
                            None,
                            account.segment,
                            self.matcher.themes(lost_reason),
                            False,
                        )
                    )
            what = {
                "TA": "Tabliers",
                "TS": "T-shirts",
                "GC": "Cartes cadeaux",
                "CH": "Chinos",
                "KI": "Kits",
            }[skus[0][:2]]
            self.crm.deals.append(
                {
                    "deal_id": f"D{len(self.crm.deals) + 1:05d}",
                    "account_id": account.account_id,
                    "title": f"{what} - {account.name}",
                    "amount": amount,
                    "currency": "EUR",
                    "stage": stage,
                    "created_at": created,
                    "closed_at": closed if outcome != "open" else None,
                    "outcome": outcome,
                    "lost_reason": lost_reason,
                    "skus": "|".join(skus),
                }
            )

    def known(self, contact_id: str | None, at: dt.datetime) -> str | None:
        """The contact a note names, if the CRM already holds it when the note is written."""
        return contact_id if contact_id and self.contact_created[contact_id] < at else None

    @staticmethod
    def known_deal(deal: dict[str, object] | None, at: dt.datetime) -> object:
        """The deal a note names, if it already exists when the note is written."""
        return deal["deal_id"] if deal and deal["created_at"] < at else None  # type: ignore[operator]

    def notes_for(self, account: Account, contact_ids: list[str]) -> None:
        r = self.r
        lam = 0.4 if account.type == "b2c" else 3.0
        n = sum(1 for _ in range(8) if r.random() < lam / 8)
        deals = [d for d in self.crm.deals if d["account_id"] == account.account_id] if n else []
        for _ in range(n):
            at = self.random_time_after(account.created)
            if at is None:
                continue
            m = self.month(at)
            themes = draw_controls(r, None)
            if account.segment == "trades" and r.random() < self.plan.p_professional_use(
                m, "trades"
            ):
                themes.insert(0, "professional-use")
            elif account.type in ("nonprofit", "public") and r.random() < 0.12:
                themes.insert(0, "donation")
            elif account.type == "partner" and r.random() < 0.2:
                themes.insert(0, "local-partners")
            if self.plan.realistic:
                themes += self.plan.realistic.mentions(m, "note")
            body = self.voice.note(themes)
            self.crm.notes.append(
                {
                    "note_id": f"N{len(self.crm.notes) + 1:06d}",
                    "created_at": at,
                    "body": body,
                    "account_id": account.account_id,
                    "contact_id": self.known(
                        r.choice(contact_ids) if contact_ids and r.random() < 0.6 else None, at
                    ),
                    "deal_id": self.known_deal(
                        r.choice(deals) if deals and r.random() < 0.3 else None, at
                    ),
                    # realistic mode: notes of what the customer said, apart from the
                    # sales team's own templated notes
                    **({"author_role": "customer"} if self.plan.realistic else {}),
                }
            )
            self.crm.docs.append(
                Doc(
                    "note",
                    m,
                    "apron" if "professional-use" in themes else None,
                    account.segment,
                    self.matcher.themes(body),
                    False,
                    planted_themes(themes) if self.plan.realistic else None,
                )
            )


def build_crm(plan: Plan, seed: int, voice: Voice, matcher: ThemeMatcher, shop: Shop) -> Crm:
    return CrmBuilder(plan, seed, voice, matcher, shop).build()
