"""Theme term matching used by the demo generator to check its own texts.

The generator plants themes in customer texts and must know exactly which
themes each text will be found to mention. It therefore matches every text it
writes against the theme terms of the intent file, with the rule the intent
file documents:

- a text and a term are normalised the same way: lower-case, accents removed,
  every character that is not a letter or a digit replaced by a space;
- a term matches whole words, in sequence for a phrase;
- a trailing ``*`` lets the last word have any ending.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

_NON_WORD = re.compile(r"[^a-z0-9]+")
_COMBINING = re.compile(r"[\u0300-\u036f]")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})


def normalise(text: str) -> str:
    """Lower-case, strip accents, keep only letters and digits separated by single spaces.

    The result starts and ends with a space so that whole words can be found
    with a plain pattern.
    """
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_LIGATURES))
    return " " + _NON_WORD.sub(" ", _COMBINING.sub("", decomposed)).strip() + " "


def term_pattern(term: str) -> str:
    """Regular expression (on a normalised text) for one theme term."""
    prefix = term.endswith("*")
    words = normalise(term.rstrip("*")).split()
    body = " ".join(re.escape(word) for word in words)
    return " " + body + ("[a-z0-9]*" if prefix else "") + "(?= )"


@dataclass(frozen=True)
class ThemeMatcher:
    """Finds which themes a text mentions."""

    patterns: tuple[tuple[str, re.Pattern[str]], ...]

    @classmethod
    def from_terms(cls, terms_by_theme: Mapping[str, Iterable[str]]) -> ThemeMatcher:
        patterns = []
        for theme_id, terms in terms_by_theme.items():
            alternatives = "|".join(term_pattern(term) for term in terms)
            patterns.append((theme_id, re.compile(f"(?:{alternatives})")))
        return cls(tuple(patterns))

    @classmethod
    def from_intent(cls, intent_path: Path) -> ThemeMatcher:
        intent = yaml.safe_load(intent_path.read_text(encoding="utf-8"))
        terms: dict[str, list[str]] = {}
        for theme in intent["themes"]:
            terms[theme["id"]] = [
                t for lang in sorted(theme["terms"]) for t in theme["terms"][lang]
            ]
        return cls.from_terms(terms)

    @property
    def theme_ids(self) -> tuple[str, ...]:
        return tuple(theme_id for theme_id, _ in self.patterns)

    def themes(self, text: str) -> frozenset[str]:
        normalised = normalise(text)
        return frozenset(theme_id for theme_id, rx in self.patterns if rx.search(normalised))
