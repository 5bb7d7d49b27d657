"""Tests for the personal-data redactor (flows/voice/redaction.py).

The adversarial corpus (tests/fixtures/redaction_corpus.yaml, written by hand by
someone else) gives one test per case: every `pii` string must be gone after redaction
(case-insensitive), every `keep` string must survive exactly. The summary test prints
recall and false positives per category; run it with `-s` to see the table:

    .venv/bin/pytest tests/voice/test_redaction.py -k summary -s
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from flows.voice.redaction import KINDS, TOKENS, Redactor, describe

CORPUS_PATH = Path(__file__).parents[1] / "fixtures" / "redaction_corpus.yaml"


@dataclass(frozen=True)
class Case:
    id: str
    category: str
    lang: str
    text: str
    pii: tuple[str, ...]
    keep: tuple[str, ...]
    known_names: tuple[str, ...]


def load_corpus() -> list[Case]:
    raw = yaml.safe_load(CORPUS_PATH.read_text(encoding="utf-8"))
    return [
        Case(
            id=item["id"],
            category=item["category"],
            lang=item["lang"],
            text=item["text"],
            pii=tuple(item.get("pii") or ()),
            keep=tuple(item.get("keep") or ()),
            known_names=tuple(item.get("known_names") or ()),
        )
        for item in raw
    ]


CORPUS = load_corpus()


def leaked(case: Case, redacted: str) -> list[str]:
    return [p for p in case.pii if p.casefold() in redacted.casefold()]


def damaged(case: Case, redacted: str) -> list[str]:
    return [k for k in case.keep if k not in redacted]


# --------------------------------------------------------------------------- the corpus


def test_corpus_is_well_formed() -> None:
    ids = [case.id for case in CORPUS]
    assert len(ids) == len(set(ids)) == 236
    for case in CORPUS:
        assert case.pii or case.keep, case.id
        for pii in case.pii:
            assert pii.casefold() in case.text.casefold(), (case.id, pii)
        for keep in case.keep:
            assert keep in case.text, (case.id, keep)


@pytest.mark.parametrize("case", CORPUS, ids=[case.id for case in CORPUS])
def test_corpus_case(case: Case) -> None:
    redacted = Redactor(case.known_names).redact(case.text)
    assert not leaked(case, redacted), f"PII left in: {redacted!r}"
    assert not damaged(case, redacted), f"kept text damaged: {redacted!r}"


@dataclass
class Score:
    pii_total: int = 0
    pii_removed: int = 0
    keep_total: int = 0
    keep_damaged: int = 0
    cases: int = 0
    cases_failed: int = 0


def corpus_scores(redactor_for: Callable[[Case], Redactor]) -> dict[str, Score]:
    """Recall (pii strings removed / total) and false positives (keep strings damaged /
    total) per category, plus an "overall" row."""
    scores: dict[str, Score] = {}
    for case in CORPUS:
        redacted = redactor_for(case).redact(case.text)
        lost, hurt = leaked(case, redacted), damaged(case, redacted)
        for key in (case.category, "overall"):
            score = scores.setdefault(key, Score())
            score.pii_total += len(case.pii)
            score.pii_removed += len(case.pii) - len(lost)
            score.keep_total += len(case.keep)
            score.keep_damaged += len(hurt)
            score.cases += 1
            score.cases_failed += bool(lost or hurt)
    return scores


def format_scores(title: str, scores: dict[str, Score]) -> str:
    lines = [
        title,
        f"{'category':<10} {'cases':>5} {'failed':>6} {'recall':>15} {'false positives':>17}",
    ]
    order = sorted(k for k in scores if k != "overall") + ["overall"]
    for key in order:
        s = scores[key]
        recall = f"{s.pii_removed}/{s.pii_total}" if s.pii_total else "-"
        lines.append(
            f"{key:<10} {s.cases:>5} {s.cases_failed:>6} {recall:>15} "
            f"{s.keep_damaged:>8}/{s.keep_total:<8}"
        )
    return "\n".join(lines)


def test_corpus_summary() -> None:
    """Print the recall and false-positive table; the per-case tests say which failed."""
    scores = corpus_scores(lambda case: Redactor(case.known_names))
    print("\n" + format_scores("Per-case known names", scores))
    overall = scores["overall"]
    assert overall.pii_removed == overall.pii_total
    assert overall.keep_damaged == 0


# --------------------------------------------------------------------------- one name list
# In production the redactor holds every name of the warehouse at once, not only the
# names of the text at hand: the traps must survive that too.

FRENCH_AND_ENGLISH_NAMES = """
Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel
Lefebvre Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine
Rousseau Vincent Muller Lefèvre Faure André Mercier Blanc Guérin Boyer Garnier Chevalier
François Legrand Gauthier Garcia Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu
Masson Marchand Duval Denis Dumont Marie Lemaire Noël Meyer Dufour Meunier Brun Blanchard
Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gérard Roche Renard Roy
Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix Olivier Philippe
Pierre Rey Leclerc Guillaume Lopez Jean Hubert Berger Carpentier Moulin Louis Paris
Charles Baron Cousin Germain Breton Léger Poulain Gay Antoine Camille Léa Emma Louise
Chloé Manon Inès Lina Rose Jade Anna Nathalie Sandrine Isabelle Sophie Julie Céline
Karine Hélène Lucas Hugo Nathan Léo Gabriel Arthur Jules Paul Marc Kevin Yannick Marco
Priya Dave Sarah Rachel Goldberg Oliver Bennett James Ralph Lauren Isabel Marant Victor
Smith Brown Young Page Lee Taylor Wilson Jones Williams Davies Evans Walker Wright Green
White Hall Wood Baker Mark Grace Will May April Summer Olive Hazel Iris Violette Claire
"""


@functools.cache
def pooled_redactor() -> Redactor:
    names = FRENCH_AND_ENGLISH_NAMES.split()
    names += [name for case in CORPUS for name in case.known_names]
    rng = random.Random(3)
    syllables = "ka ro mi ta lu vo ne si da pe zu gor lin bas tem wil fra dou bri".split()
    made_up: set[str] = set()
    while len(made_up) < 5000:
        made_up.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize())
    return Redactor(names + sorted(made_up))


def test_corpus_summary_with_one_name_list() -> None:
    """Same corpus, one redactor holding every corpus name plus ~5,000 others."""
    redactor = pooled_redactor()
    scores = corpus_scores(lambda case: redactor)
    print("\n" + format_scores("One shared name list", scores))
    overall = scores["overall"]
    assert overall.pii_removed == overall.pii_total
    assert overall.keep_damaged == 0


# --------------------------------------------------------------------------- properties


def sample_texts() -> list[str]:
    """Corpus texts, glued triples, and corpus texts with random characters spliced in."""
    rng = random.Random(5)
    texts = [case.text for case in CORPUS]
    glued = [" ".join(rng.sample(texts, 3)) for _ in range(200)]
    alphabet = "abcXYZ0123456789 .,:;@-_()[]+/\n'’«»éÉ°#*€"
    spliced = []
    for _ in range(1000):
        text = rng.choice(texts)
        at = rng.randint(0, len(text))
        noise = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        spliced.append(text[:at] + noise + text[at:])
    return texts + glued + spliced


def all_known_names() -> list[str]:
    return sorted({name for case in CORPUS for name in case.known_names})


def test_redacting_twice_changes_nothing() -> None:
    redactor = Redactor(all_known_names())
    for text in sample_texts():
        once = redactor.redact(text)
        assert redactor.redact(once) == once, text


@pytest.mark.parametrize("text", ["", " ", "\n", "ok", "123", "@", "Mme", "M.", "[name]"])
def test_trivial_inputs(text: str) -> None:
    assert Redactor(["Karine"]).redact(text) == text


def test_none_stays_none() -> None:
    redactor = Redactor(["Karine"])
    assert redactor.redact(None) is None
    assert redactor.redact_many([None, "", "Karine a appelé", None]) == [
        None,
        "",
        "[name] a appelé",
        None,
    ]
    assert redactor.redact_many([]) == []


def test_very_long_text_is_fully_redacted() -> None:
    """A thread of 1,000+ cases in one text: each case's PII is still removed and its
    kept text intact (checked on its own segment, since one case's kept EAN code can
    contain another case's phone digits)."""
    cases = CORPUS * 5
    redactor = Redactor(all_known_names())
    separator = "\n\n§§\n\n"
    text = separator.join(case.text for case in cases)
    segments = redactor.redact(text).split(separator)
    assert len(text) > 50_000
    assert len(segments) == len(cases)
    for case, segment in zip(cases, segments, strict=True):
        assert not leaked(case, segment), (case.id, segment)
        assert not damaged(case, segment), (case.id, segment)


def test_no_token_contains_a_corpus_pii_string() -> None:
    tokens = " ".join(TOKENS.values()).casefold()
    for case in CORPUS:
        for pii in case.pii:
            assert pii.casefold() not in tokens, (case.id, pii)


def test_tokens_are_readable_and_stable() -> None:
    assert TOKENS == {
        "email": "[email]",
        "phone": "[phone]",
        "iban": "[iban]",
        "card": "[card]",
        "address": "[address]",
        "name": "[name]",
    }
    redactor = Redactor(["Email", "Name", "Phone"])
    text = " ".join(TOKENS.values())
    assert redactor.redact(text) == text


# --------------------------------------------------------------------------- beyond the corpus
# Written after the corpus passed, to see whether the rules generalise rather than fit
# the corpus. Known names: those of `PROBE_NAMES`.

PROBE_NAMES = ["Camille Durand", "Rose", "Jean", "Pierre", "Claire", "Martin", "Blanc"]

PROBES = [
    # e-mail
    ("jean (dot) dupont (at) free (dot) fr", "[email]"),
    ("CAMILLE.DURAND AT GMAIL.COM", "[email]"),
    ("écrire à contact.pro-2024@sous.domaine.example.org merci", "écrire à [email] merci"),
    ("meet me at 5 at the shop", "meet me at 5 at the shop"),
    # phone
    ("06 1234 5678", "[phone]"),
    ("(+33) 6 12 34 56 78", "[phone]"),
    ("+33(0)612345678", "[phone]"),
    ("phone: 555-123-4567", "phone: [phone]"),
    ("+1 415-555-0134 x123", "[phone] x123"),
    ("+352 621 123 456", "[phone]"),
    ("020-7946-0958", "[phone]"),
    ("commande 0612345678 expédiée", "commande 0612345678 expédiée"),
    ("taille 36 38 40 42 44", "taille 36 38 40 42 44"),
    ("prix 12 34 56 78 90 €", "prix 12 34 56 78 90 €"),
    ("le 12.03.2024 à 14h", "le 12.03.2024 à 14h"),
    # bank and card
    ("FR 76 3000 6000 0112 3456 7890 189", "[iban]"),
    ("IBAN IT60 X054 2811 1010 0000 0123 456", "IBAN [iban]"),
    ("visa 4111 11111111 1111", "visa [card]"),
    ("cb 4970 1012 3456 78", "cb [card]"),
    ("ma carte: 5105-1051-0510-5100 exp 12/26 cvv: 123", "ma carte: [card] exp 12/26 cvv: [card]"),
    ("le code EAN 5901234123457", "le code EAN 5901234123457"),
    ("SIRET 123 456 789 00012", "SIRET 123 456 789 00012"),
    # address
    ("12 r des Lilas 69003 Lyon", "[address]"),
    ("9 bis, rue Pasteur", "[address]"),
    ("22 rue du 8 Mai 1945, 94000 Créteil", "[address]"),
    ("ZA des Pins, 33000 Bordeaux", "[address]"),
    ("Via Roma 5, 00100 Roma", "[address]"),
    ("Musterstraße 12, 10115 Berlin", "[address]"),
    ("I live at 10 Downing Street, London SW1A 2AA", "I live at [address], London [address]"),
    ("j'ai acheté 2 places pour le concert", "j'ai acheté 2 places pour le concert"),
    ("Rue 21 (tee shirt)", "Rue 21 (tee shirt)"),
    ("on a 20000 followers", "on a 20000 followers"),
    # "passage" is a street type, and "29200" is not a number "2" then a postcode "9200"
    ("pas de passage je suis sur 29200 brest", "pas de passage je suis sur [address]"),
    # name
    ("Bonjour, je m'appelle Sophie Martin", "Bonjour, je m'appelle [name]"),
    ("Merci, Sophie Martin", "Merci, [name]"),
    ("Thanks, The Team", "Thanks, The Team"),
    (
        "On Tue, Mar 4, 2025 at 9:14 AM Pierre Lemaire <p.lemaire@outlook.fr> wrote:",
        "On Tue, Mar 4, 2025 at 9:14 AM [name] <[email]> wrote:",
    ),
    ("M DUPONT a appelé", "M [name] a appelé"),
    ("CALL ME MAYBE", "CALL ME MAYBE"),
    ("Taille : M. Couleur : rose", "Taille : M. Couleur : rose"),
    ("M. le Maire", "M. le Maire"),
    ("joyeux Noël à tous", "joyeux Noël à tous"),
    ("le rose blanc est joli", "le rose blanc est joli"),
    ("Rose Blanc a commandé", "[name] a commandé"),
    ("un martin-pêcheur sur le logo", "un martin-pêcheur sur le logo"),
    # Known limits, kept visible: a common-word name opening a sentence is kept, the
    # same word capitalised mid-sentence is taken for a name.
    ("Rose a répondu rapidement", "Rose a répondu rapidement"),
    ("especially the Rose dress", "especially the [name] dress"),
]


@pytest.mark.parametrize(("text", "expected"), PROBES, ids=[t for t, _ in PROBES])
def test_beyond_the_corpus(text: str, expected: str) -> None:
    assert Redactor(PROBE_NAMES).redact(text) == expected


CLEAN_REVIEWS = [
    "Très bonne qualité, la veste est chaude et bien coupée. Je recommande !",
    "Commande n°45872 reçue en 3 jours, emballage soigné.",
    "Le jean slim taille 40 est trop serré au niveau des cuisses, j'ai dû le renvoyer.",
    "Déçue : la couleur bleu marine ne correspond pas à la photo, plutôt noir.",
    "Parfait pour l'hiver, je fais du 38 et j'ai pris un M.",
    "Le remboursement de 59,90 € n'est toujours pas arrivé après 15 jours.",
    "Le point relais Mondial Relay de la rue principale était fermé.",
    "Ma fille adore sa robe rose, elle la porte tous les jours !",
    "Code promo BIENVENUE10 non appliqué sur ma commande du 03/02.",
    "La boutique de Nantes, quai de la Fosse, est très bien agencée.",
    "Arrived in 2 days to Manchester, great packaging, will buy again.",
    "Customer service was slow to respond, ticket #88213 still open.",
    "Returned order 100482 on 12/03, refund of £45.00 still pending.",
    "Great fit, I'm 5'10 and 170 lbs and the M is perfect.",
    "Bought the Oxford shirt in white and blue, both great.",
    "My Chelsea boots arrived scuffed.",
    "Good value, but the Paris store didn't have my size.",
    "Jean droit bleu brut taille 42, coupe parfaite.",
    "Le gilet Petit Prince pour enfant est adorable.",
    "Référence article 3615-AB-22, couleur sable.",
    "Les 3 pantalons de la commande 2024-55871 sont arrivés séparément.",
    "Mes mensurations : tour de taille 76 cm, hanches 98 cm.",
    "Je mesure 1 m 65 et la robe arrive aux genoux.",
    "Le vendeur de la boutique Saint-Germain était adorable.",
    "Le suivi indique livré le 14/02 à 11:42 mais rien reçu.",
]


@pytest.mark.parametrize("text", CLEAN_REVIEWS)
def test_reviews_without_personal_data_are_untouched(text: str) -> None:
    """With a realistic shared name list (Rose, Petit, Paris, Martin, Jean...)."""
    assert pooled_redactor().redact(text) == text


# --------------------------------------------------------------------------- units


def test_methods_appendix_lists_every_kind_in_both_languages() -> None:
    for lang in ("fr", "en"):
        rows = describe(lang)
        assert [kind for kind, _ in rows] == list(TOKENS)
        assert all(description.strip() for _, description in rows)
    assert describe("fr") != describe("en")
    assert [k.token for k in KINDS] == list(TOKENS.values())
    with pytest.raises(ValueError, match="lang"):
        describe("de")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("carte 4111 1111 1111 1111 ok", "carte [card] ok"),
        # a card layout with a mistyped digit is still a card
        ("carte 4111 1111 1111 1112 ok", "carte [card] ok"),
        # 16 compact digits without a card prefix or checksum: a reference, kept
        ("ref 9876543210123456 ok", "ref 9876543210123456 ok"),
        # EAN-13 product codes are kept even though they are long digit runs
        ("EAN 4006381333931", "EAN 4006381333931"),
    ],
)
def test_card_decisions(text: str, expected: str) -> None:
    assert Redactor().redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IBAN DE89370400440532013000.", "IBAN [iban]."),
        # unknown country code, valid checksum
        ("compte XK051212012345678906", "compte [iban]"),
        ("RIB 30004 00823 00010298765 76", "RIB [iban]"),
    ],
)
def test_bank_decisions(text: str, expected: str) -> None:
    assert Redactor().redact(text) == expected


