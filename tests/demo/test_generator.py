"""Tests of the demo company generator, on the files it really writes (small size)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import re
from collections import Counter, defaultdict
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from flows.demo import texts
from flows.demo.generator import DemoResult, generate_demo
from flows.demo.matching import ThemeMatcher, normalise
from flows.demo.voice import Voice
from flows.ingest import contract
from flows.shared_lists import ids
from flows.voice.markup import plain_text

ORDERS = 2000
END = dt.date(2026, 11, 15)
# Every file of the contract but the exchange rates: the demo company sells in euros only.
DEMO_ENTITIES = [e for e in contract.ENTITIES if (e.system, e.name) != ("shop", "exchange_rates")]
INTENT = Path(__file__).resolve().parents[2] / "flows" / "demo" / "intent.yaml"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    return generate_demo(tmp_path_factory.mktemp("demo"), seed=7, orders=ORDERS, end=END)


@pytest.fixture(scope="module")
def matcher() -> ThemeMatcher:
    return ThemeMatcher.from_intent(INTENT)


def read_rows(exports: Path, system: str, entity: str) -> list[dict[str, object]]:
    """Rows of one export file, read the way its export settings describe it."""
    base = exports / system / entity
    if base.with_suffix(".parquet").exists():
        return pq.read_table(base.with_suffix(".parquet")).to_pylist()
    if base.with_suffix(".jsonl").exists():
        lines = base.with_suffix(".jsonl").read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines]
    options = yaml.safe_load((exports / "export-settings.yaml").read_text(encoding="utf-8"))
    style = {**options["defaults"], **options["systems"].get(system, {})}
    text = base.with_suffix(".csv").read_bytes().decode(style["encoding"])
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=style["delimiter"]))


def parse_time(value: str, system: str) -> dt.datetime:
    if system == "support":
        return dt.datetime.strptime(value, "%d/%m/%Y %H:%M")
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)


def month_of(value: str, system: str) -> str:
    return parse_time(value, system).strftime("%Y-%m")


def all_files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def customer_texts(exports: Path) -> list[tuple[str, str, str | None]]:
    """(month, text, sku) for every piece of customer voice in the export.

    Comments from the help desk widget are read as plain text, as Terrain reads them;
    only the notes the customer wrote count.
    """
    out: list[tuple[str, str, str | None]] = []
    for row in read_rows(exports, "shop", "reviews"):
        out.append(
            (
                month_of(str(row["created_at"]), "shop"),
                f"{row['title']}\n{row['body']}",
                str(row["sku"]),
            )
        )
    skus = {}
    for row in read_rows(exports, "shop", "returns"):
        if row["reason_text"]:
            out.append(
                (
                    month_of(str(row["returned_at"]), "shop"),
                    str(row["reason_text"]),
                    str(row["sku"]),
                )
            )
    for row in read_rows(exports, "support", "tickets"):
        skus[row["ticket_id"]] = row["sku"] or None
        out.append(
            (
                month_of(str(row["created_at"]), "support"),
                f"{row['subject']}\n{row['description']}",
                row["sku"] or None,
            )
        )  # type: ignore[arg-type]
    for row in read_rows(exports, "support", "ticket_comments"):
        if row["author_role"] == "customer":
            out.append(
                (
                    month_of(str(row["created_at"]), "support"),
                    plain_text(str(row["body"])),
                    skus[row["ticket_id"]],
                )
            )
    for row in read_rows(exports, "support", "satisfaction"):
        if row["comment"]:
            out.append((month_of(str(row["created_at"]), "support"), str(row["comment"]), None))
    for row in read_rows(exports, "crm", "notes"):
        if row["author_role"] == "customer":
            out.append((month_of(str(row["created_at"]), "crm"), str(row["body"]), None))
    return out


def months_back(month: str, n: int) -> str:
    index = int(month[:4]) * 12 + int(month[5:]) - 1 - n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def share(docs: list[tuple[str, str, str | None]], months: set[str], hit) -> float:  # type: ignore[no-untyped-def]
    chosen = [d for d in docs if d[0] in months]
    return sum(1 for d in chosen if hit(d)) / len(chosen)


# --- determinism -----------------------------------------------------------------------


def test_same_arguments_give_identical_bytes(demo: DemoResult, tmp_path: Path) -> None:
    again = generate_demo(tmp_path / "again", seed=7, orders=ORDERS, end=END)
    first, second = all_files(demo.exports_dir.parent), all_files(again.exports_dir.parent)
    assert list(first) == list(second)
    assert [name for name in first if first[name] != second[name]] == []
    assert again.counts == demo.counts


def test_another_seed_gives_other_data(demo: DemoResult, tmp_path: Path) -> None:
    other = generate_demo(tmp_path / "other", seed=8, orders=ORDERS, end=END)
    for name in ("shop/orders.csv", "shop/reviews.jsonl", "support/tickets.csv", "crm/notes.csv"):
        assert (other.exports_dir / name).read_bytes() != (demo.exports_dir / name).read_bytes()


# --- shape of the export ---------------------------------------------------------------


def test_result_describes_the_files(demo: DemoResult) -> None:
    assert demo.last_complete_month == "2026-10"
    # the template, without its first line (the JSON Schema for editors, by a relative path)
    schema_line, template = INTENT.read_text(encoding="utf-8").split("\n", 1)
    assert schema_line.startswith("# yaml-language-server: $schema=")
    assert demo.intent_path.read_text(encoding="utf-8") == template
    expected = {f"{e.system}/{e.name}" for e in DEMO_ENTITIES}
    assert set(demo.counts) == expected
    for key, count in demo.counts.items():
        system, entity = key.split("/")
        assert len(read_rows(demo.exports_dir, system, entity)) == count, key
    assert demo.counts["shop/orders"] == ORDERS
    assert 1.5 < demo.counts["shop/order_lines"] / ORDERS < 1.95
    assert 0.06 < demo.counts["shop/returns"] / ORDERS < 0.10
    assert 0.17 < demo.counts["shop/reviews"] / ORDERS < 0.25
    assert 0.38 < demo.counts["shop/customers"] / ORDERS < 0.55
    assert 0.12 < demo.counts["support/tickets"] / ORDERS < 0.18


def test_every_file_has_the_canonical_columns_and_required_values(demo: DemoResult) -> None:
    for entity in DEMO_ENTITIES:
        rows = read_rows(demo.exports_dir, entity.system, entity.name)
        assert rows, entity.name
        assert set(c.name for c in entity.columns) <= set(rows[0]), entity.name
        for column in entity.required_columns:
            empty = [r for r in rows if r[column] in (None, "")]
            assert empty == [], f"{entity.system}/{entity.name}.{column} has empty values"


def test_primary_keys_are_unique(demo: DemoResult) -> None:
    for entity in DEMO_ENTITIES:
        rows = read_rows(demo.exports_dir, entity.system, entity.name)
        keys = [tuple(r[k] for k in entity.primary_key) for r in rows]
        assert len(keys) == len(set(keys)), entity.name


def test_foreign_keys_resolve(demo: DemoResult) -> None:
    ex = demo.exports_dir

    def ids(system: str, entity: str, column: str) -> set[object]:
        return {r[column] for r in read_rows(ex, system, entity)}

    links = [
        ("shop", "orders", "customer_id", ids("shop", "customers", "customer_id")),
        ("shop", "order_lines", "order_id", ids("shop", "orders", "order_id")),
        ("shop", "order_lines", "sku", ids("shop", "products", "sku")),
        ("shop", "order_lines", "product_id", ids("shop", "products", "product_id")),
        ("shop", "returns", "order_id", ids("shop", "orders", "order_id")),
        ("shop", "returns", "sku", ids("shop", "products", "sku")),
        ("shop", "reviews", "customer_id", ids("shop", "customers", "customer_id")),
        ("shop", "reviews", "sku", ids("shop", "products", "sku")),
        ("shop", "customers", "account_id", ids("crm", "accounts", "account_id")),
        ("crm", "contacts", "account_id", ids("crm", "accounts", "account_id")),
        ("crm", "deals", "account_id", ids("crm", "accounts", "account_id")),
        ("crm", "notes", "account_id", ids("crm", "accounts", "account_id")),
        ("crm", "notes", "contact_id", ids("crm", "contacts", "contact_id")),
        ("crm", "notes", "deal_id", ids("crm", "deals", "deal_id")),
        ("support", "tickets", "customer_id", ids("shop", "customers", "customer_id")),
        ("support", "tickets", "sku", ids("shop", "products", "sku")),
        ("support", "ticket_comments", "ticket_id", ids("support", "tickets", "ticket_id")),
        ("support", "satisfaction", "ticket_id", ids("support", "tickets", "ticket_id")),
    ]
    for system, entity, column, targets in links:
        values = {r[column] for r in read_rows(ex, system, entity)} - {None, ""}
        assert values, f"{system}/{entity}.{column} is never set"
        assert values <= targets, f"{system}/{entity}.{column}: {sorted(values - targets)[:5]}"
    skus = ids("shop", "products", "sku")
    deal_skus = {s for r in read_rows(ex, "crm", "deals") for s in str(r["skus"]).split("|")}
    assert deal_skus <= skus


def test_returned_lines_were_ordered_and_totals_add_up(demo: DemoResult) -> None:
    ex = demo.exports_dir
    lines = read_rows(ex, "shop", "order_lines")
    by_order: dict[object, list[dict[str, object]]] = defaultdict(list)
    for line in lines:
        by_order[line["order_id"]].append(line)
    for ret in read_rows(ex, "shop", "returns"):
        assert ret["sku"] in {line_["sku"] for line_ in by_order[ret["order_id"]]}
    for order in read_rows(ex, "shop", "orders")[:500]:
        subtotal = sum(
            int(line_["quantity"]) * float(line_["unit_price"])
            for line_ in by_order[order["order_id"]]
        )  # type: ignore[arg-type]
        assert float(order["total_amount"]) == pytest.approx(
            subtotal - float(order["discount_amount"])
        )  # type: ignore[arg-type]


def test_contacts_are_shop_customers_typed_by_hand(demo: DemoResult) -> None:
    emails = {str(r["email"]) for r in read_rows(demo.exports_dir, "shop", "customers")}
    contacts = [str(r["email"]) for r in read_rows(demo.exports_dir, "crm", "contacts")]
    known = [e for e in contacts if e.strip().lower() in emails]
    assert len(known) / len(contacts) > 0.8
    assert any(e != e.strip() for e in contacts) and any(e != e.lower() for e in contacts)
    requesters = [
        str(r["requester_email"]) for r in read_rows(demo.exports_dir, "support", "tickets")
    ]
    assert sum(e.strip().lower() in emails for e in requesters) / len(requesters) > 0.85
    assert any(e.strip().lower() in emails and e not in emails for e in requesters)


def test_enumerations_use_the_canonical_values(demo: DemoResult) -> None:
    ex = demo.exports_dir
    assert {r["channel"] for r in read_rows(ex, "shop", "orders")} <= set(ids("channels"))
    assert {r["status"] for r in read_rows(ex, "shop", "orders")} == set(ids("order_statuses"))
    assert {r["status"] for r in read_rows(ex, "shop", "products")} == set(ids("product_statuses"))
    assert {r["type"] for r in read_rows(ex, "crm", "accounts")} == set(ids("account_types"))
    assert {r["outcome"] for r in read_rows(ex, "crm", "deals")} == set(ids("deal_outcomes"))
    assert {r["author_role"] for r in read_rows(ex, "support", "ticket_comments")} == {
        "customer",
        "agent",
    }
    scores = {r["score"] for r in read_rows(ex, "support", "satisfaction")}
    assert {"good", "bad"} <= scores and scores <= {"good", "bad", "1", "2", "3", "4", "5"}
    assert {int(r["rating"]) for r in read_rows(ex, "shop", "reviews")} == {1, 2, 3, 4, 5}  # type: ignore[call-overload]


def test_activity_stays_inside_the_history_window(demo: DemoResult) -> None:
    start, end = dt.datetime(2024, 9, 15), dt.datetime(2026, 11, 15)
    for system, entity, column in (
        ("shop", "orders", "ordered_at"),
        ("shop", "returns", "returned_at"),
        ("shop", "reviews", "created_at"),
        ("support", "tickets", "created_at"),
        ("support", "ticket_comments", "created_at"),
        ("support", "satisfaction", "created_at"),
        ("crm", "deals", "created_at"),
        ("crm", "notes", "created_at"),
    ):
        times = [
            parse_time(str(r[column]), system) for r in read_rows(demo.exports_dir, system, entity)
        ]
        # support times are Paris wall-clock, up to two hours ahead of UTC
        assert start <= min(times) and max(times) < end + dt.timedelta(hours=2), (
            f"{entity}.{column}"
        )


# --- file formats ----------------------------------------------------------------------


def test_support_files_are_french_spreadsheet_exports(demo: DemoResult) -> None:
    for name in ("tickets", "ticket_comments", "satisfaction"):
        raw = (demo.exports_dir / "support" / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
        assert b"\r\n" in raw
        header = raw[3:].split(b"\r\n", 1)[0].decode()
        assert header.split(";")[:2] == [
            contract.ENTITIES_BY_KEY[("support", name)].columns[0].name,
            contract.ENTITIES_BY_KEY[("support", name)].columns[1].name,
        ]
    tickets = read_rows(demo.exports_dir, "support", "tickets")
    assert all(
        re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", str(t["created_at"])) for t in tickets
    )
    assert all(re.fullmatch(r"\d+,\d{2}", str(t["first_reply_hours"])) for t in tickets)
    assert any("\n" in str(t["description"]) for t in tickets)
    assert any("|" in str(t["tags"]) for t in tickets)
    settings_file = yaml.safe_load(
        (demo.exports_dir / "export-settings.yaml").read_text(encoding="utf-8")
    )
    assert settings_file["systems"]["support"] == {
        "delimiter": ";",
        "decimal": ",",
        "date_format": "%d/%m/%Y %H:%M",
        "encoding": "utf-8-sig",
        "timezone": "Europe/Paris",
    }


def test_shop_uses_three_formats_and_iso_times(demo: DemoResult) -> None:
    shop = demo.exports_dir / "shop"
    assert sorted(p.name for p in shop.iterdir()) == [
        "customers.csv",
        "order_lines.parquet",
        "orders.csv",
        "products.csv",
        "returns.csv",
        "reviews.jsonl",
    ]
    schema = pq.read_schema(shop / "order_lines.parquet")
    assert str(schema.field("quantity").type) == "int64"
    assert str(schema.field("unit_price").type) == "double"
    orders = read_rows(demo.exports_dir, "shop", "orders")
    assert all(str(o["ordered_at"]).endswith("Z") for o in orders)
    notes = read_rows(demo.exports_dir, "crm", "notes")
    assert all(re.search(r"[+-]0[12]:00$", str(n["created_at"])) for n in notes)
    postal = {r["postal_code"] for r in read_rows(demo.exports_dir, "shop", "customers")}
    assert "01000" in postal or "06000" in postal  # leading zeros survive


# --- customer voice --------------------------------------------------------------------


def test_every_theme_sentence_mentions_its_theme_only(matcher: ThemeMatcher) -> None:
    for key, item in texts.ITEMS.items():
        slots = item.slots()
        for theme, by_lang in texts.THEME.items():
            for pool in by_lang.values():
                for template in pool:
                    sentence = texts.fill(template, slots)
                    assert matcher.themes(sentence) == {theme}, (key, sentence)
        for pools in texts.FILLER.values():
            for pool in pools.values():
                for template in pool:
                    assert matcher.themes(texts.fill(template, slots)) == set(), template
    for pool in texts.UNLABELLED.values():
        for sentence in pool:
            assert matcher.themes(sentence) == set(), sentence
            assert " housse de coussin " in normalise(sentence) or " cushion cover" in normalise(
                sentence
            )


def test_terms_do_not_catch_common_words(matcher: ThemeMatcher) -> None:
    for harmless in (
        "J'ai trouvé ça donc je cherche encore.",
        "I don't know, I recommend it.",
        "Atelier Garance, notre boutique de Lyon",
        "Bonjour, je vous écris au sujet de ma commande passée hier",
        "Thanks, I will keep it.",
    ):
        assert matcher.themes(harmless) == set(), harmless
    assert matcher.themes("J'ai fait recoudre le genou") == {"repair"}
    assert matcher.themes("RÉPARÉ le genou, mended the knee") == {"repair"}
    assert matcher.themes("Pourquoi pas un DON aux assos ?") == {"donation"}
    assert matcher.themes("I don't like it") == set()


def test_texts_are_messy_french_with_some_english_and_pii(
    demo: DemoResult, matcher: ThemeMatcher
) -> None:
    docs = customer_texts(demo.exports_dir)
    bodies = [text for _, text, _ in docs]
    english = sum(bool(re.search(r"\b(the|my|it|was|would)\b", b)) for b in bodies) / len(bodies)
    assert 0.05 < english < 0.3
    without_theme = sum(not matcher.themes(b) for b in bodies) / len(bodies)
    assert 0.25 < without_theme < 0.5
    joined = "\n".join(bodies)
    for form in (r"0\d\D?\d\d\D?\d\d", r"[\w.]+@[\w.]+\.\w+", r"\b\d{5} [A-Z]", r"FR76"):
        assert re.search(form, joined), form
    accents_dropped = (" reparer", " repare ", " recu ", " tres ", " deja ", " qualite")
    assert any(word in f" {b} " for b in bodies for word in accents_dropped)
    reviews = [str(r["body"]) for r in read_rows(demo.exports_dir, "shop", "reviews")]
    assert any('<img src="http://127.0.0.1:9/x.png">' in b for b in reviews)


def test_repair_rises_and_controls_stay_flat(demo: DemoResult, matcher: ThemeMatcher) -> None:
    docs = customer_texts(demo.exports_dir)
    lcm = demo.last_complete_month
    recent = {months_back(lcm, k) for k in range(3)}
    start = months_back(lcm, 9)
    before = {m for m, _, _ in docs if m < start}
    repair_before = share(docs, before, lambda d: "repair" in matcher.themes(d[1]))
    repair_recent = share(docs, recent, lambda d: "repair" in matcher.themes(d[1]))
    assert repair_recent >= 3 * repair_before > 0
    # month by month the planted theme grows: the last quarter beats the quarter after the start
    early = {months_back(lcm, k) for k in (7, 8, 9)}
    assert repair_recent > share(docs, early, lambda d: "repair" in matcher.themes(d[1]))
    months = sorted({m for m, _, _ in docs if m <= lcm})
    half = len(months) // 2
    for theme in ("delivery", "price", "quality"):
        a = share(docs, set(months[:half]), lambda d, t=theme: t in matcher.themes(d[1]))
        b = share(docs, set(months[half:]), lambda d, t=theme: t in matcher.themes(d[1]))
        # loose bounds for the small test size; planted themes move three-fold or more
        assert 0.65 < b / a < 1.5, (theme, a, b)


def test_suggestions_rise_on_gift_card_texts(demo: DemoResult, matcher: ThemeMatcher) -> None:
    docs = [d for d in customer_texts(demo.exports_dir) if d[2] and d[2].startswith("GC-")]
    lcm = demo.last_complete_month
    start = months_back(lcm, 7)
    before = {m for m, _, _ in docs if m < start}
    after = {m for m, _, _ in docs if start <= m <= lcm}
    for theme in ("local-partners", "donation"):
        assert share(docs, after, lambda d, t=theme: t in matcher.themes(d[1])) > 3 * share(
            docs, before, lambda d, t=theme: t in matcher.themes(d[1])
        )


# --- planted business stories ---------------------------------------------------------


def test_trades_take_over_the_apron(demo: DemoResult) -> None:
    ex = demo.exports_dir
    accounts = {a["account_id"]: a for a in read_rows(ex, "crm", "accounts")}

    def segment(customer: dict[str, object]) -> str:
        account = accounts.get(customer["account_id"]) if customer["account_id"] else None
        if (
            account
            and account["type"] == "b2b"
            and account["industry"] in ("construction", "crafts", "hospitality")
        ):
            return "trades"
        return "other"

    segments = {c["customer_id"]: segment(c) for c in read_rows(ex, "shop", "customers")}
    orders = {o["order_id"]: o for o in read_rows(ex, "shop", "orders")}
    buyers: dict[str, dict[object, str]] = defaultdict(dict)
    for line in read_rows(ex, "shop", "order_lines"):
        if str(line["sku"]).startswith("TA-"):
            order = orders[line["order_id"]]
            buyers[month_of(str(order["ordered_at"]), "shop")][order["customer_id"]] = segments[
                order["customer_id"]
            ]

    def trades_share(months: list[str]) -> float:
        segs = [s for m in months for s in buyers[m].values()]
        return segs.count("trades") / len(segs)

    months = sorted(buyers)
    lcm = demo.last_complete_month
    assert trades_share([m for m in months if m < months_back(lcm, 12)]) < 0.15
    assert trades_share([months_back(lcm, k) for k in range(3)]) > 0.3


def test_capsule_experiment_has_a_winner(demo: DemoResult) -> None:
    ratings: dict[str, list[int]] = defaultdict(list)
    for review in read_rows(demo.exports_dir, "shop", "reviews"):
        ratings[str(review["sku"])].append(int(review["rating"]))  # type: ignore[call-overload]
    mean = {sku: sum(v) / len(v) for sku, v in ratings.items()}
    assert mean["CAP-SURCHEMISE"] >= 4.5
    assert mean["CAP-BOB"] < 3.3 and mean["CAP-SAC"] < 3.3
    # the core tees, pooled: one sku alone has too few reviews at the test's size
    tees = [r for sku, v in ratings.items() if sku.startswith("TS-") for r in v]
    assert 3.9 < sum(tees) / len(tees) < 4.6
    orders = {
        o["order_id"]: o["customer_id"] for o in read_rows(demo.exports_dir, "shop", "orders")
    }
    per_buyer: dict[str, Counter[object]] = defaultdict(Counter)
    for line in read_rows(demo.exports_dir, "shop", "order_lines"):
        if str(line["sku"]).startswith("CAP-"):
            per_buyer[str(line["sku"])][orders[line["order_id"]]] += 1
    repeat = {sku: sum(n > 1 for n in c.values()) / len(c) for sku, c in per_buyer.items()}
    assert repeat["CAP-SURCHEMISE"] > 0.25 > 0.1 > repeat["CAP-BOB"]


def test_chino_change_brings_too_small_returns(demo: DemoResult) -> None:
    change = dt.datetime(2026, 4, 1)
    orders = {
        o["order_id"]: parse_time(str(o["ordered_at"]), "shop")
        for o in read_rows(demo.exports_dir, "shop", "orders")
    }
    lines = Counter(
        orders[line_["order_id"]] >= change
        for line_ in read_rows(demo.exports_dir, "shop", "order_lines")
        if str(line_["sku"]).startswith("CH-")
    )
    small = Counter(
        orders[r["order_id"]] >= change
        for r in read_rows(demo.exports_dir, "shop", "returns")
        if str(r["sku"]).startswith("CH-") and r["reason_code"] == "too_small"
    )
    assert small[True] / lines[True] > 4 * small[False] / lines[False]


# --- ground truth and intent ----------------------------------------------------------


def test_ground_truth_records_the_planted_stories(demo: DemoResult) -> None:
    truth = json.loads(demo.ground_truth_path.read_text(encoding="utf-8"))
    assert (truth["seed"], truth["orders"], truth["end"]) == (7, ORDERS, "2026-11-15")
    assert truth["last_complete_month"] == "2026-10"
    assert truth["control_themes"] == ["delivery", "price", "quality"]
    assert truth["control_offers"] == ["tee"]
    scenarios = {s["id"]: s for s in truth["scenarios"]}
    assert set(scenarios) == {
        "repair-raw-denim",
        "upcycling-raw-denim",
        "apron-trades",
        "professional-use-trades",
        "capsule-surchemise",
        "capsule-bob",
        "capsule-sac",
        "keep-item-capsule",
        "local-partners-gift-card",
        "donation-gift-card",
        "chino-sizing",
        "cushion-covers",
        "repair-service-decision",
    }
    assert scenarios["repair-raw-denim"]["start_month"] == "2026-01"
    assert scenarios["repair-raw-denim"]["effect"] >= 3
    assert (
        scenarios["apron-trades"]["recent_share"]
        > 0.3
        > 0.15
        > scenarios["apron-trades"]["baseline_share"]
    )
    assert scenarios["capsule-surchemise"]["expect"] == "promote"
    assert scenarios["capsule-bob"]["expect"] == scenarios["capsule-sac"]["expect"] == "retire"
    assert scenarios["chino-sizing"]["change_date"] == "2026-04-01"
    assert scenarios["cushion-covers"]["kind"] == "unlabelled_phrase"
    assert scenarios["cushion-covers"]["baseline_documents"] == 0
    assert scenarios["cushion-covers"]["recent_documents"] > 0
    intent = yaml.safe_load(INTENT.read_text(encoding="utf-8"))
    themes = {t["id"] for t in intent["themes"]}
    offers = {o["id"] for o in intent["offers"]}
    for s in truth["scenarios"]:
        assert s.get("theme") in themes | {None}, s["id"]
        assert s["offer"] in offers, s["id"]


def test_intent_file_declares_the_demo_ids() -> None:
    intent = yaml.safe_load(INTENT.read_text(encoding="utf-8"))
    assert intent["company"]["name"] == "Atelier Garance"
    assert [s["id"] for s in intent["segments"]] == [
        "trades",
        "businesses",
        "nonprofits",
        "consumers",
    ]
    assert {o["id"]: o["kind"] for o in intent["offers"]} == {
        "raw-denim": "core",
        "chino": "core",
        "apron": "core",
        "capsule": "experiment",
        "gift-card": "service",
        "care-kit": "core",
        "tee": "core",
    }
    assert {t["id"] for t in intent["themes"]} == {
        "everyday",
        "repair",
        "upcycling",
        "professional-use",
        "local-partners",
        "donation",
        "keep-item",
        "sizing",
        "delivery",
        "price",
        "quality",
    }
    for theme in intent["themes"]:
        assert theme["kind"] in ids("signal_kinds")
        assert set(theme["terms"]) == {"fr", "en"}
    assert intent["decisions"][0]["id"] == "repair-service"


def test_other_end_dates_shift_the_story(tmp_path: Path) -> None:
    result = generate_demo(tmp_path, seed=3, orders=600, end=dt.date(2025, 6, 1), months=20)
    assert result.last_complete_month == "2025-05"
    intent = yaml.safe_load(result.intent_path.read_text(encoding="utf-8"))
    capsule = next(o for o in intent["offers"] if o["id"] == "capsule")
    assert str(capsule["since"]) == "2024-11-01"
    truth = json.loads(result.ground_truth_path.read_text(encoding="utf-8"))
    assert {s["id"]: s["start_month"] for s in truth["scenarios"]}["repair-raw-denim"] == "2024-08"


def test_personal_data_takes_many_forms(matcher: ThemeMatcher) -> None:
    """Phones with spaces, dots, dashes, slashes, parentheses, +33 (0) and 0033; e-mails
    plain, disguised, accented, in capitals; street addresses; the writer's names."""
    voice = Voice(random.Random(5), matcher)
    written = "\n".join(voice.pii(lang, ("Élise", "Lefèvre")) for lang in ("fr", "en") * 600)
    for form in (
        r"0\d \d\d \d\d \d\d \d\d",
        r"0\d\.\d\d\.\d\d\.\d\d\.\d\d",
        r"0\d-\d\d-\d\d-\d\d-\d\d",
        r"0\d/\d\d/\d\d/\d\d/\d\d",
        r"\+33 \(0\)\d",
        r"0033 \d",
        r"\(0\d\) \d\d",
        r"elise\.lefevre@",
        r"ELISE\.LEFEVRE@",
        r"élise\.lefèvre@",
        r"\[at\] \w+ \[dot\]",
        r"\(at\) \w+ \(dot\)",
        r" arobase ",
        r"\d+ (?:bis|ter) (?:rue|impasse)",
        r"\d+, avenue Jean Jaurès",
        r"\b\d{5} [A-Z]",
        r"FR76",
        r"Élise LEFÈVRE",
        r"Mme Lefèvre",
    ):
        assert re.search(form, written), form


