"""The demo CRM: accounts, their contacts, deals and notes.

Accounts come from the shop's professional customers (plus a few b2c loyalty
accounts, partner shops and prospects that never ordered). Contacts are the same
people as the shop's customers, but their emails and names were typed into the CRM by
hand. Notes are of three kinds: messages the customer wrote (an e-mail or the contact
form, logged in the CRM: customer voice), what the sales team logs (calls, mails sent,
reports of what the customer asked: staff text), and what the CRM writes by itself when
a field changes (staff text, in capitals). Notes carry their author role, except part of
the activity log, imported from the former CRM, which had no such field.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from flows.demo import catalog
from flows.demo.matching import ThemeMatcher
from flows.demo.model import Account, Doc
from flows.demo.scenarios import Plan, daytime, draw_controls, later, month_key
from flows.demo.shop import Shop, slug, weighted
from flows.demo.support import email_variant
from flows.demo.voice import Voice

DEAL_SKUS: dict[str, tuple[str, ...]] = {
    "trades": ("TA-301-DENIM", "TA-302-TOILE", "TA-303-BAVETTE", "TA-306-DEMI", "CH-202-MARINE"),
    "businesses": ("TS-501-BLANC", "TS-502-NOIR", "GC-050", "GC-100"),
    "nonprofits": ("TS-501-BLANC", "TS-503-CHINE", "TA-302-TOILE", "GC-025"),
    "partner": ("GC-025", "GC-050", "KIT-ENTRETIEN", "TS-504-MARINIERE"),
}
OPEN_STAGES = ("qualification", "proposal", "negotiation")
P_NOTE_BY_CUSTOMER = 0.7  # a note about a subject the customer raised is their own message
P_SYSTEM_NOTE = 0.25  # a note about nothing in particular is a field change the CRM logged
# The activity log imported from the former CRM (calls, mails sent, field changes) has no
# author role: Terrain must recognise it as staff text (system messages, templates).
P_STAFF_ROLE_MISSING = 0.4


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
        # Who wrote a note and the names typed into the CRM: draws of their own, so the
        # planted stories (drawn with self.r) do not move when they change.
        self.r_people = random.Random(seed * 1000 + 12)
        self.crm = Crm()
        self.people: dict[str, tuple[str, str]] = {}  # contact id -> (first, last)
        self.end = dt.datetime.combine(plan.timeline.end, dt.time())
        self.start = dt.datetime.combine(plan.timeline.start, dt.time())
        self.prices = {p.sku: p.price for p in catalog.PRODUCTS}

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
                (customers[cid].email, customers[cid].created, customers[cid].person)
                for cid in account.customer_ids
            ]
            if not people:
                domain = slug(account.name).replace("-", "")[:18] + ".fr"
                people = [
                    (f"{local}@{domain}", account.created, self.someone())
                    for local in ("contact", "gerance")[: r.randint(1, 2)]
                ]
            for email, created, person in people:
                contact_id = f"CT{len(self.crm.contacts) + 1:05d}"
                contacts_by_account.setdefault(account.account_id, []).append(contact_id)
                self.people[contact_id] = person
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
                        **self.typed_names(person),
                    }
                )
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
                        **self.typed_names(customer.person),
                    }
                )
        for account in accounts:
            if account.type != "b2c":
                self.deals_for(account)
            self.notes_for(account, contacts_by_account.get(account.account_id, []))
        return self.crm

    def someone(self) -> tuple[str, str]:
        """A person the shop does not know (a prospect's manager)."""
        return (
            self.r_people.choice(catalog.FIRST_NAMES),
            self.r_people.choice(catalog.LAST_NAMES),
        )

    def typed_names(self, person: tuple[str, str]) -> dict[str, str | None]:
        """first_name / last_name as a salesperson typed them (or left them blank)."""
        first, last = person
        roll = self.r_people.random()
        if roll < 0.1:
            return {"first_name": None, "last_name": None}
        if roll < 0.25:
            return {"first_name": first, "last_name": last.upper()}
        if roll < 0.32:
            return {"first_name": first.lower(), "last_name": last.lower()}
        return {"first_name": first, "last_name": last}

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
            contact_id = r.choice(contact_ids) if contact_ids and r.random() < 0.6 else None
            deal_id = r.choice(deals)["deal_id"] if deals and r.random() < 0.3 else None
            person = self.people.get(contact_id or "") or self.someone()
            by_customer = bool(themes) and self.r_people.random() < P_NOTE_BY_CUSTOMER
            if by_customer:
                body = self.voice.customer_note(themes, person, pii=self.r_people.random() < 0.15)
            elif themes:
                body = self.voice.note(themes)  # the salesperson's report of the request
            else:
                body = self.voice.staff_note(person, system=self.r_people.random() < P_SYSTEM_NOTE)
            role = "customer" if by_customer else "staff"
            self.crm.notes.append(
                {
                    "note_id": f"N{len(self.crm.notes) + 1:06d}",
                    "created_at": at,
                    "body": body,
                    "account_id": account.account_id,
                    "contact_id": contact_id,
                    "deal_id": deal_id,
                    "author_role": None
                    if not themes and self.r_people.random() < P_STAFF_ROLE_MISSING
                    else role,
                }
            )
            self.crm.docs.append(
                Doc(
                    "note" if by_customer else "staff_note",
                    m,
                    "apron" if "professional-use" in themes else None,
                    account.segment,
                    self.matcher.themes(body),
                    False,
                )
            )


def build_crm(plan: Plan, seed: int, voice: Voice, matcher: ThemeMatcher, shop: Shop) -> Crm:
    return CrmBuilder(plan, seed, voice, matcher, shop).build()