def test_name_that_is_an_ordinary_word_needs_a_name_context() -> None:
    redactor = Redactor(["Rose", "Jean", "Dupont"])
    assert redactor.redact("la veste rose est jolie") == "la veste rose est jolie"
    assert redactor.redact("j'ai vu Rose hier") == "j'ai vu [name] hier"
    assert redactor.redact("Jean Dupont a appelé") == "[name] a appelé"
    assert redactor.redact("jean dupont a appelé") == "[name] a appelé"
    assert redactor.redact("Jean slim trop court") == "Jean slim trop court"
    assert redactor.redact("Bonjour Jean, merci") == "Bonjour [name], merci"


def test_names_are_accent_and_case_insensitive() -> None:
    redactor = Redactor(["Hélène Müller"])
    assert redactor.redact("HELENE a répondu, puis muller") == "[name] a répondu, puis [name]"


def test_a_name_found_after_a_title_is_found_again_later() -> None:
    redactor = Redactor()
    assert redactor.redact("Mme Vasquez a appelé. Vasquez rappellera.") == (
        "Mme [name] a appelé. [name] rappellera."
    )


def test_protected_terms_are_extensible() -> None:
    assert Redactor(["Bonpoint"]).redact("robe Bonpoint") == "robe [name]"
    redactor = Redactor(["Bonpoint"], protected_terms=["Bonpoint"])
    assert redactor.redact("robe Bonpoint") == "robe Bonpoint"


