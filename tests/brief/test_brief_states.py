"""The states of figures in the brief (issue 8, points 3 and 6), on the report fixture.

The fixture (conftest.py) measures every figure except: care-kit's repeat rate, on one
month of order history where three are needed; linen-limited's satisfaction, with no
ticket linked to an offer; an experiment item without a review (LIN-02); lost deals,
with no crm/deals file. A figure not measured is never judged: no "on target", no
"all buyers belong...", no "rated above the range", and the brief names its floor or
the input it lacks. Template logic is tested on findings changed in place.
"""

from __future__ import annotations

import copy
import html
import re
from pathlib import Path

import pytest

from flows.brief import BriefError
from flows.brief.findings import build_findings
from flows.brief.render import render_html
from flows.brief.write import write_brief

from .conftest import MONTH, pdf_text, squash


@pytest.fixture(scope="module")
def findings(report_warehouse: Path) -> dict:
    return build_findings(report_warehouse, MONTH)


def text_of(findings: dict, lang: str) -> str:
    """The brief's HTML as plain text (tags removed, entities decoded, spaces squashed)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", render_html(findings, lang))).split())


def offer(findings: dict, offer_id: str) -> dict:
    return next(o for o in findings["offers"] if o["offer_id"] == offer_id)


def finding(findings: dict, finding_id: str) -> dict:
    return next(f for f in findings["findings"] if f["finding_id"] == finding_id)


# ------------------------------------------------------------------------ the JSON


def test_each_offer_figure_carries_its_state_and_period(findings: dict) -> None:
    states = offer(findings, "care-kit")["figure_states"]
    assert set(states) == set(offer(findings, "care-kit")["figures"])
    assert states["repeat_rate"] == {
        "state": "insufficient_data",
        "input": "shop/orders",
        "no_data_reason": None,
        "floor_name": "repeat_min_history_months",
        "floor_value": 3.0,
        "observed_value": 1.0,
        "period_start": "2025-03-01",
        "period_end": "2025-03-31",
        "metric": "repeat_rate",
    }
    # a mix covers the trailing window; a count of texts is measured by what it counts
    assert (states["off_target_buyer_share"]["period_start"], states["off_target_buyer_share"][
        "period_end"]) == ("2025-01-01", "2025-03-31")  # fmt: skip
    assert states["evidence_items"]["state"] == "measured"
    linen = offer(findings, "linen-limited")["figure_states"]
    assert (linen["csat"]["state"], linen["csat"]["input"], linen["csat"]["no_data_reason"]) == (
        "no_data",
        "support/satisfaction",
        "not_linked",
    )


def test_a_target_on_a_figure_not_measured_is_not_ok(findings: dict) -> None:
    gap = finding(findings, "gap/care-kit|repeat_rate_min|")
    assert gap["classification"] == "insufficient_data"
    assert gap["state"]["floor_name"] == "repeat_min_history_months"
    measured = finding(findings, "gap/raw-denim|monthly_units|")
    assert (measured["classification"], measured["state"]["state"]) == ("ok", "measured")
    assert (measured["state"]["period_start"], measured["state"]["period_end"]) == (
        "2025-03-01",
        "2025-03-31",
    )


def test_an_item_without_reviews_has_no_rating_state(findings: dict) -> None:
    item = finding(findings, "experiment/linen-limited/LIN-02")
    assert item["component_states"]["rating"]["state"] == "no_data"
    assert item["component_states"]["rating"]["no_data_reason"] == "none_in_period"
    assert item["figures"]["rating_component"] is None
    assert "rating_above_core" not in item["reasons"]
    assert finding(findings, "experiment/linen-limited/LIN-01")["component_states"]["rating"][
        "state"
    ] == "measured"  # fmt: skip


def test_data_health_names_missing_sources_and_what_they_leave_unassessed(
    findings: dict,
) -> None:
    health = findings["data_health"]
    assert health["missing_sources"] == ["crm/deals"]
    assert [s["entity_key"] for s in health["sources"]][:2] == ["shop/customers", "shop/orders"]
    not_assessed = {(n["input"], n["no_data_reason"]): n for n in health["not_assessed"]}
    assert not_assessed[("crm/deals", "no_file")]["metrics"] == ["lost_deal_rate"]
    assert not_assessed[("support/satisfaction", "not_linked")]["offer_ids"] == ["linen-limited"]
    # a target shares its figure's state: only the figure is named
    assert all(
        not m.endswith(("_min", "_max")) for n in not_assessed.values() for m in n["metrics"]
    )


def test_signals_carry_their_windows_and_a_fading_theme_its_falling_test(findings: dict) -> None:
    sizing = finding(findings, "signal/sizing")
    assert sizing["classification"] == "fading"
    assert sizing["trend_test_direction"] == "fall"
    assert sizing["periods"]["recent"] == {"start": "2025-01-01", "end": "2025-03-31"}
    assert sizing["periods"]["baseline"] == {"start": "2024-04-01", "end": "2024-09-30"}
    assert finding(findings, "signal/repair")["trend_test_direction"] == "rise"


def test_a_month_without_data_gives_a_short_brief(
    report_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERRAIN_TODAY", "2025-08-15")
    pdf, json_path = write_brief(report_warehouse, "2025-07", tmp_path, lang="en")
    empty = build_findings(report_warehouse, "2025-07")
    assert empty["month_state"] == "no_data"
    assert empty["offers"] == [] and empty["findings"] == []
    text = squash(pdf_text(pdf))
    assert squash("No data for this month") in text
    assert (
        squash(
            "No order and no customer text is dated July 2025 in the data loaded, which runs from "
            "3 January 2024 to 12 April 2025."
        )
        in text
    )
    for claim in ("No notable finding", "All buyers belong", "Every order goes through"):
        assert squash(claim) not in text, claim
    assert squash("data health") in text.casefold()  # set in capitals by the stylesheet
    assert squash("Missing sources: crm/deals") in text


def test_a_month_not_begun_is_a_clear_error(
    report_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERRAIN_TODAY", "2025-04-15")
    with pytest.raises(BriefError, match=r"no data for 2025-07: the month is after the day"):
        write_brief(report_warehouse, "2025-07", tmp_path)
    assert not list(tmp_path.iterdir()), "nothing is written when the brief fails"


# ---------------------------------------------------------------------- the brief


def test_figures_not_measured_show_their_floor_or_missing_input(findings: dict) -> None:
    fr = text_of(findings, "fr")
    assert (
        "Données insuffisantes : 1 mois d'historique de commandes, sous le plancher de 3 "
        "(repeat_min_history_months)" in fr
    )
    assert "Pas de données : aucune ligne de support/satisfaction rattachée à une offre" in fr
    en = text_of(findings, "en")
    assert (
        "Insufficient data: 1 months of order history, below the floor of 3 "
        "(repeat_min_history_months)" in en
    )
    assert "No data: no row of support/satisfaction linked to an offer" in en


def test_on_target_only_for_measured_targets(findings: dict) -> None:
    page = render_html(findings, "en")
    # targets shown: raw-denim monthly_units (measured, not beyond) is the only one on
    # target; care-kit's repeat rate is insufficient data
    assert page.count("badge--ok") == 1
    assert page.count("badge--insufficient_data") >= 1
    unmeasured = copy.deepcopy(findings)
    gap = finding(unmeasured, "gap/raw-denim|monthly_units|")
    gap["state"].update(state="no_data", input="shop/orders", no_data_reason="no_rows")
    assert "badge--ok" not in render_html(unmeasured, "en")


def test_segment_and_channel_sentences_need_a_measured_mix(findings: dict) -> None:
    assert "All buyers belong to the intended segments." in text_of(findings, "en")
    changed = copy.deepcopy(findings)
    linen = offer(changed, "linen-limited")["figure_states"]
    linen["off_target_buyer_share"].update(
        state="insufficient_data", floor_name="gap_min_buyers", floor_value=20, observed_value=12
    )
    for name in ("off_target_channel_share", "top_off_target_channel_share"):
        linen[name].update(state="no_data", input="shop/orders.channel", no_data_reason="no_values")
    for other in ("raw-denim", "care-kit"):
        offer(changed, other)["figure_states"]["off_target_channel_share"]["state"] = None
    text = text_of(changed, "en")
    assert "All buyers belong to the intended segments." not in text
    assert (
        "Insufficient data: 12 buyers or sales over the period, below the floor of 20 "
        "(gap_min_buyers)" in text
    )
    assert "No data: the column shop/orders.channel is empty" in text
    assert "Every order goes through the planned channels." not in text
    assert text.count("No planned channel is declared for this offer.") == 2


def test_an_item_without_reviews_is_not_rated_above_the_range(findings: dict) -> None:
    text = text_of(findings, "en")
    assert "Short lin · Rating — No data: no shop/reviews data in the period" in text
    changed = copy.deepcopy(findings)
    for item in changed["findings"]:
        if item["type"] == "experiment":
            item["reasons"] = [r for r in item["reasons"] if r != "rating_above_core"]
    assert "rated above the range" not in text_of(changed, "en")


def test_no_notable_finding_only_when_everything_could_be_assessed(findings: dict) -> None:
    quiet = copy.deepcopy(findings)
    quiet["at_a_glance"] = []
    assert "No notable finding among what could be assessed" in text_of(quiet, "en")
    assert "No notable finding this month." not in text_of(quiet, "en")
    quiet["data_health"]["not_assessed"] = []
    assert "No notable finding this month." in text_of(quiet, "en")


def test_the_cover_carries_the_data_health_box(findings: dict) -> None:
    text = text_of(findings, "fr")
    cover = text.split("L'essentiel du mois")[0]
    assert "Santé des données" in cover
    assert "Boutique · shop/orders 5 213 0,1 % 3 janvier 2024 – 12 avril 2025" in cover
    assert "Sources absentes : crm/deals." in cover
    assert "Non évalué faute de données :" in cover
    assert "Affaires perdues — aucun fichier crm/deals" in cover
    assert "Satisfaction — aucune ligne de support/satisfaction rattachée à une offre" in cover
    assert "données partielles autorisées" not in cover


def test_the_cover_says_plainly_when_rendered_from_partial_data(findings: dict) -> None:
    partial = copy.deepcopy(findings)
    partial["data_health"]["partial"] = True
    partial["data_health"]["checks"] = [
        {
            **partial["data_health"]["checks"][0],
            "passed": False,
            "allow_partial": True,
            "is_partial": True,
            "failure_rules": ["too_many_rejects"],
            "failure_files": ["shop/reviews.csv"],
            "failure_entities": [],
        }
    ]
    en = text_of(partial, "en").split("The month at a glance")[0]
    assert (
        "Rendered although the data health check failed (partial data allowed): too many "
        "rows rejected (shop/reviews.csv)." in en
    )
    fr = text_of(partial, "fr").split("L'essentiel du mois")[0]
    assert "Brief produit malgré un contrôle de santé des données en échec" in fr
    assert "trop de lignes rejetées (shop/reviews.csv)" in fr


def test_every_card_says_its_period(findings: dict) -> None:
    text = text_of(findings, "fr")
    assert text.count("Chiffres du mois : du 1er mars 2025 au 31 mars 2025") == 3
    assert text.count("Sur 3 mois, du 1er janvier 2025 au 31 mars 2025") == 3
    assert (
        "Récent : 1er janvier 2025 – 31 mars 2025 · référence : 1er avril 2024 – 30 septembre"
        in (text)
    )


def test_ratios_shares_and_p_values_are_worded_for_what_they_are(findings: dict) -> None:
    en = text_of(findings, "en")
    # the ratio next to all-voice shares says its scope when it is the offer's
    assert "Smoothed ratio, the offer's voice" in en and "Smoothed ratio, all voice" in en
    assert "Smoothed ratio, the source's texts" in en
    # a fading theme shows the falling trend test, a rising one the rising test
    assert "falling trend p" in en and "rising trend p" in en
    for wording in ("Confidence: 1 - p", "statistical confidence", "a likely rise"):
        assert wording not in en, wording
    assert "it is not the probability that the gap is real" in en
    fr = text_of(findings, "fr")
    for wording in ("Certitude", "certitude statistique", "hausse probable"):
        assert wording not in fr, wording
    assert "tendance à la baisse p" in fr


def test_channel_shares_count_orders(findings: dict) -> None:
    en = text_of(findings, "en")
    assert "of sales go through" not in en
    assert re.search(r"of orders \(won CRM deals included\) go through unplanned channels", en)


def test_windows_and_thresholds_in_sentences_come_from_the_settings(findings: dict) -> None:
    changed = copy.deepcopy(findings)
    changed["method"]["signals"]["signal_trend_months"] = 9
    changed["method"]["gaps"]["gap_psi_threshold"] = 0.3
    changed["method"]["voice"]["verbatim_max_chars"] = 200
    changed["method"]["gaps"]["repeat_min_history_months"] = 4
    for item in changed["offers"]:
        item["window"]["months"] = 2
    text = text_of(changed, "fr")
    assert "9 derniers mois" in text and "12 derniers mois" not in text
    assert "au-delà de 0,30 : changement net" in text and "0,25 : changement" not in text
    assert "limitées à 200 caractères" in text and "280 caractères" not in text
    assert "4 mois complets d'historique de commandes" in text
    assert "Sur 2 mois" in text


def test_the_cover_says_how_much_of_each_source_is_tied_to_a_customer(findings: dict) -> None:
    links = {link["entity_key"]: link for link in findings["data_health"]["identity_links"]}
    assert links["support/tickets"]["linked_rows"] == 287
    assert "Rows tied to a shop customer: shop/reviews 100%, support/tickets 70%." in text_of(
        findings, "en"
    )
    assert "Lignes rattachées à un client de la boutique : shop/reviews 100 %" in text_of(
        findings, "fr"
    )
