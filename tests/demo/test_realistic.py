"""The demo generator's realistic mode: what it plants, and that it comes out in the files."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from flows.demo.generator import generate_demo
from flows.demo.matching import ThemeMatcher
from flows.demo.realistic import EXPERIMENT_KINDS, RISE_EFFECTS, ROLES
from flows.demo.realistic_texts import (
    NEUTRAL_THEMES,
    SEASONAL_THEMES,
    STAFF_NOTE_TEMPLATES,
    THEMES,
)
from flows.intent.load import load_intent

ORDERS = 8000


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("realistic")
    result = generate_demo(root, seed=4, orders=ORDERS, realistic=True)
    return root, json.loads(result.ground_truth_path.read_text(encoding="utf-8"))


def read(root: Path, entity: str, delimiter: str = ",", encoding: str = "utf-8") -> list[dict]:
    with (root / "exports" / f"{entity}.csv").open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def test_same_seed_same_files(tmp_path: Path) -> None:
    first = generate_demo(tmp_path / "a", seed=9, orders=600, realistic=True)
    second = generate_demo(tmp_path / "b", seed=9, orders=600, realistic=True)
    files = sorted(
        p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
    )
    assert files
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert first.counts == second.counts


def test_every_role_is_planted_with_its_effect(company) -> None:
    _, truth = company
    themes = truth["realistic"]["themes"]
    roles = Counter(plan["role"] for plan in themes.values())
    assert roles == Counter(ROLES) + Counter({"seasonal": 2, "plain_control": 3})
    assert sorted(p["effect"] for p in themes.values() if p["role"] == "rise") == sorted(
        RISE_EFFECTS
    )
    assert {t for t, p in themes.items() if p["role"] == "seasonal"} == set(SEASONAL_THEMES)
    for plan in themes.values():
        if plan["role"] == "plain_control":
            continue
        assert 0.2 <= plan["sigma"] <= 0.4
        if plan["role"] == "shock":
            first, second = sorted(plan["shock_months"])
            assert len(plan["shock_months"]) == 2 and first < second
        if plan["role"] == "seasonal":
            # the same peak every year
            peaks = {month[5:] for month in plan["peak_months"]}
            assert len(plan["peak_months"]) > len(peaks)


def test_planted_levels_come_out_in_the_texts(company) -> None:
    """Pooled over the rises of one size, the share of texts raising the theme after its
    start against before follows the planted month factors (level x noise), and the
    factors after the start stand at the planted effect."""
    _, truth = company
    realistic = truth["realistic"]
    totals = realistic["customer_texts_per_month"]
    months = realistic["months"]
    pooled: dict[float, list[float]] = defaultdict(lambda: [0.0] * 6)
    for plan in realistic["themes"].values():
        if plan["role"] != "rise":
            continue
        start = months.index(plan["start_month"])
        pool = pooled[plan["effect"]]
        for m, planted in enumerate(plan["planted_documents"][:-1]):  # last month partial
            after = int(m >= start)
            pool[2 * after] += planted
            pool[2 * after + 1] += totals[m]
            pool[4 + after] += plan["factors"][m] * totals[m]
        assert set(plan["levels"][start:]) == {plan["effect"]}
        assert set(plan["levels"][:start]) == {1.0}
    for effect, (before, before_total, after, after_total, f_before, f_after) in pooled.items():
        ratio = (after / after_total) / (before / before_total)
        planted = (f_after / after_total) / (f_before / before_total)
        assert 0.5 * effect <= planted <= 2 * effect, (effect, planted)
        # counts, and the review campaign for themes said more (or less) in reviews
        assert planted * 0.6 <= ratio <= planted * 1.6, (effect, ratio, planted)


def test_shocks_are_one_month_high(company) -> None:
    _, truth = company
    realistic = truth["realistic"]
    months = realistic["months"]
    for plan in realistic["themes"].values():
        if plan["role"] != "shock":
            continue
        for shock in plan["shock_months"]:
            m = months.index(shock)
            assert plan["levels"][m] == 2.5
            assert plan["levels"][m - 1] == plan["levels"][min(m + 1, len(months) - 1)] or (
                m + 1 == len(months)
            )


def test_paraphrases_escape_the_terms_and_false_senses_fool_them(company) -> None:
    root, _ = company
    matcher = ThemeMatcher.from_intent(root / "intent.yaml")
    for theme in THEMES:
        for lang, sentences in theme.sentences.items():
            for sentence in sentences:
                assert matcher.themes(sentence) == {theme.theme_id}, (lang, sentence)
        for lang, sentences in theme.paraphrases.items():
            for sentence in sentences:
                assert matcher.themes(sentence) == frozenset(), (lang, sentence)
        for sentence in theme.false_senses:
            assert matcher.themes(sentence) == {theme.theme_id}, sentence


def test_matching_errors_show_in_the_counts(company) -> None:
    _, truth = company
    themes = truth["realistic"]["themes"]
    for theme in THEMES:
        plan = themes[theme.theme_id]
        planted, matched = sum(plan["planted_documents"]), sum(plan["matched_documents"])
        if theme.false_senses:
            continue  # paraphrases and false senses partly cancel out
        # 15 % of the planted mentions are paraphrases the terms miss
        assert 0.75 <= matched / planted <= 0.93, (theme.theme_id, matched, planted)


def test_the_review_campaign_doubles_reviews(company) -> None:
    root, truth = company
    campaign = truth["realistic"]["review_campaign_months"]
    orders = Counter(row["ordered_at"][:7] for row in read(root, "shop/orders"))
    reviews: Counter[str] = Counter()
    with (root / "exports/shop/reviews.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            created = json.loads(line)["created_at"]
            reviews[created[:7]] += 1
    months = truth["realistic"]["months"][3:-1]
    # reviews come 6 to 60 days after the order: compare with the month before's orders
    rate = {m: reviews[m] / orders[prev] for prev, m in zip(months, months[1:], strict=False)}
    inside = [rate[m] for m in rate if campaign[1] <= m <= campaign[-1]]
    outside = sorted(rate[m] for m in rate if not campaign[0] <= m <= _after(campaign[-1], 2))
    median = outside[len(outside) // 2]
    assert min(inside) > 1.4 * median, (inside, median)


def _after(month: str, k: int) -> str:
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + k
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def test_staff_notes_are_templated_and_said_to_be_staff(company) -> None:
    root, truth = company
    notes = read(root, "crm/notes")
    # the realistic mode's call notes: a handful of templates, each naming a control
    # theme, on top of the demo's own staff notes (some without a role: the imported log)
    openings = {template.split(":")[0] for template in STAFF_NOTE_TEMPLATES}
    templated = [row for row in notes if row["body"].split(":")[0] in openings]
    assert len(templated) == truth["realistic"]["counts"]["staff_notes"] > 50
    assert {row["author_role"] for row in templated} == {"staff"}
    assert all("livraison" in row["body"] or "qualité" in row["body"] for row in templated)
    assert {row["author_role"] for row in notes} <= {"customer", "staff", ""}


def test_long_ticket_threads_repeat_one_voice(company) -> None:
    root, truth = company
    comments = read(root, "support/ticket_comments", delimiter=";", encoding="utf-8-sig")
    per_ticket = Counter(row["ticket_id"] for row in comments if row["author_role"] == "customer")
    threads = [ticket for ticket, n in per_ticket.items() if n >= 5]
    assert len(threads) == truth["realistic"]["counts"]["threads"] > 0


def test_experiment_items_of_both_kinds(company) -> None:
    root, truth = company
    orders = {row["order_id"]: row["customer_id"] for row in read(root, "shop/orders")}
    import pyarrow.parquet as pq

    lines = pq.read_table(root / "exports/shop/order_lines.parquet").to_pylist()
    buyers: dict[str, Counter[str]] = defaultdict(Counter)
    for line in lines:
        if line["sku"] in ("CAP-VESTE", "CAP-BAUME"):
            buyers[line["sku"]][orders[line["order_id"]]] += 1
    # the durable jacket: bought once per customer; the balm: bought again
    assert buyers["CAP-VESTE"] and max(buyers["CAP-VESTE"].values()) == 1
    again = sum(n > 1 for n in buyers["CAP-BAUME"].values()) / len(buyers["CAP-BAUME"])
    assert again > 0.2
    kinds = {e["sku"]: e["item_kind"] for e in truth["realistic"]["experiments"]}
    assert kinds == {"CAP-VESTE": "durable", "CAP-BAUME": "consumable"}
    assert truth["realistic"]["experiment_item_kinds"] == EXPERIMENT_KINDS


def test_the_realistic_intent_file_is_valid_and_adds_the_themes(company) -> None:
    root, _ = company
    intent = load_intent(root / "intent.yaml")
    ids = {theme.id for theme in intent.themes}
    assert set(NEUTRAL_THEMES) | set(SEASONAL_THEMES) <= ids
    assert {"delivery", "price", "quality", "repair"} <= ids


def test_as_of_the_end_of_a_month(tmp_path: Path) -> None:
    """The same company exported at a past moment: later records out, later changes undone."""
    cut = dt.datetime(2026, 6, 1)
    full = generate_demo(tmp_path / "full", seed=5, orders=1500)
    past = generate_demo(tmp_path / "past", seed=5, orders=1500, as_of=cut)
    deals = {row["deal_id"]: row for row in read(tmp_path / "full", "crm/deals")}
    past_deals = {row["deal_id"]: row for row in read(tmp_path / "past", "crm/deals")}
    assert past_deals and set(past_deals) < set(deals)
    reopened = [d for d, row in past_deals.items() if deals[d]["outcome"] != row["outcome"]]
    assert reopened
    for deal in reopened:
        assert past_deals[deal]["outcome"] == "open" and not past_deals[deal]["closed_at"]
        assert deals[deal]["closed_at"] >= "2026-06-01"
    past_orders = read(tmp_path / "past", "shop/orders")
    assert max(row["ordered_at"] for row in past_orders) < "2026-06-01"
    assert all(row["returned_at"] < "2026-06-01" for row in read(tmp_path / "past", "shop/returns"))
    full_status = {row["order_id"]: row["status"] for row in read(tmp_path / "full", "shop/orders")}
    undone = [row for row in past_orders if row["status"] != full_status[row["order_id"]]]
    assert all(
        full_status[row["order_id"]] == "refunded" and row["status"] == "paid" for row in undone
    )
    assert past.counts["support/tickets"] < full.counts["support/tickets"]