def test_common_words_are_extensible() -> None:
    assert Redactor(["Lin"]).redact("chemise en lin") == "chemise en [name]"
    assert Redactor(["Lin"], common_words=["lin"]).redact("chemise en lin") == "chemise en lin"


def letters_for(number: int) -> str:
    return "".join(chr(ord("a") + int(d)) for d in f"{number:05d}")


def test_twenty_thousand_names_from_a_generator() -> None:
    names: Iterable[str] = (f"Zu{letters_for(i)}" for i in range(20_000))
    redactor = Redactor(names)
    assert redactor.redact("merci Zuaaaec, pas Zuaaaecz") == "merci [name], pas Zuaaaecz"


# --- rules added when the redactor met the demo's texts (not in the corpus) ---------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a person's first and last names side by side, in lower case, ordinary words both
        ("merci.\ncordialement,\njade robin", "merci.\ncordialement,\n[name]"),
        ("robin jade a appelé", "[name] a appelé"),
        # a signature alone on the last line: a name mostly seen as a brand, in capitals...
        ("Bonjour,\nle jean a craqué.\nJules", "Bonjour,\nle jean a craqué.\n[name]"),
        # ...or a known name that is an ordinary word, in lower case
        ("pourriez-vous broder notre logo ?\njade", "pourriez-vous broder notre logo ?\n[name]"),
        # met with: a person, even when the name is mostly a brand
        ("Appel de suivi avec Jules, RAS.", "Appel de suivi avec [name], RAS."),
    ],
)
def test_demo_forms_of_names_are_redacted(text: str, expected: str) -> None:
    redactor = Redactor(["Jade Robin", "Jade", "Robin", "Jules", "Jules Dupont"])
    assert redactor.redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "la veste jade et le pull robin",  # the two words apart: colours, not the person
        "un jean jade, taille 38",  # one ordinary word alone, mid-line
        "Livré à Lyon depuis Paris\nmerci",  # a town on a line of its own, not a signature
        "Mon jean est jade. robin",  # lower case, not on its own line
    ],
)
def test_ordinary_words_that_are_names_stay_outside_those_forms(text: str) -> None:
    redactor = Redactor(["Jade Robin", "Jade", "Robin", "Paris", "Lyon"])
    assert redactor.redact(text) == text
