"""Render the findings dict to the PDF brief (Jinja2 + WeasyPrint).

Customer text reaches the page, so rendering is locked down twice: Jinja
escapes everything (autoescape, StrictUndefined), and WeasyPrint may only read
files under report_templates/ (stylesheet, fonts). Any other URL, whether
http(s), ftp or a file elsewhere on disk, is refused without being opened.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from flows import shared_lists
from flows.brief import BriefError
from flows.brief.formatting import register_filters
from flows.brief.i18n import Translator
from flows.outputs import write_files_atomically
from flows.settings import TEMPLATES_DIR

log = logging.getLogger(__name__)

ENTRY_TEMPLATE = "brief.html.j2"


class TemplateFilesOnlyFetcher(URLFetcher):
    """A WeasyPrint fetcher that serves files under one folder and nothing else.

    `data:` URLs are allowed (they carry their content, nothing is fetched).
    Every refused URL is kept in `refused` so callers and tests can see what the
    document asked for.
    """

    def __init__(self, root: Path = TEMPLATES_DIR) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.root = Path(root).resolve()
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(url2pathname(unquote(parts.path))).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    path.as_uri(), path.read_bytes(), {"Content-Type": mime_type}
                )
        self.refused.append(url)
        log.warning("brief: refused to fetch %s (only files under %s are allowed)", url, self.root)
        raise ValueError(f"fetching {url} is not allowed in a brief")


def make_environment(lang: str, currency: str, templates: Path = TEMPLATES_DIR) -> Environment:
    """The Jinja environment of one brief: strict, escaped, with the locale's filters."""
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    register_filters(env, lang, currency)
    translator = Translator(lang)
    env.globals.update(
        t=translator,
        code=translator.code,
        lang=lang,
        # the brief's sections follow the order of these lists (transforms/seeds/)
        signal_kinds=shared_lists.signal_kinds(),
        signal_classes=shared_lists.signal_classes(),
        # decisions: the statuses that stand out, the metrics whose change is relative
        headline_decision_statuses=shared_lists.flagged("decision_statuses", "is_headline"),
        volume_metrics=tuple(metric.id for metric in shared_lists.metrics() if metric.is_volume),
    )
    return env


def resolve_language(findings: dict[str, Any], lang: str | None) -> str:
    """The brief's language: the one asked for, else the company's."""
    chosen = lang or findings["company"]["language"]
    languages = shared_lists.language_codes()
    if chosen not in languages:
        source = "asked for" if lang else "set for the company in intent.yaml"
        raise BriefError(
            f"language {chosen!r} {source} is not supported: use one of {', '.join(languages)}"
        )
    return chosen


def render_html(findings: dict[str, Any], lang: str, templates: Path = TEMPLATES_DIR) -> str:
    env = make_environment(lang, findings["company"]["currency"] or "EUR", templates)
    return env.get_template(ENTRY_TEMPLATE).render(f=findings)


def pdf_bytes(
    findings: dict[str, Any],
    lang: str,
    templates: Path = TEMPLATES_DIR,
    fetcher: TemplateFilesOnlyFetcher | None = None,
) -> bytes:
    """The PDF of the brief of `findings` in `lang`, in memory (a few hundred KB).

    The output is byte-identical for the same findings when SOURCE_DATE_EPOCH is
    set (font subsets otherwise carry the current time).
    """
    html = render_html(findings, lang, templates)
    fetcher = fetcher or TemplateFilesOnlyFetcher(templates)
    document = HTML(
        string=html,
        base_url=templates.resolve().as_uri() + "/",
        url_fetcher=fetcher,
    )
    return document.write_pdf(font_config=FontConfiguration())


def render_pdf(
    findings: dict[str, Any],
    lang: str,
    pdf_path: Path,
    templates: Path = TEMPLATES_DIR,
    fetcher: TemplateFilesOnlyFetcher | None = None,
) -> Path:
    """Write the brief of `findings` in `lang` to `pdf_path`, replacing it whole
    (`flows.outputs`: a reader never finds half a PDF)."""
    write_files_atomically([(pdf_path, pdf_bytes(findings, lang, templates, fetcher))])
    return pdf_path
