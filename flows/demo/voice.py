"""Writes the demo's customer, agent and sales texts.

Callers decide which themes a text mentions; this module turns that decision
into plausible, slightly messy prose (French or English, typos, missing
accents, text-message spelling, pasted phone numbers) and checks, with the
intent file's own terms, that the text mentions exactly those themes.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from flows.demo import catalog, texts
from flows.demo.matching import ThemeMatcher, normalise

UNLABELLED = "unlabelled"  # pseudo-theme: the cushion-cover phrase no theme names
Person = tuple[str, str]  # (first name, last name) of who writes
# Who writes when the caller does not say (a made-up person, not in any name column).
ANONYMOUS: Person = ("Lou", "Garnier")


def slug_name(name: str) -> str:
    """A name as it goes in a mailbox: lower case, no accents, no spaces."""
    return texts.strip_accents(name).lower().replace(" ", "").replace("'", "")


def mentions_unlabelled(text: str) -> bool:
    norm = normalise(text)
    return (
        f" {texts.UNLABELLED_PHRASE['fr']} " in norm or f" {texts.UNLABELLED_PHRASE['en']}" in norm
    )


class Voice:
    def __init__(self, rng: random.Random, matcher: ThemeMatcher) -> None:
        self.rng = rng
        self.matcher = matcher

    # -- building blocks ----------------------------------------------------------------

    def language(self, abroad: bool = False) -> str:
        return "en" if self.rng.random() < (0.6 if abroad else 0.12) else "fr"

    def pick(self, pool: Sequence[str]) -> str:
        return pool[self.rng.randrange(len(pool))]

    def theme_sentence(
        self, theme: str, lang: str, slots: dict[str, str], tone: str | None = None
    ) -> str:
        if theme == UNLABELLED:
            return self.pick(texts.UNLABELLED[lang])
        pool = texts.THEME[theme][lang]
        if tone == "positive":
            pool = tuple(s for s in pool if s in texts.PRAISE) or pool
        elif tone == "negative":
            pool = tuple(s for s in pool if s not in texts.PRAISE) or pool
        return texts.fill(self.pick(pool), slots)

    def filler(self, tone: str, lang: str, slots: dict[str, str]) -> str:
        sentence = texts.fill(self.pick(texts.FILLER[tone][lang]), slots)
        return self.roughen(sentence, lang)

    def roughen(self, sentence: str, lang: str) -> str:
        """Informal spelling and typos, only ever on sentences that carry no theme."""
        if lang == "fr" and self.rng.random() < 0.15:
            sentence = texts.casual(sentence, self.rng)
        if self.rng.random() < 0.12:
            sentence = texts.typo(sentence, self.rng)
        return sentence

    def phone(self) -> str:
        r = self.rng
        parts = {"a": str(r.choice((6, 7, 1, 4, 9)))}
        parts.update({k: f"{r.randrange(100):02d}" for k in "bcde"})
        return self.pick(texts.PHONE_FORMATS).format(**parts)

    def email(self, person: Person) -> str:
        first, last = (slug_name(part) for part in person)
        domain = self.pick(("gmail.com", "orange.fr", "free.fr", "laposte.net"))
        name, tld = domain.rsplit(".", 1)
        return self.pick(texts.EMAIL_FORMATS).format(
            f=first,
            l=last,
            fa=person[0].lower().replace(" ", ""),
            la=person[1].lower().replace(" ", ""),
            F=first.upper(),
            L=last.upper(),
            domain=domain,
            DOMAIN=domain.upper(),
            name=name,
            tld=tld,
        )

    def address(self) -> str:
        r = self.rng
        city, postal, _ = self.pick(catalog.CITIES_FR)
        street = self.pick(texts.STREETS).format(n=r.randint(1, 140))
        return f"{street}, {postal} {city}" if r.random() < 0.7 else f"{street} {postal} {city}"

    def personal(self, person: Person) -> dict[str, str]:
        """Slots of a text carrying personal data: the writer's names, a phone, an address."""
        r = self.rng
        first, last = person
        address = self.address()
        email = self.email(person)
        slots = {
            "first": first,
            "last": last,
            "LAST": last.upper(),
            "phone": self.phone(),
            "email": email,
            "EMAIL": email.upper(),
            "address": address,
            "ADDRESS": address.upper(),
        }
        slots.update({f"p{i}": f"{r.randrange(100):02d}" for i in range(1, 5)})
        return slots

    def pii(self, lang: str, person: Person | None = None) -> str:
        """A sentence with personal data: a phone, an e-mail, bank details, an address, a name."""
        return self.pick(texts.PII_SENTENCES[lang]).format(**self.personal(person or ANONYMOUS))

    def finish(self, text: str, lang: str) -> str:
        """Whole-text habits: no accents, all lower-case, shouting."""
        r = self.rng
        if lang == "fr" and r.random() < 0.15:
            text = texts.strip_accents(text)
        roll = r.random()
        if roll < 0.05:
            text = text.lower()
        elif roll < 0.08:
            text = text.rstrip(".") + " !!"
        return text

    def checked(self, build: Callable[[], str], themes: frozenset[str], what: str) -> str:
        """Build a text until it mentions exactly `themes` (drawn again on a chance match)."""
        expected = themes - {UNLABELLED}
        for _ in range(20):
            text = build()
            if self.matcher.themes(text) == expected:
                return text
        raise RuntimeError(
            f"demo texts: could not write a {what} mentioning exactly {sorted(expected)}; "
            f"last attempt {text!r} mentions {sorted(self.matcher.themes(text))}"
        )

    def body(
        self,
        themes: Sequence[str],
        tone: str,
        lang: str,
        slots: dict[str, str],
        pii: bool = False,
        fillers: tuple[int, int] = (0, 2),
        person: Person | None = None,
    ) -> str:
        """Sentences on `themes` mixed with theme-free sentences of `tone`."""
        r = self.rng
        sentences = [self.theme_sentence(t, lang, slots, tone) for t in themes]
        count = r.randint(*fillers) if themes else max(1, r.randint(*fillers))
        pool = texts.FILLER[tone][lang]
        for template in r.sample(pool, min(count, len(pool))):
            sentence = self.roughen(texts.fill(template, slots), lang)
            sentences.insert(r.randrange(len(sentences) + 1), sentence)
        if pii:
            sentences.append(self.pii(lang, person))
        return self.finish(" ".join(sentences), lang)

    # -- documents ----------------------------------------------------------------------

    def review(
        self,
        themes: Sequence[str],
        rating: int,
        slots: dict[str, str],
        lang: str,
        pii: bool = False,
        hostile: str | None = None,
        person: Person | None = None,
    ) -> tuple[str, str]:
        band = "good" if rating >= 4 else ("mixed" if rating == 3 else "bad")
        tone = {"good": "positive", "mixed": "neutral", "bad": "negative"}[band]

        def build() -> str:
            title = self.pick(texts.REVIEW_TITLES[band][lang])
            text = self.body(themes, tone, lang, slots, pii=pii, fillers=(0, 2), person=person)
            if hostile:
                text = f"{text} {hostile}"
            return title + "\n" + text

        title, _, text = self.checked(build, frozenset(themes), "review").partition("\n")
        return title, text

    def ticket(
        self,
        themes: Sequence[str],
        slots: dict[str, str],
        lang: str,
        pii: bool = False,
        person: Person | None = None,
    ) -> tuple[str, str]:
        r = self.rng
        topic = themes[0] if themes else "admin"

        def build() -> str:
            subject = self.pick(
                texts.TICKET_SUBJECTS.get(topic, texts.TICKET_SUBJECTS["admin"])[lang]
            )
            lines = []
            greeting = self.pick(texts.GREETINGS[lang])
            if greeting:
                lines.append(greeting)
            if themes:
                lines.append(
                    " ".join(self.theme_sentence(t, lang, slots, "negative") for t in themes)
                )
            else:
                lines.append(self.roughen(self.pick(texts.TICKET_ADMIN[lang]), lang))
            if r.random() < 0.3:
                lines.append(
                    self.filler(self.pick(("positive", "negative", "neutral")), lang, slots)
                )
            if pii:
                lines.append(self.pii(lang, person))
            signoff = self.pick(texts.SIGNOFFS[lang])
            if signoff:
                lines.append(signoff)
            separator = "\n\n" if r.random() < 0.5 else " "
            return subject + "\n" + self.finish(separator.join(lines), lang)

        subject, _, description = self.checked(build, frozenset(themes), "ticket").partition("\n")
        return subject, description

    def comment(
        self,
        author_role: str,
        themes: Sequence[str],
        slots: dict[str, str],
        lang: str,
        pii: bool = False,
        person: Person | None = None,
    ) -> str:
        if author_role == "agent":
            return self.checked(lambda: self.pick(texts.AGENT_REPLIES[lang]), frozenset(), "reply")

        def build() -> str:
            parts = [self.theme_sentence(t, lang, slots, "negative") for t in themes]
            parts.append(self.roughen(self.pick(texts.CUSTOMER_FOLLOWUPS[lang]), lang))
            if pii:
                parts.append(self.pii(lang, person))
            return self.finish(" ".join(parts), lang)

        return self.checked(build, frozenset(themes), "ticket comment")

    def satisfaction_comment(
        self, good: bool, themes: Sequence[str], slots: dict[str, str], lang: str
    ) -> str:
        pool = texts.SATISFACTION_COMMENTS["good" if good else "bad"][lang]

        def build() -> str:
            parts = [
                self.theme_sentence(t, lang, slots, "positive" if good else "negative")
                for t in themes
            ]
            parts.insert(0, self.roughen(self.pick(pool), lang))
            return self.finish(" ".join(parts), lang)

        return self.checked(build, frozenset(themes), "satisfaction comment")

    def return_reason(self, code: str, lang: str) -> str:
        return self.finish(self.pick(texts.RETURN_REASONS[code][lang]), lang)

    def lost_reason(self, themes: Sequence[str]) -> str:
        def build() -> str:
            return " ; ".join(self.pick(texts.LOST_REASONS[t]) for t in (themes or ["none"]))

        return self.checked(build, frozenset(themes), "lost-deal reason")

    def note(self, themes: Sequence[str]) -> str:
        """What a salesperson writes after talking with the customer (staff text)."""

        def build() -> str:
            return self.finish(
                " ".join(self.pick(texts.NOTES[t]) for t in (themes or ["none"])), "fr"
            )

        return self.checked(build, frozenset(themes), "note")

    def customer_note(self, themes: Sequence[str], person: Person, pii: bool = False) -> str:
        """A message the customer wrote to the sales team, logged in the CRM."""
        slots = self.personal(person)

        def build() -> str:
            lines = [self.pick(texts.NOTE_GREETINGS).format(**slots)]
            lines.append(" ".join(self.pick(texts.CUSTOMER_NOTES[t]) for t in themes))
            if pii:
                lines.append(self.pick(texts.PII_SENTENCES["fr"]).format(**slots))
            lines.append(self.pick(texts.NOTE_SIGNOFFS).format(**slots))
            return self.finish("\n".join(line for line in lines if line), "fr")

        return self.checked(build, frozenset(themes), "customer note")

    def staff_note(self, person: Person, system: bool = False) -> str:
        """What the sales team or the CRM itself logs: staff text, whatever it mentions."""
        pool = texts.SYSTEM_NOTES if system else texts.STAFF_NOTES
        return self.pick(pool).format(**self.personal(person))
