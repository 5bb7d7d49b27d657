"""Personal-data redactor for customer voice, run before any text leaves the raw layer.

Reviews, support tickets, CRM notes and return reasons carry e-mail addresses, phone
numbers, bank details, postal addresses and person names. `Redactor` replaces each one
with a readable token (`[email]`, `[phone]`, `[iban]`, `[card]`, `[address]`, `[name]`)
so analysts can still read the sentence, while keeping what the brief needs: order and
ticket numbers, SKUs, prices, dates, quantities, brands, cities.

Standard library only, and no import from the rest of `flows`: the dbt model
`stg_voice__texts` runs it (through `flows.voice.texts`) on every free-text column of the
raw layer, and anything else can reuse it as it is.

Rules run in a fixed order, each on the output of the previous one, so that a rule never
eats the evidence another one needs:

1. e-mails (plain, then obfuscated): they contain names and digits;
2. IBANs, French RIBs and account numbers given after a label: they contain runs that
   look like card and phone numbers;
3. payment cards (and a CVV given after its label): 16 digits contain phone-like groups;
4. phone numbers;
5. postal addresses: street names contain person names ("avenue Jean Jaurès");
6. person names, last: by then every digit run and mailbox is already a token, and the
   name rules only look at words.

`KINDS` describes each kind in French and English for the brief's method appendix.
Run `python -m flows.voice.redaction --help` for the throughput benchmark.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import overload

__all__ = [
    "KINDS",
    "TOKENS",
    "Kind",
    "Redactor",
    "describe",
]


# --------------------------------------------------------------------------- kinds


@dataclass(frozen=True)
class Kind:
    """One kind of personal data the redactor removes, as the method appendix shows it."""

    kind: str
    token: str
    en: str
    fr: str


KINDS: tuple[Kind, ...] = (
    Kind(
        "email",
        "[email]",
        "E-mail addresses, including accented mailboxes and spaced or disguised forms "
        "([at], (at), arobase, [dot], 'name at domain dot com').",
        "Adresses e-mail, y compris les boîtes accentuées et les formes espacées ou "
        "déguisées ([at], (at), arobase, [dot], « nom at domaine dot com »).",
    ),
    Kind(
        "phone",
        "[phone]",
        "Phone numbers in French, European and North-American formats, with any "
        "separators, international prefixes (+33, 0033, +33 (0)) and parentheses.",
        "Numéros de téléphone aux formats français, européens et nord-américains, quels "
        "que soient les séparateurs, préfixes internationaux (+33, 0033, +33 (0)) et "
        "parenthèses.",
    ),
    Kind(
        "iban",
        "[iban]",
        "Bank details: IBANs with any grouping (even with a wrong check digit), French "
        "RIBs, and account numbers or sort codes given after their label.",
        "Coordonnées bancaires : IBAN quel que soit le groupement (même avec une clé "
        "fausse), RIB français, et numéros de compte ou codes guichet donnés après leur "
        "libellé.",
    ),
    Kind(
        "card",
        "[card]",
        "Payment card numbers with any separators (card layouts even with a typo, other "
        "runs when the Luhn checksum holds) and security codes given after their label; "
        "masked numbers (last four digits) are kept.",
        "Numéros de carte bancaire quels que soient les séparateurs (groupements de carte "
        "même avec une faute de frappe, autres suites si la clé de Luhn est juste) et "
        "cryptogrammes donnés après leur libellé ; les numéros masqués (4 derniers "
        "chiffres) sont conservés.",
    ),
    Kind(
        "address",
        "[address]",
        "Postal addresses: house number and street (French, Belgian, Swiss, British, "
        "North-American, German, Italian and Spanish forms), named places (lieu-dit, "
        "résidence, business zone), postcode with its town or after 'CP', UK and Canadian "
        "postcodes, US state and ZIP, flat and building numbers, PO boxes, door codes.",
        "Adresses postales : numéro et voie (formes française, belge, suisse, britannique, "
        "nord-américaine, allemande, italienne et espagnole), lieux-dits, résidences et "
        "zones d'activité, code postal avec sa ville ou après « CP », codes postaux "
        "britanniques et canadiens, État et ZIP américains, numéros d'appartement et de "
        "bâtiment, boîtes postales, digicodes.",
    ),
    Kind(
        "name",
        "[name]",
        "Person names: every name the warehouse holds (customers, contacts, support "
        "requesters, private accounts), accent- and case-insensitive, a person's first and "
        "last names side by side in any case, names that are also ordinary words only "
        "where used as a name; and any capitalised name after a title (Mme, M., Mr, "
        "Dr...), a form label (Nom :, Name:), a sign-off, 'my name is', 'avec', alone on "
        "the last line of a message, or before an e-mail address.",
        "Noms de personnes : tous les noms connus de l'entrepôt (clients, contacts, "
        "demandeurs du support, comptes de particuliers), sans tenir compte des accents ni "
        "de la casse, le prénom et le nom d'une même personne côte à côte quelle que soit "
        "la casse, ceux qui sont aussi des mots courants seulement quand ils sont employés "
        "comme nom ; et tout nom en majuscule après une civilité (Mme, M., Mr, Dr...), un "
        "libellé de formulaire (Nom :, Name:), une formule de politesse, « je m'appelle », "
        "« avec », seul sur la dernière ligne d'un message, ou devant une adresse e-mail.",
    ),
)

TOKENS: dict[str, str] = {kind.kind: kind.token for kind in KINDS}
_EMAIL, _PHONE, _IBAN, _CARD, _ADDRESS, _NAME = (
    TOKENS[k] for k in ("email", "phone", "iban", "card", "address", "name")
)


def describe(lang: str = "en") -> list[tuple[str, str]]:
    """(kind, one-line description) for each kind removed, in French or English."""
    if lang not in ("en", "fr"):
        raise ValueError(f"describe(lang={lang!r}): lang must be 'en' or 'fr'")
    return [(kind.kind, kind.fr if lang == "fr" else kind.en) for kind in KINDS]


# --------------------------------------------------------------------------- word lists
# Folded (lower-case, no accents) so they compare with `_fold` output.


def _words(block: str) -> frozenset[str]:
    return frozenset(_fold(word) for word in block.split())


# Words that open a sentence or fill a form but are never a person's name: they stop the
# structural name rules ("Monsieur le Directeur", "Bonjour Madame, Monsieur").
_STOPWORDS_BLOCK = """
a à au aux avec ce ces cet cette c d dans de des du elle elles en et eux il ils je j la
le les leur leurs lui ma mais me mes moi mon ne nos notre nous on ou où par pas pour qu
que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous y est sont ai as
avons avez ont été être suis es sommes êtes fait très plus moins bien mal oui non si
tout tous toute toutes rien merci bonjour bonsoir salut cordialement coucou hello hi hey
dear thanks thank regards cheers best madame monsieur mademoiselle mesdames messieurs
mesdemoiselles mme mmes mlle mlles m mm maître maitre docteur professeur dr pr prof sir
madam mr mrs ms miss mx client cliente clients customer customers service sav équipe
team support directeur directrice président présidente responsable gérant gérante
vendeur vendeuse conseiller conseillère livreur transporteur manager director commande
colis taille couleur size colour color après avant depuis pendant hier aujourd demain
ici là alors donc car puis aussi encore déjà jamais toujours nouveau nouvelle ancien
ancienne fidèle inconnu inconnue anonyme litige rappel objet envoyé re tr fwd fw
an and are at be been but by for from has have he her his i in is it its my no not of
on or our she so that the their them they this to us was we were what when which who
with you your yes sent iphone android subject issue order name phone address email
mail other new old all any some one two am pm
lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin
juillet août septembre octobre novembre décembre monday tuesday wednesday thursday
friday saturday sunday january february march april may june july august september
october november december
"""

# Person names that are also ordinary French or English words (colours, garments,
# qualities, common nouns, months). Such a known name is redacted only where it is used
# as a name: capitalised mid-sentence, next to another name, after a cue ("avec", "signed")
# or alone on a line. Extend with `Redactor(common_words=...)`.
_COMMON_WORD_NAMES_BLOCK = """
ambre ange aimé aimée amande aube aurore azur baron beau belle berger blanc blanche blond
blonde bois bon bonne bonnet boucher boulanger breton brun brune caille cannelle capucine
carré cerise chevalier ciel claire clair clément clémentine colombe comte constant
constance cousin cousine désiré doux douce duc espérance faucon félicité fidèle fleur
flore fontaine fort franc franche garance gentil grand grande gras gros hermine iris jade
jasmin jasmine jean joli jolie juste lac lapin lavande léger lièvre lion lilas loup lune
lys marchand marin marine martial merle meunier miel moulin mouton muguet neige noir
noire normand olive parfait pascal patience perle petit petite pierre pinson poire
poirier pomme prince prudence prune reine renard rivière roche rocher roi rose
rossignol roux rousse sage soleil vaillant vert verte victoire violette violet
page barre mat max ben bob
amber ash autumn baker bell berry bill bird black blue bond brandy bright brook
brown buck bush candy cash chase cherry cliff cook coral crystal dale dawn day dean drew
dusty earl earnest eve fair faith fern field fisher ford forest fox frank free gay gentle
ginger glen gold golden good grace grant gray green grey guy hall hardy hazel heath
heather holly honey hope hunt hunter ivory ivy jack jewel joy king lake lamb lane lark
laurel lily little long love major mark mason meadow melody miles miller misty moss
noble park pearl penny pepper pierce pike plum poppy porter price rain ray reed rich river
robin rock rosemary ruby rush rusty salmon sandy scarlet shepherd short silver sky small
smith snow sparrow spring steel sterling stone storm strong summer sunny swan sweet swift
wade ward white will winter wise wolf wood woods wren young harmony destiny liberty
honor justice pat sue rob art don bishop knight duke queen lord pope
"""

# Person names that are mostly seen as places, brands or holidays. Capitalisation is no
# evidence for them ("livré à Paris", "un polo Lacoste", "joyeux Noël"): only a title, a
# neighbouring name or a person cue makes them a name. Stop words (months, weekdays) are
# treated the same way.
_PROPER_NOUN_NAMES_BLOCK = """
noël pâques toussaint printemps august
paris france lyon marseille toulouse nice nantes bordeaux lille rennes reims strasbourg
montpellier tours orléans nancy florence valence vienne lourdes laval troyes angers
london berlin milan rome madrid bruxelles genève lausanne québec montréal jersey chelsea
austin houston dallas denver phoenix orlando lincoln madison washington jackson jordan
georgia virginia carolina victoria charlotte sydney adelaide brooklyn bristol oxford
cambridge york devon kent
lacoste chanel hermès dior gucci prada armani kenzo lanvin balmain givenchy jules brice
levi levis picard leclerc mercedes disney patagonia zara mango gap timberland dyson
michelin peugeot renault citroën
"""

# Brands, shops and titles that look like a person's name or like "title + name".
# Protected wholesale: no name rule fires inside them. Extend with
# `Redactor(protected_terms=...)`.
_PROTECTED_TERMS: tuple[str, ...] = (
    "Dr. Martens",
    "Dr Martens",
    "Doc Martens",
    "Dr. Pepper",
    "Dr Pepper",
    "Dr. Oetker",
    "Dr Oetker",
    "Dr. Hauschka",
    "Dr Hauschka",
    "Dr. Scholl",
    "Dr Scholl",
    "Dr. Pierre Ricaud",
    "Madame Figaro",
    "Monsieur Bricolage",
    "Mr Bricolage",
    "Mr. Bricolage",
    "Monsieur Propre",
    "Mr Propre",
    "Mr. Clean",
    "Mr Clean",
    "Mr Muscle",
    "Mr Porter",
    "Miss Dior",
    "Miss Sixty",
    "Miss Selfridge",
    "Ralph Lauren",
    "Polo Ralph Lauren",
    "Isabel Marant",
    "Saint James",
    "Petit Bateau",
    "Le Petit Prince",
    "Petit Prince",
    "Galeries Lafayette",
    "Printemps Haussmann",
    "Le Slip Français",
    "Jean Paul Gaultier",
    "Jean-Paul Gaultier",
    "Yves Saint Laurent",
    "Saint Laurent",
    "Louis Vuitton",
    "Christian Dior",
    "Christian Louboutin",
    "Pierre Cardin",
    "Hugo Boss",
    "Calvin Klein",
    "Tommy Hilfiger",
    "Paul Smith",
    "Ted Baker",
    "Marc Jacobs",
    "Michael Kors",
    "Kate Spade",
    "Tory Burch",
    "Stella McCartney",
    "Vivienne Westwood",
    "Karl Lagerfeld",
    "Sonia Rykiel",
    "Claudie Pierlot",
    "Gérard Darel",
    "Armand Thiery",
    "Eden Park",
    "Marks & Spencer",
    "Marks and Spencer",
    "Ben Sherman",
    "Fred Perry",
    "Levi Strauss",
    "Agnès b",
    "Paul & Joe",
)

_LOWER_PARTICLES = frozenset(
    "de d' du des van von der den da di del della dos das do ten ter zu y bin ben al el".split()
)
_CAP_PARTICLES = frozenset(
    "le la les de du des van von der den da di del della dos das el al ben bin mac mc "
    "st ste saint sainte ter ten".split()
)

# Words that follow a five-digit number without being a town ("35000 points").
_NOT_TOWNS_BLOCK = """
points point euros euro eur km kg g clients personnes ventes exemplaires pièces articles
commandes unités abonnés followers likes vues fois ans jours heures mois semaines steps
miles items orders customers people units pieces times years days hours weeks views
"""


# --------------------------------------------------------------------------- folding


def _build_fold_table() -> dict[int, str]:
    """Lower-case and strip accents one character to one character.

    Keeping the length lets a match in the folded text index the original text.
    """
    table: dict[int, str] = {}
    for cp in range(0x00C0, 0x0530):
        ch = chr(cp)
        low = ch.lower()
        if len(low) != 1:
            continue
        base = "".join(c for c in unicodedata.normalize("NFD", low) if not unicodedata.combining(c))
        folded = base if len(base) == 1 else low
        if folded != ch:
            table[cp] = folded
    for cp in range(ord("A"), ord("Z") + 1):
        table[cp] = chr(cp + 32)
    table.update({0x2019: "'", 0x2018: "'", 0x02BC: "'", 0x2010: "-", 0x2011: "-"})
    return table


_FOLD_TABLE = _build_fold_table()
_FOLD_NON_ASCII = {cp: folded for cp, folded in _FOLD_TABLE.items() if cp >= 0x80}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold_char(match: re.Match[str]) -> str:
    char = match.group()
    return _FOLD_NON_ASCII.get(ord(char), char)


def _fold(text: str) -> str:
    # str.lower() is C-fast; the per-character table only has to patch the few accented
    # letters and quotes. "İ".lower() is two characters: the table keeps the length.
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    if len(lowered) != len(text):
        return text.translate(_FOLD_TABLE)
    return _NON_ASCII.sub(_fold_char, lowered)


class _Text:
    """The text being redacted and its folded twin, kept aligned character for character.

    Folding is done once; every replacement token is lower-case ASCII, so replacing the
    same spans in both keeps `folded == _fold(text)`.
    """

    __slots__ = ("text", "folded")

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = _fold(text)

    def replace(self, spans: list[tuple[int, int]], token: str) -> None:
        """Replace sorted, non-overlapping spans by `token`."""
        if spans:
            self.text = _replace_spans(self.text, spans, token)
            self.folded = _replace_spans(self.folded, spans, token)


_STOPWORDS = _words(_STOPWORDS_BLOCK)
_COMMON_WORD_NAMES = _words(_COMMON_WORD_NAMES_BLOCK)
_PROPER_NOUN_NAMES = _words(_PROPER_NOUN_NAMES_BLOCK)
_NOT_TOWNS = _words(_NOT_TOWNS_BLOCK)
_PLACEHOLDER_WORDS = frozenset(TOKENS)


# --------------------------------------------------------------------------- regex parts

_L = r"[^\W\d_]"  # one letter, any script
_WORD = rf"{_L}+(?:['’\-]{_L}+)*"  # Jean-Baptiste, O'Neill, l'Église


def _upper_class() -> str:
    ranges: list[str] = []
    start = prev = -2
    for cp in range(0x41, 0x0530):
        if chr(cp).isupper():
            if cp != prev + 1:
                if start >= 0:
                    ranges.append(f"{chr(start)}-{chr(prev)}" if prev > start else chr(start))
                start = cp
            prev = cp
    ranges.append(f"{chr(start)}-{chr(prev)}" if prev > start else chr(start))
    return "[" + "".join(ranges) + "]"


_UP = _upper_class()
_CAP_WORD = rf"{_UP}{_L}*(?:['’\-]{_L}+)*"  # Mérignac, Grand-Saconnex, CRETEIL


def _words_at_boundary(alternatives: Iterable[str], not_before: str = r"[\w\-]") -> str:
    """`(?<!not_before)(?:alt1|alt2|...)` rewritten as one branch per first letter, the
    lookbehind after that letter: the regex engine can then skip a branch by its first
    character, which a leading lookbehind prevents. Each alternative must start with a
    plain letter."""
    by_first: dict[str, list[str]] = {}
    for alternative in alternatives:
        by_first.setdefault(alternative[0], []).append(alternative[1:])
    return (
        "(?:"
        + "|".join(
            f"{first}(?<!{not_before}{first})(?:{'|'.join(rests)})"
            for first, rests in by_first.items()
        )
        + ")"
    )


# Labels that introduce a reference number: a bare digit run right after one of them is
# an order, parcel or ticket number, not a phone or card number.
_REFERENCE_BEFORE = re.compile(
    r"(?i)(?:commande|cde|order|ordre|facture|invoice|ticket|case|dossier|r[ée]f\.?|"
    r"r[ée]f[ée]rence|reference|suivi|tracking|colis|parcel|lot|batch|build|sku|ean|"
    r"code[- ]barres?|barcode|n[°o]\.?|#)\s*[:#°.]?\s*$"
)


def _after_reference(text: str, start: int) -> bool:
    return _REFERENCE_BEFORE.search(text, max(0, start - 30), start) is not None


# --------------------------------------------------------------------------- e-mail

# Plain addresses are found from their "@" (a literal is the fastest thing to look for):
# the mailbox is read backwards, the domain forwards.
_EMAIL_DOMAIN = re.compile(r"\w[\w-]*(?:\.\w[\w-]*)*\.[^\W\d_]{2,}(?![\w-])")
_MAILBOX_CHARS = frozenset(".+%-_")

# Obfuscated forms, matched on the folded (lower-case) text.
_AT_STRONG = (
    r"(?:\s*\[\s*(?:at|@|arobase)\s*\]\s*|\s*\(\s*(?:at|@|arobase)\s*\)\s*"
    r"|\s*\{\s*(?:at|@)\s*\}\s*|\s+arobase\s+|\s+@\s*|\s*@\s+)"
)
_DOT = (
    r"(?:\s*\[\s*(?:dot|\.|point)\s*\]\s*|\s*\(\s*(?:dot|\.|point)\s*\)\s*"
    r"|\s*\{\s*(?:dot|\.)\s*\}\s*|\s+(?:dot|point)\s+|\s*\.\s*)"
)
_LOCAL = r"\w[\w.+%-]*"
# "amandine point leroy", "jean (dot) dupont": a spelt-out dot inside the mailbox.
_LOCAL_JOIN = (
    r"(?:\s*\[\s*(?:dot|point|\.)\s*\]\s*|\s*\(\s*(?:dot|point|\.)\s*\)\s*"
    r"|\s+(?:dot|point)\s+)"
)
_LABEL = r"\w[\w-]*"
_EMAIL_OBFUSCATED = re.compile(
    rf"(?<![\w.+%-])(?P<local>{_LOCAL}(?:{_LOCAL_JOIN}{_LOCAL})*)"
    rf"(?:(?P<strong>{_AT_STRONG})|(?P<weak>\s+at\s+))"
    rf"{_LABEL}(?:{_DOT}{_LABEL})*?{_DOT}[a-z]{{2,6}}(?![\w-])"
)
# Where an obfuscated address could be: the full pattern only runs around these.
_AT_HINT = re.compile(r"@|at(?<![\w]at)(?!\w)|arobase")
# What must follow the "at" of a disguised address: a domain and its ending. Checked first,
# so that the common English "at" ("at the shop") costs one short match.
_DOMAIN_AFTER_AT = re.compile(
    rf"(?:\s*[\])}}])?\s*{_LABEL}(?:{_DOT}{_LABEL})*?{_DOT}[a-z]{{2,6}}(?![\w-])"
)
_MAILBOX_EVIDENCE = re.compile(r"[._\d+-]|\s(?:point|dot)\s|[\[(]")


def _plain_email_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    at = text.find("@")
    while at != -1:
        start = at
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in _MAILBOX_CHARS):
            start -= 1
        while start < at and not (text[start].isalnum() or text[start] == "_"):
            start += 1  # a mailbox starts with a letter, digit or underscore
        domain = _EMAIL_DOMAIN.match(text, at + 1)
        if start < at and domain is not None and text[at - 1] != ".":
            spans.append((start, domain.end()))
            at = text.find("@", domain.end())
        else:
            at = text.find("@", at + 1)
    return spans


def _obfuscated_email_spans(folded: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    searched_to = 0
    for hint in _AT_HINT.finditer(folded):
        if hint.start() < searched_to or not _DOMAIN_AFTER_AT.match(folded, hint.end()):
            continue
        # A mailbox is at most a few words before its "at": search a window around it.
        window = _EMAIL_OBFUSCATED.finditer(
            folded, max(searched_to, hint.start() - 80), hint.start() + 120
        )
        for match in window:
            if match.start() <= hint.start() < match.end():
                # "buy at zara dot com" is a shop's site; after a bare "at", a mailbox
                # has a dot, digit or underscore in it ("mike.oconnor at gmail dot com").
                if match.group("weak") is None or _MAILBOX_EVIDENCE.search(match.group("local")):
                    spans.append(match.span())
                searched_to = match.end()
                break
    return spans


def _redact_emails(doc: _Text) -> None:
    if "@" in doc.text:
        doc.replace(_plain_email_spans(doc.text), _EMAIL)
    doc.replace(_obfuscated_email_spans(doc.folded), _EMAIL)


# --------------------------------------------------------------------------- bank

_IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22,
    "BH": 22, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28,
    "IE": 22, "IL": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28,
    "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22,
    "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28,
    "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24,
    "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26,
    "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip

# Found from the check digits (a digit is rarer than a letter, so faster to look for),
# with the two letters of the country code checked behind them.
# Also "FR 76 3000 6000 ...": capitals, a space, the check digits, a group of four.
_IBAN_START = re.compile(
    r"\d(?:(?<=[A-Za-z]{2}\d)(?<![0-9A-Za-z][A-Za-z]{2}\d)\d(?=[ \t.\-]?\r?\n?[0-9A-Za-z])"
    r"|(?<=[A-Z]{2} \d)(?<![0-9A-Za-z][A-Z]{2} \d)\d(?= \d{4}))"
)
# One group of an IBAN after the check digits: a single separator (space, dot, dash or a
# line break) then letters and digits.
_IBAN_GROUP = re.compile(r"(?:[ \t]?\r?\n[ \t]*|[ \t.\-])?([0-9A-Za-z]+)")

_RIB = re.compile(r"(\d(?<![\w]\d)\d{4})([ \t]?)(\d{5})\2([0-9A-Za-z]{11})\2(\d{2})(?![\w])")

# Matched on the folded text: account numbers and sort codes after their label.
_BANK_LABELS = (
    r"account[ \t]*(?:no\.?|number|num|#)",
    r"acct\.?(?:[ \t]*(?:no\.?|#))?",
    r"a/c(?:[ \t]*no\.?)?",
    r"n°[ \t]*de[ \t]*compte",
    r"numero[ \t]*de[ \t]*compte",
    r"compte[ \t]*(?:bancaire[ \t]*)?n°",
    r"sort[ \t]*code",
    r"bsb",
    r"routing[ \t]*(?:no\.?|number)",
)
_BANK_LABELLED = re.compile(
    _words_at_boundary(_BANK_LABELS, r"\w")
    + r"[ \t]*[:#]?[ \t]*(?P<value>\d(?:[\d \-]{4,24}\d))(?![\w])"
)


def _mod97(text: str) -> int:
    digits = "".join(str(int(c, 36)) for c in text.upper())
    return int(digits) % 97


def _iban_valid(compact: str) -> bool:
    return _mod97(compact[4:] + compact[:4]) == 1


def _iban_starts(text: str) -> Iterator[tuple[int, str, int]]:
    """(where the IBAN begins, country code, end of the check digits)."""
    for start in _IBAN_START.finditer(text):
        at = start.start()
        begin = at - 3 if text[at - 1] == " " else at - 2
        yield begin, text[begin : begin + 2], start.end()


def _iban_spans(text: str) -> Iterator[tuple[int, int]]:
    for begin, letters, check_end in _iban_starts(text):
        country = letters.upper()
        expected = _IBAN_LENGTHS.get(country)
        pos, total, ends, groups = check_end, 4, [], []
        while total < 34:
            group = _IBAN_GROUP.match(text, pos)
            if group is None:
                break
            run = group.group(1)
            if groups and run.isalpha() and len(run) > 4:
                break  # a word after the account number
            groups.append(run)
            total += len(run)
            pos = group.end()
            ends.append((total, pos))
        compact = (country + text[check_end - 2 : check_end] + "".join(groups)).upper()
        chosen = None
        if expected is not None:
            # A known country fixes the length: that shape is an IBAN even when the
            # customer mistyped a digit (the check digits then fail).
            chosen = next((end for length, end in ends if length == expected), None)
        if chosen is None:
            # Unknown country, or a missing/extra character: the checksum decides.
            for length, end in reversed(ends):
                if length >= 15 and _iban_valid(compact[:length]):
                    chosen = end
                    break
        if chosen is None and expected is not None:
            four = [len(g) == 4 for g in groups]
            near = [end for length, end in ends if abs(length - expected) <= 2]
            if len(groups) >= 4 and all(four[:-1]) and near:
                chosen = near[-1]  # grouped in fours like an IBAN, one character off
        if chosen is not None:
            yield begin, chosen


# Letters in a French account number stand for digits in the RIB key computation.
_RIB_LETTERS = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "12345678912345678923456789")


def _rib_key_valid(bank: str, branch: str, account: str, key: str) -> bool:
    account_digits = account.upper().translate(_RIB_LETTERS)
    if not account_digits.isdigit():
        return False
    return 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account_digits)) % 97 == int(key)


def _rib(match: re.Match[str]) -> bool:
    spaced = match.group(2) != ""
    return spaced or _rib_key_valid(*match.group(1, 3, 4, 5))


def _redact_bank(doc: _Text, digits: int, longest_run: int) -> None:
    if digits >= 8:
        doc.replace(_merge(list(_iban_spans(doc.text)), doc.text, _NO_GAP), _IBAN)
    if longest_run >= 5:
        doc.replace([m.span() for m in _RIB.finditer(doc.text) if _rib(m)], _IBAN)
    doc.replace([m.span("value") for m in _BANK_LABELLED.finditer(doc.folded)], _IBAN)


# --------------------------------------------------------------------------- cards

# The lookahead (13 digits or separators in a row) drops short numbers before any Python
# runs.
_CARD_CANDIDATE = re.compile(
    r"\d(?<![\w*+]\d)(?<!\d[ .\-]\d)(?=[\d \t.\-\r\n]{12})\d{1,18}"
    r"(?:(?:[ \t.\-]|[ \t]*\r?\n[ \t]*)\d{1,8}){0,5}(?![\w])(?![ .\-]\d)"
)
_CARD_LAYOUTS = frozenset(
    {(4, 4, 4, 4), (4, 4, 4, 4, 3), (4, 4, 4, 4, 2), (4, 4, 4, 4, 1), (4, 6, 5), (4, 6, 4)}
)
# Matched on the folded text.
_CARD_SECURITY_LABELS = (
    r"cvv2?",
    r"cvc2?",
    r"cvn",
    r"cryptogramme(?:[ \t]+visuel)?",
    r"crypto",
    r"code[ \t]+(?:de[ \t]+)?securite",
    r"security[ \t]+code",
    r"card[ \t]+verification[ \t]+code",
)
_CARD_SECURITY_CODE = re.compile(
    _words_at_boundary(_CARD_SECURITY_LABELS, r"\w") + r"[ \t]*[:=]?[ \t]*(?P<value>\d{3,4})(?!\d)"
)


def _luhn(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _ean13(digits: str) -> bool:
    if len(digits) != 13:
        return False
    weighted = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits[:12]))
    return (10 - weighted % 10) % 10 == int(digits[12])


def _card_network_prefix(digits: str) -> bool:
    n = len(digits)
    if digits[:2] in ("34", "37"):
        return n == 15
    if digits[0] == "4":
        return n in (16, 19)
    if "51" <= digits[:2] <= "55" or "2221" <= digits[:4] <= "2720":
        return n == 16
    return digits[:4] == "6011" or digits[:2] == "65"


def _is_card(match: re.Match[str], text: str) -> bool:
    raw = match.group()
    groups = tuple(len(g) for g in re.findall(r"\d+", raw))
    digits = "".join(re.findall(r"\d+", raw))
    if not 13 <= len(digits) <= 19 or digits[0] not in "23456":
        return False
    if len(groups) > 1:
        # A card layout is a card even with a mistyped digit; any other grouping of
        # 13-19 digits needs the checksum.
        fours = len(groups) >= 4 and all(g == 4 for g in groups[:-1])  # 4970 1012 3456 78
        return groups in _CARD_LAYOUTS or fours or _luhn(digits)
    if _after_reference(text, match.start()):
        return False  # a parcel or order number
    if len(digits) <= 14:
        # EAN-13 product codes are 13 digits too: only a Luhn-valid, non-EAN run counts.
        return _luhn(digits) and not _ean13(digits)
    return _luhn(digits) or _card_network_prefix(digits)


def _redact_cards(doc: _Text, digits: int) -> None:
    if digits >= 13:
        text = doc.text
        doc.replace([m.span() for m in _CARD_CANDIDATE.finditer(text) if _is_card(m, text)], _CARD)
    doc.replace([m.span("value") for m in _CARD_SECURITY_CODE.finditer(doc.folded)], _CARD)


# --------------------------------------------------------------------------- phones

# Each phone pattern starts with a literal or a digit, the check that the number is not
# the tail of a longer one comes right after: the regex engine can then skip ahead.
_PHONE_INTERNATIONAL = re.compile(
    r"(?P<prefix>\+(?<![\w+]\+)[ \t]?|\((?<![\w+]\()\+|0(?<![\w+]0)0)[1-9]\d{0,3}\)?"
    r"(?:[ \t.\-/]?\(0\))?"
    r"(?:[ \t.\-/]?(?:\(\d{1,4}\)|\d{1,5})){1,7}(?![\w])"
)
# 06 12 34 56 78, 06.12.34.56.78, 0612345678, (06) 12 34 56 78: one separator throughout,
# so "06/12/2025 14:30" (a date and a time) is not a phone.
_PHONE_FRENCH = re.compile(
    r"(?:0(?<![\w+]0)(?<!\d[.\-/]0)[1-9]|\((?<![\w+]\()0[1-9]\))"
    r"(?P<sep>[ \t.\-/]?)\d{2}(?:(?P=sep)\d{2}){3}(?![\w])(?![ .\-/]\d)"
)
# Other groupings of the ten French digits: 06 1234 5678, 0612 34 56 78.
_PHONE_FRENCH_LOOSE = re.compile(
    r"0(?<![\w+]0)(?<!\d[.\-/]0)[1-9](?:[ .\-]?\d{2,4}){2,4}(?![\w])(?![ .\-/]\d)"
)
_PHONE_NORTH_AMERICAN = re.compile(
    r"(?:1(?<![\w+]1)(?<!\d[.\-/]1)[ .\-](?:\([2-9]\d{2}\)[ \t]?|[2-9]\d{2}[ .\-])"
    r"|\((?<![\w+]\()[2-9]\d{2}\)[ \t]?"
    r"|[2-9](?<![\w+][2-9])(?<!\d[.\-/][2-9])\d{2}[ .\-])"
    r"\d{3}[ .\-]\d{4}(?![\w])(?![ .\-/]\d)"
)
# Other European national forms: 0470 12 34 56, 079 123 45 67, 0151 23456789, 030/98765432,
# 020 7946 0321, 07700 900123. A first group of three digits or more keeps dates out.
_PHONE_NATIONAL = re.compile(
    r"0(?<![\w+]0)(?<!\d[.\-/]0)[1-9]\d{1,4}(?P<sep>[ \t]|[ \t]?/[ \t]?|[.\-])\d{2,8}"
    r"(?:(?P=sep)\d{2,8}){0,4}(?![\w])(?![ .\-/]\d)"
)


def _count_digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _is_international_phone(match: re.Match[str], text: str) -> bool:
    digits = _count_digits(match.group().replace("(0)", ""))
    if match.group("prefix") == "00":
        return 11 <= digits <= 17
    return 8 <= digits <= 15


def _is_french_phone(match: re.Match[str], text: str) -> bool:
    # 0612345678 right after "commande" or "#" is an order number.
    return match.group("sep") != "" or not _after_reference(text, match.start())


def _is_loose_french_phone(match: re.Match[str], text: str) -> bool:
    return _count_digits(match.group()) == 10 and not _after_reference(text, match.start())


def _is_national_phone(match: re.Match[str], text: str) -> bool:
    return 9 <= _count_digits(match.group()) <= 12


def _always(match: re.Match[str], text: str) -> bool:
    return True


_PHONE_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], str], bool]], ...] = (
    (_PHONE_INTERNATIONAL, _is_international_phone),
    (_PHONE_FRENCH, _is_french_phone),
    (_PHONE_FRENCH_LOOSE, _is_loose_french_phone),
    (_PHONE_NORTH_AMERICAN, _always),
    (_PHONE_NATIONAL, _is_national_phone),
)


def _redact_phones(doc: _Text) -> None:
    text = doc.text
    # Only an international number has a "+" or starts with "00".
    rules = _PHONE_RULES if "+" in text or "00" in text else _PHONE_RULES[1:]
    spans = [
        match.span()
        for pattern, accept in rules
        for match in pattern.finditer(text)
        if accept(match, text)
    ]
    doc.replace(_merge(spans, text, _NO_GAP), _PHONE)


# --------------------------------------------------------------------------- addresses

# Address patterns are matched on the folded text (lower case, no accents) unless the
# case of a word matters; the walkers then read words from the original text.
_FR_TYPES = (
    r"rue|avenue|boulevard|chemin|allee|impasse|place|quai|route|cours|passage|square|"
    r"sentier|voie|rond-point|esplanade|promenade|faubourg|parvis|ruelle|traverse|"
    r"montee|rampe|chaussee|sente|venelle|villa|cite"
)
# Abbreviated types ("bd", "av.", "r.") read as a street only with a postcode after them:
# "3 BD Astérix" is three comic books.
_FR_TYPES_SHORT = (
    r"bd|bld|blvd|boul\.?|av\.?|ave\.?|r\.?|rte\.?|pl\.|imp\.?|ch\.|chem\.?|all\.|sq\.?|"
    r"fg\.?|fbg\.?"
)
_FR_STREET_HEAD = re.compile(
    r"\d(?<![\w.,/\-]\d)\d{0,3}(?:[ \t]*,)?[ \t]*(?:(?:bis|ter|quater|[a-d])\b\.?[ \t]*,?[ \t]*)?"
    rf"(?:(?P<type>{_FR_TYPES})|(?P<short>{_FR_TYPES_SHORT}))(?=[ \t])"
)
# A street name word, or a day number in a dated name ("rue du 8 Mai 1945", "1er Mai").
_WORD_AFTER = re.compile(rf"[ \t]*({_WORD}|\d{{1,2}}(?:er)?(?=[ \t]+{_UP}))")
_TOWN_LINKS = r"(?:sur|sous|en|lès|les|le|la|de|du|des|aux?)"
_POSTCODE_AFTER = re.compile(
    rf"[ \t]*,?[ \t]*(?P<code>\d{{4,5}})(?!\d)(?:[ \t]+(?P<town>{_CAP_WORD}"
    rf"(?:[ \t]+(?:{_TOWN_LINKS}[ \t]+)?{_CAP_WORD}){{0,3}}|{_L}+(?:-{_L}+)*))?"
)
_STREET_END = re.compile(r"[ \t]*(?:[,;()\n\r—–]|-[ \t]|\.(?:\s|$)|$)")

_EN_TYPES_STRONG = r"street|st|road|rd|avenue|ave|av|boulevard|blvd|lane|ln|drive|parkway|pkwy"
_EN_TYPES_WEAK = (
    r"dr|court|ct|place|pl|square|sq|terrace|crescent|cres|close|way|highway|hwy|parade|"
    r"grove|gardens|gdns|row|mews|walk|circle|cir|trail|trl|alley|plaza|wharf|quay|rise|loop|"
    r"path"
)
_EN_STREET = re.compile(
    r"\d(?<![\w.,/\-]\d)\d{0,4}[a-z]?[ \t]+(?:[nsew]\.?[ \t]+)?"
    rf"(?P<words>(?:(?:{_WORD}|\d+(?:st|nd|rd|th))[ \t]+){{1,3}}?)"
    rf"(?:(?P<strong>{_EN_TYPES_STRONG})|(?P<weak>{_EN_TYPES_WEAK}))\b\.?"
    r"(?:[ \t]+[nsew]\b\.?)?(?=[ \t]*(?:[,;\n\r]|$))"
)
# Belgian, Swiss, Italian, Spanish order: type, name, number, then a postcode ("Avenue des
# Cerisiers 42, 1030 Schaerbeek", "Via Roma 5, 00100 Roma"). Found from the rare "42, 1030"
# first; the type and name are then looked for just before it.
# The number must end before its postcode: "29200" is not "2" + "9200".
_NUMBER_THEN_POSTCODE = re.compile(
    r"\d(?<![\w]\d)\d{0,3}[a-z]?(?!\d)(?=[ \t]*,?[ \t]*\d{4,5}(?!\d))"
)
_OTHER_TYPES = (
    r"via|viale|piazza|piazzale|corso|vicolo|calle|avenida|plaza|paseo|carrer|rua|travessa|"
    r"largo|laan|straat|plein|steenweg|dreef|kaai"
)
_TYPE_FIRST_STREET = re.compile(
    rf"(?<![\w\-])(?:{_FR_TYPES}|{_OTHER_TYPES})[ \t]+(?:{_WORD}[ \t]+){{1,5}}?\Z"
)
# German and Dutch compounds: "Musterstraße 12", "Hauptstr. 5", "Kerkweg 3".
# Found from the suffix and the number; `_compound_street` then checks that the suffix ends
# a longer word and reads it back to its start. No "-ring": "Spring 2025" is a collection.
_COMPOUND_STREET = re.compile(
    r"(?:straße|strasse|str\.|weg|gasse|platz|allee|straat|laan|gracht|plein)"
    r"[ \t]+\d{1,4}[a-z]?(?![\w])"
)
# Case matters here (the place's name is capitalised): matched on the original text.
_NAMED_PLACE_HINT = re.compile(r"lieu|resid|hameau|lotissement|\bza|\bzi|zone|parc d")
_NAMED_PLACE = re.compile(
    r"(?<![\w\-])(?:(?i:lieu-dit|lieudit|r[ée]sidence|hameau|lotissement|zone[ \t]+artisanale|"
    r"zone[ \t]+industrielle|zone[ \t]+d['’]activit[ée]s?|parc[ \t]+d['’]activit[ée]s?)|ZA|ZI|ZAC)"
    r"[ \t]+"
    r"(?:(?:Les|Le|La|L['’]|Du|Des|De|les|le|la|l['’]|du|des|de)[ \t]*)?"
    rf"{_CAP_WORD}(?:[ \t]+(?:(?:de|du|des|la|le|les)[ \t]+)?{_CAP_WORD}){{0,3}}"
)
# A five-digit postcode is found from its digits; then a capitalised town after it
# ("69003 Lyon") or a cue before it ("je suis sur 29200 brest", "CP : 59800") makes it one.
_FIVE_DIGITS = re.compile(r"\d(?<![\w#°/.,€$£+\-]\d)\d{4}(?!\d)")
_TOWN_AFTER = re.compile(rf"[ \t]+{_CAP_WORD}(?:[ \t]+(?:{_TOWN_LINKS}[ \t]+)?{_CAP_WORD}){{0,3}}")
_LOWER_TOWN_AFTER = re.compile(rf"[ \t]+({_L}+(?:-{_L}+)*)")
# On the folded text, where "à" reads "a": the original is checked.
_POSTCODE_CUE_BEFORE = re.compile(
    r"(?<![\w])(?P<cue>sur|a|vers|habite|suis|vis|near|cp|c\.p\.|code[ \t]+postal|postcode|"
    r"post[ \t]+code|zip(?:[ \t]+code)?)[ \t]*:?[ \t]*\Z"
)


def _postcode(text: str, folded: str, code: re.Match[str]) -> tuple[int, int] | None:
    start, end = code.span()
    town = _TOWN_AFTER.match(text, end)
    if town is not None and _fold(town.group().split()[0]) not in _NOT_TOWNS:
        if not _after_reference(text, start):
            return start, town.end()
    cue = _POSTCODE_CUE_BEFORE.search(folded, max(0, start - 20), start)
    if cue is None or (cue.group("cue") == "a" and text[cue.start()] not in "àÀ"):
        return None  # "il y a 35000 points"
    lower_town = _LOWER_TOWN_AFTER.match(text, end)
    if lower_town is not None and _town_ok(lower_town.group(1)):
        return start, lower_town.end()
    return start, end


# UK (NW1 6XE, lower case only with its space: "ls6 2ah") and Canadian (M5V 1H4).
_UK_OR_CANADIAN_POSTCODE = re.compile(
    r"(?<![\w\-])(?:[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[ABD-HJLNP-UW-Z]{2}"
    r"|[a-z]{1,2}\d[a-z\d]?[ \t]\d[abd-hjlnp-uw-z]{2}"
    r"|[ABCEGHJ-NPRSTVXY]\d[A-Z][ \t]?\d[A-Z]\d)(?![\w\-])"
)
_DIGIT_THEN_LETTER = re.compile(r"\d[a-z]")
_US_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|"
    "NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC"
)
_US_STATE_ZIP = re.compile(rf",[ \t]*(?P<zip>(?:{_US_STATES})[ \t]+\d{{5}}(?:-\d{{4}})?)(?![\w\-])")
# Flat and building numbers, PO boxes and door codes, on the folded text; `_address_part`
# checks the case where it tells ("Flat 2" but not "flat 2 days later").
_FLAT_WORDS = ("apt", "appt", "apartment", "appartement")
_UNIT_WORDS = ("flat", "unit", "suite")
_BUILDING_WORDS = ("batiment", "bat", "escalier", "esc")
_DOOR_LABELS = (
    r"digicode",
    r"code[ \t]+(?:porte|portail|d'entree|immeuble|interphone|acces)",
    r"door[ \t]*code",
    r"gate[ \t]*code",
    r"entry[ \t]*code",
    r"access[ \t]*code",
    r"buzzer[ \t]*code",
)
# One flat alternation (no named groups in front of the letters, so the engine can skip
# branches by their first letter); `_address_part` tells the kinds apart by first word.
_ADDRESS_PARTS = re.compile(
    _words_at_boundary(
        [rf"{word}\.?[ \t]*#?[ \t]*\d[0-9a-z\-]*" for word in _FLAT_WORDS]
        + [rf"{word}\.?[ \t]+[a-z0-9][0-9a-z]{{0,3}}" for word in _UNIT_WORDS]
        + [rf"{word}\.?[ \t]+[a-z0-9]{{1,2}}" for word in _BUILDING_WORDS]
        + [
            rf"{box}[ \t]*\d{{1,6}}(?!\d)"
            for box in (r"p\.?[ \t]?o\.?[ \t]*box", r"boite[ \t]+postale", r"b\.p\.", r"bp")
        ]
        + [rf"{label}[ \t]*:?[ \t]*[a-z0-9#*]{{3,8}}" for label in _DOOR_LABELS]
    )
    + r"(?![\w\-])"
)
_DOOR_CODE_VALUE = re.compile(r"[a-z0-9#*]{3,8}\Z")
_ADDRESS_GAP = re.compile(r"[ \t]*,?[ \t]*")
_NO_GAP = re.compile(r"")
_DIGIT_RUN = re.compile(r"\d+")


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _town_ok(town: str | None) -> bool:
    return town is None or _fold(town) not in _NOT_TOWNS


def _extend_with_postcode(text: str, end: int) -> int:
    """Swallow ", 69003 Lyon" (or a Belgian/Swiss four-digit code) after a street."""
    match = _POSTCODE_AFTER.match(text, end)
    if match is None:
        return end
    if match.group("town") is not None and not _town_ok(match.group("town")):
        return match.end("code")
    return match.end()


def _french_street(text: str, head: re.Match[str]) -> tuple[int, int] | None:
    """Read the street name after "12 bis rue": up to six words, ended by a postcode,
    a comma, a bracket, a line break or a sentence end."""
    pos = head.end()
    words: list[tuple[str, int]] = []
    for _ in range(6):
        word = _WORD_AFTER.match(text, pos)
        if word is None:
            break
        words.append((word.group(1), word.end()))
        pos = word.end()
        if _POSTCODE_AFTER.match(text, pos):
            return head.start(), _extend_with_postcode(text, pos)
        if _STREET_END.match(text, pos):
            if head.group("short") is not None:
                return None  # "3 BD Astérix": an abbreviation needs its postcode
            if not any(_is_capitalised(w) for w, _ in words):
                return None  # an all-lower-case name needs its postcode too
            return head.start(), pos
    if head.group("short") is not None:
        return None
    # No ending in sight ("5 rue Victor Hugo depuis 2 ans"): keep the leading run of
    # capitalised words and particles.
    end = None
    for word, word_end in words:
        if _is_capitalised(word):
            end = word_end
        elif not _is_particle(word):
            break
    return (head.start(), end) if end is not None else None


def _is_particle(word: str) -> bool:
    folded = _fold(word)
    return folded in _LOWER_PARTICLES or folded in _CAP_PARTICLES or folded[:2] in ("l'", "d'")


def _english_street(text: str, match: re.Match[str]) -> bool:
    words = text[match.start("words") : match.end("words")].split()
    if any(_fold(w) in _STOPWORDS for w in words):
        return False  # "5 blocks down the road"
    if match.group("weak") is not None:
        return all(_is_capitalised(w) or w[0].isdigit() for w in words)
    return True


def _address_part(text: str, folded: str, match: re.Match[str]) -> tuple[int, int] | None:
    start, end = match.span()
    first = _ASCII_WORDS.match(folded, start)
    word = first.group() if first else ""
    if word in _FLAT_WORDS:
        return start, end
    if word in _UNIT_WORDS or word in _BUILDING_WORDS:
        if word in _UNIT_WORDS and not text[start].isupper():
            return None  # "Flat 2", "Unit 5"; not "the battery went flat 2 days later"
        ident = text[end - 1]
        return (start, end) if ident.isupper() or ident.isdigit() else None
    if word in ("p", "boite", "b", "bp"):
        if word == "bp" and not text.startswith("BP", start):
            return None  # "BP 123" (boîte postale) is written in capitals
        return start, end
    value = _DOOR_CODE_VALUE.search(folded, start, end)
    return (value.start(), end) if value else None  # keep the label: "digicode [address]"


def _address_spans(text: str, folded: str, longest_run: int) -> list[tuple[int, int]]:
    """Every address-like span; several may overlap or touch, `_merge` fuses them."""
    spans: list[tuple[int, int]] = []
    if longest_run:
        for head in _FR_STREET_HEAD.finditer(folded):
            span = _french_street(text, head)
            if span is not None:
                spans.append(span)
        for match in _EN_STREET.finditer(folded):
            if _english_street(text, match):
                spans.append(match.span())
        if _DIGIT_THEN_LETTER.search(folded):
            spans.extend(m.span() for m in _UK_OR_CANADIAN_POSTCODE.finditer(text))
        for match in _ADDRESS_PARTS.finditer(folded):
            span = _address_part(text, folded, match)
            if span is not None:
                spans.append(span)
    if longest_run:
        for match in _COMPOUND_STREET.finditer(folded):
            start = match.start()
            if start > 1 and folded[start - 1].isalpha() and folded[start - 2].isalpha():
                while start > 0 and folded[start - 1].isalpha():
                    start -= 1
                spans.append((start, match.end()))
    if longest_run >= 4:
        for number in _NUMBER_THEN_POSTCODE.finditer(folded):
            street = _TYPE_FIRST_STREET.search(folded, max(0, number.start() - 80), number.start())
            if street is not None:
                spans.append((street.start(), _extend_with_postcode(text, number.end())))
    if longest_run >= 5:
        for code in _FIVE_DIGITS.finditer(text):
            span = _postcode(text, folded, code)
            if span is not None:
                spans.append(span)
        spans.extend(m.span("zip") for m in _US_STATE_ZIP.finditer(text))
    if _NAMED_PLACE_HINT.search(folded):
        for match in _NAMED_PLACE.finditer(text):
            end = _extend_with_postcode(text, match.end()) if longest_run else match.end()
            spans.append((match.start(), end))
    return spans


def _merge(spans: list[tuple[int, int]], text: str, gap: re.Pattern[str]) -> list[tuple[int, int]]:
    """Sort, fuse overlapping spans, and fuse spans separated only by `gap`."""
    if len(spans) < 2:
        return spans
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged:
            last_start, last_end = merged[-1]
            if start <= last_end or gap.fullmatch(text, last_end, start):
                merged[-1] = (last_start, max(last_end, end))
                continue
        merged.append((start, end))
    return merged


def _replace_spans(text: str, spans: list[tuple[int, int]], token: str) -> str:
    if not spans:
        return text
    parts: list[str] = []
    pos = 0
    for start, end in spans:
        parts.append(text[pos:start])
        parts.append(token)
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _redact_addresses(doc: _Text, longest_run: int) -> None:
    spans = _address_spans(doc.text, doc.folded, longest_run)
    doc.replace(_merge(spans, doc.text, _ADDRESS_GAP), _ADDRESS)


# --------------------------------------------------------------------------- names: structure

# Matched on the folded text (faster than a case-insensitive pattern); the original
# casing then decides what may follow.
_HONORIFIC = re.compile(
    r"(?:m(?<![\w.]m)(?:m?\.|e|mes?|lles?|adame|esdames|ademoiselle|onsieur|essieurs|aitre|rs|r|s|"
    r"x|iss|)|d(?<![\w.]d)(?:r|octeur)|p(?<![\w.]p)(?:r|rof|rofesseur)|h(?<![\w.]h)err"
    r"|f(?<![\w.]f)rau)\.?(?![\w])"
)
# Lower-case titles that still introduce a name ("j'ai eu mme girard au tel"). Not "ms"
# (milliseconds), "dr" or "pr".
_LOWER_TITLES = frozenset({"mme", "mmes", "mlle", "mlles", "mr", "mrs"})
_SIZE_BEFORE = re.compile(r"(?i)(?:taille|size|en|du|un|une|the|a|an|in)\W{0,3}$")
_NAME_TOKEN = re.compile(rf"[ \t]+({_WORD}\.?)")
_FIRST_NAME_TOKEN = re.compile(rf"[ \t]*({_WORD}\.?)")

_FIELD_LABEL = re.compile(
    r"(?im)^[ \t>*•\-]*(?:name|full[ \t]+name|customer[ \t]+name|client[ \t]+name|"
    r"contact[ \t]+name|nom|pr[ée]nom|nom[ \t]+complet|nom[ \t]+et[ \t]+pr[ée]nom|"
    r"pr[ée]nom[ \t]+et[ \t]+nom|nom[ \t]+du[ \t]+client|client|cliente|customer|de|from|"
    r"sign[ée]|signed|exp[ée]diteur|sender|destinataire|recipient|interlocuteur|"
    r"interlocutrice|agent|conseill[eè]re?)[ \t]*:"
)
_FIELD_END = re.compile(r"[ \t]*(?:$|[\r\n,;<(|/])", re.M)
_SIGN_OFF = re.compile(
    r"(?im)^[ \t>]*(?:--+|—|cordialement|bien[ \t]+cordialement|bien[ \t]+[àa][ \t]+vous|"
    r"salutations|sinc[èe]res[ \t]+salutations|regards|best[ \t]+regards|kind[ \t]+regards|"
    r"warm[ \t]+regards|best|cheers|thanks|thank[ \t]+you|many[ \t]+thanks|merci|"
    r"merci[ \t]+beaucoup|bisous|bonne[ \t]+journ[ée]e|bonne[ \t]+soir[ée]e|[àa][ \t]+bient[ôo]t|"
    r"sincerely|yours[ \t]+sincerely|yours[ \t]+truly|sign[ée]|signed)[ \t]*[,.!]*[ \t]*\r?\n"
)
# "Merci, Sophie Martin" at the end of a line.
# Matched on the folded text.
_INLINE_SIGN_OFF = re.compile(
    _words_at_boundary(
        [
            r"cordialement",
            r"bien[ \t]+cordialement",
            r"bien[ \t]+a[ \t]+vous",
            r"regards",
            r"best[ \t]+regards",
            r"kind[ \t]+regards",
            r"cheers",
            r"thanks",
            r"thank[ \t]+you",
            r"merci",
            r"sincerely",
            r"signee?",
            r"signed",
        ],
        r"\w",
    )
    + r"[ \t]*,[ \t]*"
)
# "je m'appelle Sophie Martin", "my name is Tom Baker"; on the folded text.
_SELF_INTRODUCTION = re.compile(
    _words_at_boundary(
        [
            r"je[ \t]+m'appelle",
            r"my[ \t]+name[ \t]+is",
            r"mon[ \t]+nom[ \t]+est",
            r"moi[ \t]*,?[ \t]+c'est",
            r"name's",
        ],
        r"\w",
    )
    + r"[ \t]*:?"
)
_LINE_END = re.compile(r"[ \t]*(?:\r?\n|$)")
_NAME_BEFORE_EMAIL = re.compile(
    rf"(?P<name>(?:{_CAP_WORD}[ \t]+){{0,3}}{_CAP_WORD})[ \t]*[\"”]?[ \t]*<\[email\]>"
)
_CAPITALISED = re.compile(_CAP_WORD)


def _shape(word: str) -> str:
    """'upper' (DUPONT), 'title' (Dupont, D'Almeida), 'lower', or 'other' (iPhone)."""
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return "other"
    if word[0].isupper():
        if len(letters) > 1 and all(c.isupper() for c in letters):
            return "upper"
        return "title"
    if word[:2].lower() in ("d'", "l'") and len(word) > 2 and word[2].isupper():
        return "title"  # d'Artagnan
    return "lower" if all(c.islower() for c in letters) else "other"


def _name_words(
    text: str, pos: int, mode: str, first_pattern: re.Pattern[str] = _NAME_TOKEN
) -> tuple[int, int, list[str]] | None:
    """Read the person name that starts at `pos`: up to three words plus particles.

    mode 'title' accepts Dupont and DUPONT, 'upper' only DUPONT (after MME), 'lower'
    one word whatever its case (after a lower-case "mme"). Returns (start, end, folded
    name words) or None when no name follows.
    """
    start = end = None
    names: list[str] = []
    pattern = first_pattern
    for _ in range(6):
        match = pattern.match(text, pos)
        pattern = _NAME_TOKEN
        if match is None:
            break
        word = match.group(1)
        has_dot = word.endswith(".")
        bare = word[:-1] if has_dot else word
        folded = _fold(bare)
        shape = _shape(bare)
        is_initial = has_dot and len(bare) == 1 and bare.isupper()
        first_lower = mode == "lower" and not names
        particle = (shape == "lower" and folded in _LOWER_PARTICLES and mode != "upper") or (
            shape in ("title", "upper") and folded in _CAP_PARTICLES
        )
        if particle and not first_lower and not has_dot:
            # "de", "van der", "Le": part of the name only if a name word follows.
            start = match.start(1) if start is None else start
            pos = match.end()
            continue
        if first_lower:
            ok = shape != "other" and folded not in _STOPWORDS and folded not in _LOWER_PARTICLES
        elif mode == "upper":
            ok = shape == "upper" and folded not in _STOPWORDS
        else:
            ok = is_initial or (shape in ("title", "upper") and folded not in _STOPWORDS)
        if not ok:
            break
        names.append(folded)
        start = match.start(1) if start is None else start
        end = match.end(1) if is_initial else match.start(1) + len(bare)
        pos = match.end()
        if (has_dot and not is_initial) or mode == "lower" or len(names) == 3:
            break  # "Mme Dupont." ends the sentence
    if not names or start is None or end is None:
        return None
    return start, end, names


class _Spans:
    """Spans to replace by one token, plus the name words learnt on the way."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []
        self.learnt: set[str] = set()

    def add(self, start: int, end: int, names: Iterable[str]) -> None:
        self.spans.append((start, end))
        self.learnt.update(n for n in names if n not in _CAP_PARTICLES)


def _honorific_names(
    text: str, folded: str, protected: list[tuple[int, int]], found: _Spans
) -> None:
    for match in _HONORIFIC.finditer(folded):
        if _inside(match.start(), protected):
            continue
        title = text[match.start() : match.end()].rstrip(".")
        key = match.group().rstrip(".")
        if key in ("m", "mm"):
            if title not in ("M", "MM"):
                continue  # "1,78 m pour 75 kg"
            if _SIZE_BEFORE.search(text, max(0, match.start() - 12), match.start()):
                continue  # "taille M. Le tissu": the size, then a new sentence
            mode = "title"
        elif key == "me":
            if title != "Me" and (title != "ME" or _is_shouting(text)):
                continue  # "call me Monday", "CALL ME MAYBE": Maître is "Me"
            mode = "upper" if title == "ME" else "title"
        elif title.islower():
            if title not in _LOWER_TITLES:
                continue
            mode = "lower"
        elif title.isupper() and len(title) > 1:
            mode = "upper"
        elif title[0].isupper():
            mode = "title"
        else:
            continue
        first = _FIRST_NAME_TOKEN if match.group().endswith(".") else _NAME_TOKEN
        read = _name_words(text, match.end(), mode, first)
        if read is not None and not _inside(read[0], protected):
            found.add(*read)


def _field_names(text: str, found: _Spans) -> None:
    for match in _FIELD_LABEL.finditer(text):
        read = _name_words(text, match.end(), "title", _FIRST_NAME_TOKEN)
        if read is not None and _FIELD_END.match(text, read[1]):
            found.add(*read)


def _sign_off_names(text: str, folded: str, found: _Spans) -> None:
    ends = [m.end() for m in _SIGN_OFF.finditer(text)] if "\n" in text else []
    if "," in text:
        ends += [m.end() for m in _INLINE_SIGN_OFF.finditer(folded)]
    for end in ends:
        read = _name_words(text, end, "title", _FIRST_NAME_TOKEN)
        if read is not None and _LINE_END.match(text, read[1]):
            found.add(*read)


def _names_before_email(text: str, found: _Spans) -> None:
    """ "Pierre Lemaire <p.lemaire@outlook.fr> wrote:": the display name of an address."""
    for match in _NAME_BEFORE_EMAIL.finditer(text):
        words = list(_CAPITALISED.finditer(text, match.start(), match.end("name")))
        while words and (_fold(words[0].group()) in _STOPWORDS or len(words[0].group()) < 2):
            words.pop(0)  # "... 9:14 AM Pierre Lemaire"
        if words:
            found.add(words[0].start(), words[-1].end(), [_fold(w.group()) for w in words])


def _introduced_names(text: str, folded: str, found: _Spans) -> None:
    for match in _SELF_INTRODUCTION.finditer(folded):
        read = _name_words(text, match.end(), "title", _FIRST_NAME_TOKEN)
        if read is not None:
            found.add(*read)


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= pos < end for start, end in spans)


# --------------------------------------------------------------------------- names: known

_UNAMBIGUOUS, _COMMON_WORD, _PROPER_NOUN = 0, 1, 2

_TOKEN = re.compile(rf"{_L}+(?:['\-]{_L}+)*")
_ASCII_WORDS = re.compile(r"[a-z]+")


def _word_positions(folded: str, word: str) -> Iterator[int]:
    """Where `word` occurs as a whole word (a learnt name, so a handful per text)."""
    at = folded.find(word)
    while at != -1:
        end = at + len(word)
        if (at == 0 or not folded[at - 1].isalpha()) and not folded[end : end + 1].isalpha():
            yield at
        at = folded.find(word, end)


def _token_around(folded: str, pos: int) -> tuple[int, int]:
    """The word containing `pos`, hyphens and apostrophes included (Jean-Paul, d'Almeida)."""
    match = _TOKEN.match(folded, pos)
    end = match.end() if match else pos + 1
    start = pos
    while start > 1 and folded[start - 1] in "-'" and folded[start - 2].isalpha():
        previous = start - 2
        while previous > 0 and folded[previous - 1].isalpha():
            previous -= 1
        start = previous
    return start, end


_ELISION = re.compile(r"^(?:[ldjmnstc]|qu)'")
_SENTENCE_START = re.compile(r"(?:\A|[.!?:;…\n\r>•*]|--)[\s\"'«“(\[\-–—]*\Z")
# Words after which a capitalised word is a person: greetings, sign-offs, "spoke to".
_PERSON_CUE = re.compile(
    r"(?i)(?:\b(?:sign[ée]e?|signed|regards|cordialement|de[ \t]+la[ \t]+part[ \t]+de|"
    r"merci[ \t]+[àa]|merci|thanks[ \t]+to|thanks|thank[ \t]+you|ask[ \t]+for|demandez|"
    r"parl[ée]e?[ \t]+(?:avec|[àa])|spoke[ \t]+(?:to|with)|talked[ \t]+(?:to|with)|"
    r"my[ \t]+name[ \t]+is|je[ \t]+m'appelle|moi[ \t]+c'est|hello|hi|hey|dear|bonjour|"
    r"bonsoir|salut|cher|ch[èe]re|coucou)|--)[ \t]*[:,]?[ \t]*\n?[ \t]*\Z"
)
# Weaker cues, enough for a capitalised word that is also an ordinary word.
_WEAK_CUE = re.compile(
    r"(?i)\b(?:avec|par|from|with|by|contact|agent|conseill[eè]re?|vendeu(?:r|se)|"
    r"livreur|c'est|je[ \t]+suis|i'm|i[ \t]+am)[ \t]*[:,]?[ \t]*\Z"
)
# Words after which even a name mostly seen as a place or brand is a person: one talks
# with, or is served by, a person ("appel avec Jules"; not "from Paris", "by Lacoste").
_MEETING_CUE = re.compile(
    r"(?i)\b(?:avec|contact|agent|conseill[eè]re?|vendeu(?:r|se)|livreur)[ \t]*[:,]?[ \t]*\Z"
)
# Cues strong enough for a lower-case ordinary word at the end of a clause: "signé: jean".
_STRONG_CUE = re.compile(
    r"(?i)(?:\b(?:sign[ée]e?|signed|regards|cordialement|from|de[ \t]+la[ \t]+part[ \t]+de|"
    r"my[ \t]+name[ \t]+is|je[ \t]+m'appelle|moi[ \t]+c'est)|--)[ \t]*[:,]?[ \t]*\n?[ \t]*\Z"
)
_TERMINAL_AFTER = re.compile(r"[ \t]*(?:$|[\r\n.,;!?)])")
_LINE_BEFORE = re.compile(r"(?:\A|\n)[ \t>*•\-]*\Z")
_LINE_AFTER = re.compile(r"[ \t]*[.,!;:]?[ \t]*(?:\r?\n|$)")
# Nothing but a full stop or a comma after a word until the end of the text: the word ends
# the last line, where a message is signed.
_LAST_LINE = re.compile(r"[ \t]*[.,!]?[ \t]*\Z")
_NAME_GAP = re.compile(r"[ \t]+|-")
_JOINED_NAMES_GAP = re.compile(r"[ \t]+")


@dataclass
class _Candidate:
    start: int
    end: int
    tier: int
    capitalised: bool
    is_name: bool = False


def _classify(key: str, common: frozenset[str], proper: frozenset[str]) -> int:
    if key in proper or key in _STOPWORDS:
        return _PROPER_NOUN
    if key in common or len(key) <= 2:
        return _COMMON_WORD
    return _UNAMBIGUOUS


def _trie_pattern(words: Iterable[str], char_pattern: Callable[[str], str] = re.escape) -> str:
    """One regex alternation shaped like a trie: "jean(?:-baptiste|-marc)?|karine|...".

    The engine walks it one character at a time, so matching cost depends on the text and
    the depth of the trie, not on the number of names.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [
            char_pattern(char) + emit(child) for char, child in sorted(node.items()) if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a name ends here and longer ones go on: the rest is optional
            body = f"(?:{body})?"
        return body

    return emit(trie)


def _protected_char(char: str) -> str:
    # "Dr. Martens" also covers "Dr Martens" and line-wrapped spaces.
    return {" ": r"[ \t]+", ".": r"\.?"}.get(char, re.escape(char))


def _name_pairs(names: Iterable[str]) -> frozenset[tuple[str, str]]:
    """Consecutive parts of every multi-word name, folded, in both orders."""
    pairs: set[tuple[str, str]] = set()
    for raw in names:
        parts = [
            part.strip(".,;:")
            for part in _fold(str(raw)).split()
            if part.strip(".,;:") not in _LOWER_PARTICLES
        ]
        for first, second in zip(parts, parts[1:], strict=False):
            pairs.update({(first, second), (second, first)})
    return frozenset(pairs)


def _name_keys(names: Iterable[str]) -> set[str]:
    """Folded keys for every name and every part of a multi-word name."""
    keys: set[str] = set()
    for raw in names:
        if not raw:
            continue
        folded = _fold(str(raw)).strip()
        for part in folded.split():
            part = part.strip(".,;:")
            if part and part not in _LOWER_PARTICLES and part not in _CAP_PARTICLES:
                keys.add(part)
    return keys - _PLACEHOLDER_WORDS


# --------------------------------------------------------------------------- the redactor


class Redactor:
    """Replace personal data in customer text by `[kind]` tokens.

    Build it once per run with the person names the warehouse holds (first names, last
    names or full names; thousands are fine: lookups are hash-based, so the cost per text
    does not grow with the list), then call `redact` or `redact_many`.

    `common_words` adds ordinary words that are also names (only redacted where used as a
    name); `protected_terms` adds brands or shops that look like names (never redacted).
    """

    def __init__(
        self,
        known_names: Iterable[str] = (),
        *,
        common_words: Iterable[str] = (),
        protected_terms: Iterable[str] = (),
    ) -> None:
        self._common = _COMMON_WORD_NAMES | frozenset(_fold(w) for w in common_words)
        self._proper = _PROPER_NOUN_NAMES
        known_names = [name for name in known_names if name]
        self._names: dict[str, int] = {
            key: _classify(key, self._common, self._proper) for key in _name_keys(known_names)
        }
        # Consecutive parts of a full name, both ways ("jade robin", "robin jade"): together
        # they are that person whatever their case, even when each part is an ordinary word.
        self._pairs = frozenset(
            (first, second)
            for first, second in _name_pairs(known_names)
            if first in self._names and second in self._names
        )
        # Every letter run inside a known name: a text sharing none of them cannot
        # contain one, which skips the token scan for most texts.
        self._name_parts = frozenset(
            part for key in self._names for part in _ASCII_WORDS.findall(key)
        )
        # A name with no ASCII letter at all (Cyrillic, Greek) cannot use that shortcut.
        self._scan_always = any(not _ASCII_WORDS.search(key) for key in self._names)
        self._name_pattern = (
            re.compile(rf"(?<!{_L})(?:{_trie_pattern(self._names)})(?!{_L})")
            if self._names
            else None
        )
        terms = {" ".join(_fold(t).split()) for t in (*_PROTECTED_TERMS, *protected_terms)}
        self._protected = re.compile(
            rf"(?<![\w])(?:{_trie_pattern(terms, _protected_char)})(?![\w])"
        )

    @overload
    def redact(self, text: str) -> str: ...
    @overload
    def redact(self, text: None) -> None: ...
    def redact(self, text: str | None) -> str | None:
        """Return `text` with every piece of personal data replaced by its token."""
        if not text:
            return text
        doc = _Text(text)
        _redact_emails(doc)
        runs = _DIGIT_RUN.findall(doc.text)
        longest_run = max(map(len, runs), default=0)
        if runs:
            # Card, IBAN and phone numbers need a minimum count of digits.
            digits = sum(map(len, runs))
            before = doc.text
            _redact_bank(doc, digits, longest_run)
            _redact_cards(doc, digits)
            if digits >= 8:
                _redact_phones(doc)
            if doc.text is not before:
                # What is left for the address rules, which mostly start from a number.
                longest_run = max(map(len, _DIGIT_RUN.findall(doc.text)), default=0)
        _redact_addresses(doc, longest_run)
        return self._redact_names(doc.text, doc.folded)

    def redact_many(self, texts: Iterable[str | None]) -> list[str | None]:
        """`redact` over a column of texts; None stays None."""
        return [self.redact(text) for text in texts]

    # ----------------------------------------------------------------- names

    def _redact_names(self, text: str, folded: str) -> str:
        found = _Spans()
        protected: list[tuple[int, int]] | None = None
        if _HONORIFIC.search(folded):
            protected = self._protected_spans(folded)
            _honorific_names(text, folded, protected, found)
        if ":" in text:
            _field_names(text, found)
        if "\n" in text or "," in text:
            _sign_off_names(text, folded, found)
        if "appel" in folded or "name" in folded or "nom" in folded or "c'est" in folded:
            _introduced_names(text, folded, found)
        if "<[email]>" in folded:
            _names_before_email(text, found)
        learnt = {key: _classify(key, self._common, self._proper) for key in found.learnt}
        spans = found.spans + self._known_name_spans(text, folded, protected, learnt)
        if not spans:
            return text
        return _replace_spans(text, _merge(spans, text, _JOINED_NAMES_GAP), _NAME)

    def _protected_spans(self, folded: str) -> list[tuple[int, int]]:
        return [m.span() for m in self._protected.finditer(folded)]

    def _lookup(self, key: str, learnt: dict[str, int]) -> int | None:
        tier = self._names.get(key)
        return learnt.get(key) if tier is None else tier

    def _known_name_spans(
        self,
        text: str,
        folded: str,
        protected: list[tuple[int, int]] | None,
        learnt: dict[str, int],
    ) -> list[tuple[int, int]]:
        if not self._scan_always and not learnt:
            if self._name_parts.isdisjoint(_ASCII_WORDS.findall(folded)):
                return []
        hits = (
            [m.start() for m in self._name_pattern.finditer(folded)] if self._name_pattern else []
        )
        for key in learnt:
            hits.extend(_word_positions(folded, key))
        if not hits:
            return []
        if protected is None:
            protected = self._protected_spans(folded)
        candidates: dict[tuple[int, int], _Candidate] = {}
        for hit in sorted(hits):
            start, end = _token_around(folded, hit)
            if folded[start - 1 : start] == "[" and folded[end : end + 1] == "]":
                continue  # one of our own tokens
            if _inside(start, protected):
                continue
            match = self._match_token(folded[start:end], start, learnt)
            if match is not None and match[:2] not in candidates:
                hit_start, hit_end, tier = match
                capitalised = text[hit_start].isupper()
                candidates[hit_start, hit_end] = _Candidate(hit_start, hit_end, tier, capitalised)
        if not candidates:
            return []
        ordered = list(candidates.values())
        self._decide(text, ordered)
        return [(c.start, c.end) for c in ordered if c.is_name]

    def _match_token(
        self, token: str, start: int, learnt: dict[str, int]
    ) -> tuple[int, int, int] | None:
        tier = self._lookup(token, learnt)
        if tier is not None:
            return start, start + len(token), tier
        if token.endswith("'s"):
            hit = self._match_token(token[:-2], start, learnt)  # Sarah's
            if hit is not None:
                return hit
        elision = _ELISION.match(token)
        if elision is not None:
            return self._match_token(token[elision.end() :], start + elision.end(), learnt)
        if "-" in token:
            # Jean-Paul is a name when every part is; Saint-Valentin is not.
            tiers = [self._lookup(part, learnt) for part in token.split("-")]
            if all(t is not None for t in tiers):
                return start, start + len(token), min(t for t in tiers if t is not None)
        return None

    def _decide(self, text: str, candidates: list[_Candidate]) -> None:
        """Mark which known-name hits are used as names.

        Unambiguous names always are. A name that is also an ordinary word (tier
        _COMMON_WORD) is one when capitalised mid-sentence, after a cue, alone on its
        line, or next to another name. A name mostly seen as a place or brand (tier
        _PROPER_NOUN) needs a person cue, a title or a neighbouring name.
        """
        shouting = any(c.capitalised for c in candidates) and _is_shouting(text)
        for c in candidates:
            if c.tier == _UNAMBIGUOUS:
                c.is_name = True
                continue
            window = max(0, c.start - 40)
            capital = c.capitalised and not shouting
            common = c.tier == _COMMON_WORD
            if capital and common and not _SENTENCE_START.search(text, window, c.start):
                c.is_name = True  # "avec Rose hier", "thanks to Will"
            elif c.capitalised and _PERSON_CUE.search(text, window, c.start):
                c.is_name = True  # "Bonjour Jean,", "merci à Florence"
            elif capital and common and _WEAK_CUE.search(text, window, c.start):
                c.is_name = True  # "vu par : Jean"
            elif capital and _MEETING_CUE.search(text, window, c.start):
                c.is_name = True  # "appel avec Jules": a place or brand is not met with
            elif _STRONG_CUE.search(text, window, c.start) and _TERMINAL_AFTER.match(text, c.end):
                c.is_name = True  # "signé: jean."
            elif (
                capital
                and common
                and _LINE_BEFORE.search(text, window, c.start)
                and _LINE_AFTER.match(text, c.end)
            ):
                c.is_name = True  # a signature line of its own
            elif (
                (capital or (common and not shouting))
                and "\n" in text[: c.start]
                and _LINE_BEFORE.search(text, window, c.start)
                and _LAST_LINE.match(text, c.end)
            ):
                # alone on the last line of a message: its signature ("...\nJules", and an
                # ordinary word that is a known name even in lower case: "...\njade")
                c.is_name = True
            elif capital and (
                text.endswith(_NAME + " ", window, c.start) or text.startswith(" " + _NAME, c.end)
            ):
                c.is_name = True  # next to a name found by a title or a label
        # Two known names next to each other that are one person's first and last names
        # are that person, in any case ("cordialement, jade robin").
        for left, right in zip(candidates, candidates[1:], strict=False):
            if (
                _NAME_GAP.fullmatch(text, left.end, right.start)
                and (
                    _fold(text[left.start : left.end]),
                    _fold(text[right.start : right.end]),
                )
                in self._pairs
            ):
                left.is_name = right.is_name = True
        # A word next to a name is part of it ("Jean Dupont"); two capitalised ordinary
        # words that are both known names are a name too ("Rose Blanc").
        changed = True
        while changed:
            changed = False
            for left, right in zip(candidates, candidates[1:], strict=False):
                if not _NAME_GAP.fullmatch(text, left.end, right.start):
                    continue
                for this, other in ((left, right), (right, left)):
                    if this.is_name or not other.is_name:
                        continue
                    if (this.capitalised and not shouting) or other.tier == _UNAMBIGUOUS:
                        this.is_name = changed = True
                if (
                    not left.is_name
                    and not right.is_name
                    and left.capitalised
                    and right.capitalised
                    and not shouting
                    and left.tier == right.tier == _COMMON_WORD
                ):
                    left.is_name = right.is_name = changed = True


_UPPER_LETTER = re.compile(rf"{_UP}")
_LETTER = re.compile(_L)


def _is_shouting(text: str) -> bool:
    """Mostly capitals ("RAPPEL CLIENT : ..."): capitalisation is then no evidence."""
    letters = len(_LETTER.findall(text))
    return letters >= 8 and len(_UPPER_LETTER.findall(text)) > 0.7 * letters


# --------------------------------------------------------------------------- benchmark


def _synthetic_names(count: int, seed: int = 7) -> list[str]:
    """Pronounceable made-up names, so the benchmark does not depend on a name list."""
    import random

    rng = random.Random(seed)
    onsets = "b c d f g j k l m n p r s t v z br ch cl dr gr pl tr".split()
    vowels = "a e i o u é ou ai an in on".split()
    codas = ["", "", "n", "l", "r", "s", "t", "x"]
    names: set[str] = set()
    while len(names) < count:
        syllables = rng.randint(2, 3)
        word = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(syllables))
        names.add((word + rng.choice(codas)).capitalize())
    return sorted(names)


def _benchmark(corpus: str, texts: int, names: int, repeat: int) -> None:
    import random
    import time

    import yaml  # a project dependency; only the benchmark reads the YAML corpus

    with open(corpus, encoding="utf-8") as handle:
        cases = yaml.safe_load(handle)
    rng = random.Random(11)
    base = [case["text"] for case in cases]
    sample: list[str | None] = []
    while len(sample) < texts:
        # Mixed texts: one to three corpus texts glued together, like a ticket thread.
        parts = rng.sample(base, rng.randint(1, 3))
        sample.append(" ".join(parts))
    known = _synthetic_names(names)
    known += [name for case in cases for name in case.get("known_names") or []]
    started = time.perf_counter()
    redactor = Redactor(known)
    built = time.perf_counter() - started
    wall = cpu = float("inf")
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        redactor.redact_many(sample)
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - started_cpu)
    chars = sum(len(t or "") for t in sample) / len(sample)
    # CPU time is the one-core figure even when other processes share the machine.
    print(
        f"{len(known)} known names (index built in {built * 1000:.0f} ms); {len(sample)} texts "
        f"of {chars:.0f} characters on average; best of {repeat}:\n"
        f"  CPU time  {cpu:.2f} s = {len(sample) / cpu:,.0f} texts/s\n"
        f"  wall time {wall:.2f} s = {len(sample) / wall:,.0f} texts/s"
    )


def main(argv: list[str] | None = None) -> None:
    """Throughput benchmark: `python -m flows.voice.redaction [--texts N] [--names N]`."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--corpus", default="tests/fixtures/redaction_corpus.yaml")
    parser.add_argument("--texts", type=int, default=50_000)
    parser.add_argument("--names", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    _benchmark(args.corpus, args.texts, args.names, args.repeat)


if __name__ == "__main__":
    main()
