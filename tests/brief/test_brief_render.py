"""The PDF brief: a real multi-page PDF, in French or English, with the warehouse's figures."""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
import pytest

from flows.brief.formatting import Formatter
from flows.brief.i18n import STRINGS
from flows.brief.render import render_html
from flows.brief.write import write_brief

from .conftest import MONTH, pdf_pages, pdf_text, squash


@pytest.fixture(scope="module")
def french(report_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    # lang None: the company's language (fr in the fixture)
    return write_brief(report_warehouse, MONTH, tmp_path_factory.mktemp("fr"))


@pytest.fixture(scope="module")
def english(report_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return write_brief(report_warehouse, MONTH, tmp_path_factory.mktemp("en"), lang="en")


def test_french_brief_is_a_multi_page_pdf_in_the_company_language(
    french: tuple[Path, Path],
) -> None:
    pdf, _ = french
    assert pdf.name == f"brief-{MONTH}-fr.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    pages = pdf_pages(pdf)
    assert pages > 1
    text = squash(pdf_text(pdf))
    for heading in (
        "Brief stratégique",
        "Mars 2025",
        "Atelier Exemple",
        "L'essentiel du mois",
        "Intention et usage, offre par offre",
        "Ce que disent les clients",
        "Annexe",
        "Méthode",
        "Couverture et fraîcheur des données",
        "D'où vient chaque chiffre",
    ):
        assert squash(heading) in text, heading
    for figure in (
        "46 380 €",  # raw-denim revenue
        "30 % des acheteurs (117)",  # off-target buyers
        "Artisans et pros",  # segment label (French column)
        "Réparation",
        "recoudre l'entrejambe",  # a verbatim
        "report.rpt_brief__gaps",  # lineage
        f"page 2 / {pages}",
    ):
        assert squash(figure) in text, figure
    badges = pdf_text(pdf).casefold()  # badges are set in capitals by the stylesheet
    assert "fort" in badges and "émergent" in badges and "hors objectif" in badges
    assert "Trades and professionals" not in pdf_text(pdf)


def test_english_brief_uses_english_labels_and_formats(english: tuple[Path, Path]) -> None:
    pdf, _ = english
    assert pdf.name == f"brief-{MONTH}-en.pdf"
    assert pdf_pages(pdf) > 1
    text = squash(pdf_text(pdf))
    for expected in (
        "Strategy brief",
        "March 2025",
        "The month at a glance",
        "Intent versus usage, offer by offer",
        "What customers are saying",
        "Appendix",
        "€46,380",
        "Trades and professionals",
        "Repair",
    ):
        assert squash(expected) in text, expected
    assert "strong" in text.casefold() and "offtarget" in text.casefold()
    assert squash("Emerging terms") in text and squash("« housse de coussin »") in text
    assert squash("Artisans et pros") not in text


def test_every_figure_of_the_json_is_shown_as_formatted_in_the_pdf(
    french: tuple[Path, Path],
) -> None:
    pdf, json_path = french
    findings = json.loads(json_path.read_text(encoding="utf-8"))
    fmt = Formatter("fr", findings["company"]["currency"])
    text = squash(pdf_text(pdf))
    for finding in findings["findings"]:
        figures = finding["figures"]
        if finding["type"] == "gap":
            shown = [
                fmt.metric(figures["expected_value"], finding["metric"]),
                fmt.metric(figures["actual_value"], finding["metric"]),
                fmt.metric_gap(figures["gap_value"], finding["metric"]),
            ]
        elif finding["type"] == "experiment":
            shown = [
                fmt.metric(figures["avg_rating"], "avg_rating"),
                fmt.metric(figures["repeat_rate"], "repeat_rate"),
                fmt.metric(figures["reception_score"], "reception_score"),
            ]
        elif finding["type"] == "decision":
            shown = [
                fmt.metric(figures["before_value"], finding["metric"]),
                fmt.metric(figures["after_value"], finding["metric"]),
                fmt.metric_gap(figures["effect"], finding["metric"]),
            ]
        elif finding["type"] == "emerging_term":
            shown = [
                fmt.number(figures["recent_documents"]),
                fmt.metric(figures["recent_share"], "share"),
                fmt.ratio(figures["smoothed_ratio"]),
            ]
        else:
            shown = [
                fmt.number(figures["documents"]),
                fmt.metric(figures["share"], "share"),
                fmt.number(figures["recent_documents"]),
                fmt.ratio(figures["smoothed_ratio"]),
            ]
        for value in shown:
            assert squash(value) in text, (finding["finding_id"], value)
    for offer in findings["offers"]:
        assert squash(fmt.money(offer["figures"]["revenue"])) in text


def test_same_findings_give_byte_identical_pdfs(
    report_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1740787200")
    first = write_brief(report_warehouse, MONTH, tmp_path / "a", lang="fr")
    second = write_brief(report_warehouse, MONTH, tmp_path / "b", lang="fr")
    assert first[0].read_bytes() == second[0].read_bytes()
    assert first[1].read_bytes() == second[1].read_bytes()


def test_templates_fail_loudly_on_a_missing_value(report_warehouse: Path) -> None:
    from flows.brief.findings import build_findings

    findings = build_findings(report_warehouse, MONTH)
    del findings["offers"][0]["figures"]["revenue"]
    with pytest.raises(jinja2.UndefinedError):
        render_html(findings, "fr")


def test_both_languages_have_the_same_strings() -> None:
    assert STRINGS["fr"].keys() == STRINGS["en"].keys()
    for lang, strings in STRINGS.items():
        assert all(value.strip() for value in strings.values()), lang


def test_cover_warns_when_the_month_is_not_complete(report_warehouse: Path) -> None:
    from flows.brief.findings import build_findings

    findings = build_findings(report_warehouse, MONTH)
    assert findings["is_complete_month"] is True
    assert "Mois incomplet" not in render_html(findings, "fr")
    findings["is_complete_month"] = False
    assert "Mois incomplet : les données s'arrêtent au 12 avril 2025" in render_html(
        findings, "fr"
    ).replace("&#39;", "'")
