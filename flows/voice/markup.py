"""Customer text as plain text: HTML tags and entities removed, links replaced by [link].

Help desks and review platforms export what customers typed, and sometimes the HTML
their editor wrapped it in (`<p>`, `<br>`, `&eacute;`), or markup a customer pasted
(`<img src=...>`, `<script>`). None of it is the customer's words: left in, it is shown
in quotes and counted as words ("img src", "nbsp"). `plain_text` keeps the words,
drops the markup, and replaces links (web addresses, `javascript:` and `file:` links,
Markdown link targets) with `[link]`, since they are not what the customer said and may
carry personal data (tracking parameters, profile addresses).

Standard library only (`html.parser`): the text is parsed as HTML only when it holds
something that looks like a tag or an entity, so "prix < 50 €" or "je t'aime <3" stay
as written. The brief still escapes whatever is left when it prints a quote.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

LINK = "[link]"

# A tag opening (<b, </p, <!--, <!DOCTYPE) or a named / numeric entity.
_MARKUP = re.compile(
    r"<[A-Za-z/!?]|&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});"
)

# Elements whose content is code or metadata, never words: dropped with their content.
_HIDDEN = frozenset({"script", "style", "head", "title", "noscript", "template", "svg", "math"})
# Elements that end a line of text: a line break keeps their words apart.
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
        "figcaption", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr",
        "ul",
    }
)  # fmt: skip

# Markdown links and images: [text](target) -> text (the target is a link).
# The target may hold one level of parentheses: [x](javascript:alert(1)).
_MARKDOWN_LINK = re.compile(r"!?\[([^\[\]\n]{0,200})\]\(((?:[^()\s]|\([^()\s]*\)){1,2000})\)")
# Addresses with a scheme, and bare www. addresses, up to the next space.
_URL = re.compile(
    r"\b(?:(?:https?|ftps?|file)://|(?:javascript|vbscript|data|mailto):(?=\S)|www\.)"
    r"[^\s<>\"«»]*",
    re.IGNORECASE,
)
# What a link usually ends with that belongs to the sentence: put back after [link].
_TRAILING = re.compile(r"[.,;:!?)\]»]+$")
# A tag left unfinished at the end ("... <img src=x"): the parser gives it back as text.
_UNFINISHED_TAG = re.compile(r"<[A-Za-z][A-Za-z0-9]*\s[^<>]*$")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")

# Entities decoded once may reveal more markup ("&lt;script&gt;" written by an editor
# that escaped a pasted tag): parse again, a few times at most.
_MAX_PASSES = 3


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment, without hidden elements and comments."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden_depth += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
        elif tag == "img":
            # An image is not text; its alt text may be (a pasted emoji, a caption).
            alt = dict(attrs).get("alt")
            if alt and not self.hidden_depth:
                self.parts.append(f" {alt} ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HIDDEN:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden_depth:
            self.parts.append(data)

    def text(self) -> str:
        return "".join(self.parts)


def _strip_html(text: str) -> str:
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()  # flushes an unfinished tag at the end ("<img src=x") as text
    return _UNFINISHED_TAG.sub("", parser.text())


def _link(match: re.Match[str]) -> str:
    trailing = _TRAILING.search(match.group())
    return LINK + (trailing.group() if trailing else "")


def has_markup(text: str) -> bool:
    """True when the text holds something that looks like an HTML tag or entity."""
    return _MARKUP.search(text) is not None


def normalise_spaces(text: str) -> str:
    """Spaces collapsed within lines, blank lines squeezed, lines trimmed."""
    text = _SPACES.sub(" ", text)
    text = _BLANK_LINES.sub("\n", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def plain_text(text: str) -> str:
    """`text` without HTML tags and entities, with links replaced by `[link]`.

    Spaces are collapsed within lines and blank lines squeezed to one line break, so
    the result reads like what the customer typed; text without markup or links comes
    back with only its spacing normalised.
    """
    for _ in range(_MAX_PASSES):
        if not has_markup(text):
            break
        text = _strip_html(text)
    text = _MARKDOWN_LINK.sub(lambda m: f"{m.group(1)} {LINK}" if m.group(1) else LINK, text)
    text = _URL.sub(_link, text)
    return normalise_spaces(text)
