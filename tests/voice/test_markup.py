"""HTML in customer text becomes plain text (flows/voice/markup.py)."""

from __future__ import annotations

import pytest

from flows.voice.markup import LINK, has_markup, plain_text


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        # what editors and widgets wrap around what customers type
        (
            "<p>Bonjour,</p><p>mon colis&nbsp;est <br/>en retard</p>",
            "Bonjour,\nmon colis est\nen retard",
        ),
        ("<div><b>gras</b> et <i>italique</i></div>", "gras et italique"),
        ("caf&eacute; &amp; th&#233; &#x2014; merci", "café & thé — merci"),
        # pasted markup: no code, no address, the words stay
        ("<script>alert('x')</script>Le jean est top", "Le jean est top"),
        ("<style>p {color: red}</style>Trop petit", "Trop petit"),
        ('<img src="http://127.0.0.1:9/x.png"> nice jeans', "nice jeans"),
        ('<img alt="photo de la poche" src="x.png">', "photo de la poche"),
        ("<!-- commentaire --> reçu abîmé", "reçu abîmé"),
        ('<a href="https://shop.example/p/12">mon jean</a> a craqué', "mon jean a craqué"),
        ("<svg><text>x</text></svg>ok", "ok"),
        # escaped once more by an editor: decoded, then stripped
        ("&lt;script&gt;alert(1)&lt;/script&gt;merci", "merci"),
        ("&lt;b&gt;soldes&lt;/b&gt;", "soldes"),
        # a tag left unfinished at the end
        ("très bien <img src=x", "très bien"),
        # links are not the customer's words
        ("voir https://exemple.fr/a?b=c. merci", f"voir {LINK}. merci"),
        ("(www.monsite.fr)", f"({LINK})"),
        ("file:///etc/passwd", LINK),
        ("[lien](javascript:alert(1))", f"lien {LINK}"),
        ("écrivez à mailto:jean@x.fr", f"écrivez à {LINK}"),
    ],
)
def test_markup_becomes_plain_text(text: str, plain: str) -> None:
    assert plain_text(text) == plain


@pytest.mark.parametrize(
    "text",
    [
        "prix < 50 € et je t'aime <3",
        "note 3<5 et 5>3, flèche -> ici",
        "R&D, Tom & Jerry, 3 & 4",
        "The data: 12 items",
        "{{ 7*7 }} ${7*7}",
        "Taille 38/40 -> trop petit",
        "> citation d'un message\nma réponse",
        "[name] et [email] restent des jetons",
    ],
)
def test_text_without_markup_keeps_its_characters(text: str) -> None:
    assert plain_text(text) == text
    assert not has_markup(text) or "&" in text or "<" in text


def test_spacing_is_normalised_and_lines_kept() -> None:
    assert plain_text("  trop   petit \t\n\n\n  je   rends \u00a0 ") == "trop petit\nje rends"


def test_plain_text_is_idempotent() -> None:
    for text in ("<p>a &amp; b</p>", "voir www.x.fr", "&lt;i&gt;x&lt;/i&gt;", "simple"):
        once = plain_text(text)
        assert plain_text(once) == once