def test_people_have_names_in_the_name_columns(demo: DemoResult) -> None:
    ex = demo.exports_dir
    customers = read_rows(ex, "shop", "customers")
    named = [c for c in customers if c["first_name"] and c["last_name"]]
    assert 0.8 < len(named) / len(customers) < 0.95  # guest checkouts leave none
    contacts = read_rows(ex, "crm", "contacts")
    last_names = [str(c["last_name"]) for c in contacts if c["last_name"]]
    assert any(name.isupper() for name in last_names)  # typed by hand
    assert any(name.islower() for name in last_names)
    requesters = [str(t["requester_name"]) for t in read_rows(ex, "support", "tickets")]
    assert any(" " not in r and r for r in requesters)  # a first name only
    assert any(r.split(" ")[0].isupper() for r in requesters if " " in r)  # LAST First
    b2c = [a["name"] for a in read_rows(ex, "crm", "accounts") if a["type"] == "b2c"]
    assert b2c and all(len(str(name).split()) == 2 for name in b2c)


def test_notes_say_who_wrote_them_except_the_imported_activity_log(
    demo: DemoResult, matcher: ThemeMatcher
) -> None:
    notes = read_rows(demo.exports_dir, "crm", "notes")
    roles = Counter(n["author_role"] or None for n in notes)
    assert set(roles) == {"customer", "staff", None}
    assert roles["customer"] > 30 and roles["staff"] > 30 and roles[None] > 15
    unlabelled = [str(n["body"]) for n in notes if not n["author_role"]]
    # the activity log imported without roles: calls, mails, field changes in capitals
    assert any(body.isupper() for body in unlabelled)
    assert sum(bool(matcher.themes(b)) for b in unlabelled) < 0.3 * len(unlabelled)
    staff = [str(n["body"]) for n in notes if n["author_role"] == "staff"]
    assert any(matcher.themes(b) for b in staff)  # staff report what customers ask


def test_widget_comments_are_html_in_the_last_months(demo: DemoResult) -> None:
    comments = read_rows(demo.exports_dir, "support", "ticket_comments")
    widget = [c for c in comments if str(c["body"]).startswith("<p>")]
    assert len(widget) > 20
    assert {c["author_role"] for c in widget} == {"customer"}
    assert any("&eacute;" in str(c["body"]) or "&nbsp;" in str(c["body"]) for c in widget)
    first = min(month_of(str(c["created_at"]), "support") for c in widget)
    assert first >= months_back(demo.last_complete_month, 5)
