"""Customer text cannot make the brief fetch anything, and shows up as plain text.

A local HTTP server counts every request it gets; hostile quotes point at it
(and at local files). Rendering must send it nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from weasyprint.urls import URLFetcher

from flows.brief.render import TemplateFilesOnlyFetcher, render_html
from flows.brief.write import write_brief
from flows.settings import TEMPLATES_DIR

from .conftest import MONTH, M, make_report_warehouse, pdf_text, squash


class CountingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), CountingHandler)
        self.requests: list[str] = []
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class CountingHandler(BaseHTTPRequestHandler):
    server: CountingServer

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        with self.server.lock:
            self.server.requests.append(self.path)
        body = b"body { color: red }"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[CountingServer]:
    srv = CountingServer()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=5)


def hostile_quotes(base: str) -> list[str]:
    return [
        f'<img src="{base}/pixel.png"> nice jeans',
        f'<link rel="stylesheet" href="{base}/evil.css">',
        f"<style>@import url({base}/import.css);</style> <b>bold</b>",
        '<img src="file:///etc/passwd"> file:///etc/passwd',
        f'<iframe src="{base}/frame"></iframe> <object data="{base}/obj"></object>',
        f'<svg><image href="{base}/svg.png"/></svg> {{{{ 7*7 }}}} & &amp; </blockquote>',
    ]


def test_the_counting_server_does_count(server: CountingServer) -> None:
    # Control: WeasyPrint's default fetcher does reach the server, so a count of
    # zero below means nothing was fetched, not that the server is deaf.
    response = URLFetcher(timeout=5).fetch(f"{server.base}/control.css")
    response.read()
    response.close()
    assert server.requests == ["/control.css"]


def test_hostile_customer_text_is_printed_and_fetches_nothing(
    server: CountingServer, tmp_path: Path
) -> None:
    quotes = hostile_quotes(server.base)
    themes = ["resale", "resale", "local-shops", "local-shops", "sizing", "sizing"]
    extra = [
        (M, theme, rank, f"evil-{i}", "review", "2025-03-30", None, quote)
        for i, (theme, rank, quote) in enumerate(
            zip(themes, [2, 3, 2, 3, 2, 3], quotes, strict=True)
        )
    ]
    warehouse = make_report_warehouse(tmp_path / "hostile.duckdb", extra_verbatims=extra)

    pdf, _ = write_brief(warehouse, MONTH, tmp_path / "out", lang="en")

    assert server.requests == []
    text = pdf_text(pdf)
    for quote in quotes:
        assert squash(quote) in squash(text), quote
    assert "root:" not in text  # /etc/passwd was not pulled into the document


def test_rendered_html_escapes_customer_text(report_warehouse: Path) -> None:
    from flows.brief.findings import build_findings

    findings = build_findings(report_warehouse, MONTH)
    html = render_html(findings, "fr")
    assert "&lt;b&gt;à moitié prix&lt;/b&gt;" in html
    assert "<b>à moitié prix</b>" not in html


def test_fetcher_serves_template_files_only(server: CountingServer) -> None:
    fetcher = TemplateFilesOnlyFetcher(TEMPLATES_DIR)
    font = fetcher.fetch((TEMPLATES_DIR / "fonts" / "Inter-Regular.otf").as_uri())
    assert font.read(4) == b"OTTO"
    font.close()
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"

    refused = [
        f"{server.base}/x.png",
        server.base.replace("http:", "https:") + "/x.png",
        "file:///etc/passwd",
        TEMPLATES_DIR.as_uri() + "/../pyproject.toml",
        TEMPLATES_DIR.as_uri() + "/fonts/../../flows/settings.py",
        TEMPLATES_DIR.as_uri() + "/missing.css",
        f"file://127.0.0.1{TEMPLATES_DIR}/brief.css",
        "ftp://127.0.0.1/x",
    ]
    for url in refused:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.refused == refused
    assert server.requests == []


def test_fetcher_blocks_markup_that_escaped_the_templates(
    server: CountingServer, tmp_path: Path
) -> None:
    # Second line of defence: even raw markup (as if escaping had failed) fetches
    # nothing through the brief's fetcher, while the default fetcher would.
    from weasyprint import HTML

    markup = (
        f'<link rel="stylesheet" href="{server.base}/a.css">'
        f'<p style="background: url({server.base}/b.png)">x</p>'
        f'<img src="{server.base}/c.png"><img src="file:///etc/passwd">'
    )
    base_url = TEMPLATES_DIR.as_uri() + "/"
    fetcher = TemplateFilesOnlyFetcher(TEMPLATES_DIR)
    HTML(string=markup, base_url=base_url, url_fetcher=fetcher).write_pdf(tmp_path / "a.pdf")
    assert server.requests == []
    assert len(fetcher.refused) == 4

    HTML(string=markup, base_url=base_url).write_pdf(tmp_path / "b.pdf")
    assert len(server.requests) == 3  # control: the default fetcher goes out
