"""Customer voice in the models: author roles, staff templates, markup, emerging terms.

A company of its own, written for these tests (the tiny company's intent file, its own
voice), built twice: on all its data (January 2023 to June 2024) and on the same data
cut at the end of March 2024, so that March can be compared without look-ahead.

- Reviews grow sixfold in January 2024 while half of them keep saying "solide": the
  word's share of all customer voice triples, its share of reviews does not move.
- Tickets: from January 2024, 8 of 40 a month say "l'étiquette gratte"; from April
  (after the cut) 20 more a month say "problème de qualité : les étiquettes grattent",
  which would make the term the quality theme's vocabulary, and "étiquettes" its usual
  spelling, if March could see April.
- Ticket comments: customers thank the agent every month; from January 2024 the help
  desk exports their comments as HTML (entities, an image, a script). Agents answer with
  a macro; some customers paste it back; unlabelled comments are the agents' default.
- CRM notes without an author role: a template written with small variations for 12
  accounts, a system message, a customer sentence written for two accounts, a sentence
  for four accounts (below the threshold of 5), one that reaches five accounts only in
  March 2024; notes exported as staff's, and as the customer's.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import duckdb
import pytest

from flows.transform.dbt import run_dbt

MARCH = dt.date(2024, 3, 1)
CUT = dt.datetime(2024, 4, 1, tzinfo=dt.UTC)
MONTHS = [f"2023-{m:02d}" for m in range(1, 13)] + [f"2024-{m:02d}" for m in range(1, 7)]
MARKUP_WORDS = {
    "p", "img", "src", "script", "nbsp", "eacute", "http", "https", "cdn", "png", "track",
    "link", "pixel", "example",
}  # fmt: skip
TEMPLATE_VARIANTS = [
    "Appel de suivi le 12/03 : tout va bien.",
    "appel de suivi le 3/4, tout va bien !!",
    "Appel de suivi le 21/06 — tout va bien",
    "APPEL de suivi le 2/7 : Tout va bien.",
    "Appel  de  suivi le 30/09 : tout va bien...",
    "Appel de suivi le 1/10 : tout va bien.",
]
MACRO = "Pourriez-vous nous envoyer une photo ?"
ETIQUETTE = (
    "Bonjour, l'étiquette gratte le cou.",
    "L'étiquette irrite la peau.",
    "Une étiquette qui pique, dommage.",
)


def ts(month: str, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{month}-{day:02d}T{hour:02d}:00:00").replace(tzinfo=dt.UTC)


def voice_rows(sample_rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {
        name: copy.deepcopy(table) for name, table in sample_rows.items() if "intent" in name
    }
    reviews = rows.setdefault("raw_shop.reviews", [])
    tickets = rows.setdefault("raw_support.tickets", [])
    comments = rows.setdefault("raw_support.ticket_comments", [])
    notes = rows.setdefault("raw_crm.notes", [])
    for month_index, month in enumerate(MONTHS):
        new_year = month >= "2024-01"
        for n in range(60 if new_year else 10):
            body = "La toile est solide et agréable." if n % 2 else "Couleur conforme à la photo."
            reviews.append(
                {
                    "review_id": f"RV{month_index:02d}{n:02d}",
                    "sku": "ZZ-9",
                    "created_at": ts(month, 1 + n % 27),
                    "rating": 4,
                    "body": body,
                }
            )
        for n in range(60 if month >= "2024-04" else 40):
            text = "Où est ma commande ?"
            if new_year and n < 8:
                text = ETIQUETTE[n % 3]
            elif month >= "2024-04" and n >= 40:
                text = "Problème de qualité : les étiquettes grattent."
            ticket_id = f"T{month_index:02d}{n:02d}"
            tickets.append(
                {
                    "ticket_id": ticket_id,
                    "created_at": ts(month, 1 + n % 27),
                    "requester_email": f"t{month_index}-{n}@example.net",
                    "subject": "Commande",
                    "description": text,
                }
            )
            if n < 20:  # the customer thanks the agent, as HTML once the widget is in use
                thanks = "Merci pour votre réponse !"
                if new_year:
                    thanks = (
                        "<p>Merci pour votre r&eacute;ponse&nbsp;!</p>"
                        '<img src="https://cdn.example.com/pixel.png"><script>track("x")</script>'
                    )
                comments.append(
                    {
                        "comment_id": f"C{ticket_id}",
                        "ticket_id": ticket_id,
                        "created_at": ts(month, 1 + n % 27, 15),
                        "author_role": "customer",
                        "body": thanks,
                    }
                )
            elif n < 26:  # the agent's macro
                comments.append(
                    {
                        "comment_id": f"A{ticket_id}",
                        "ticket_id": ticket_id,
                        "created_at": ts(month, 1 + n % 27, 12),
                        "author_role": "agent",
                        "body": f"Bonjour, merci pour votre message. {MACRO}",
                    }
                )
                if month == "2024-02" and n < 23:  # the customer answers with the macro
                    comments.append(
                        {
                            "comment_id": f"Q{ticket_id}",
                            "ticket_id": ticket_id,
                            "created_at": ts(month, 1 + n % 27, 16),
                            "author_role": "customer",
                            "body": f"{MACRO} Voici la photo : la poche est trouée.",
                        }
                    )
            elif n < 28:  # no author role: a help desk's agents write most comments
                comments.append(
                    {
                        "comment_id": f"U{ticket_id}",
                        "ticket_id": ticket_id,
                        "created_at": ts(month, 1 + n % 27, 13),
                        "body": "Bonjour, je reviens vers vous.",
                    }
                )

    def note(note_id: str, account: str, when: dt.datetime, body: str, role: str | None) -> None:
        notes.append(
            {
                "note_id": note_id,
                "created_at": when,
                "account_id": account,
                "body": body,
                "author_role": role,
            }
        )

    # one template, small variations, twelve accounts: two a month from February 2023
    for k in range(12):
        note(
            f"NT{k:02d}", f"A{k:02d}", ts(MONTHS[1 + k // 2], 3 + k), TEMPLATE_VARIANTS[k % 6], None
        )
    note(
        "NS1",
        "A13",
        ts("2023-05", 5),
        "SHIPPING ADDRESS UPDATED: 12 bis rue des Lilas, 69003 Lyon",
        None,
    )
    for k, account in enumerate(("A14", "A15")):
        note(
            f"NC{k}", account, ts("2024-02", 4 + k), "Nous voudrions un don pour la kermesse.", None
        )
    note("NE1", "A16", ts("2024-02", 8), "Le client demande une réparation de la poche.", "staff")
    note(
        "NE2",
        "A17",
        ts("2024-02", 9),
        "Appel de suivi le 02/02 : tout va bien. Par contre la couture a lâché, une réparation ?",
        "customer",
    )
    for k, (account, month) in enumerate(
        (("A20", "2024-01"), ("A21", "2024-01"), ("A22", "2024-01"), ("A23", "2024-02"),
         ("A24", "2024-03"), ("A25", "2024-03"))
    ):  # fmt: skip
        note(f"NL{k}", account, ts(month, 10 + k), "Relance devis envoyée.", None)
    for k in range(4):
        note(f"NM{k}", f"A3{k}", ts("2023-09", 10 + k), "Mail envoyé.", None)
    return rows


def cut(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The same company as it stood at the end of March 2024."""
    return {
        name: [
            row
            for row in table
            if not any(isinstance(v, dt.datetime) and v >= CUT for v in row.values())
        ]
        for name, table in rows.items()
    }


def build(path: Path, rows: dict[str, list[dict[str, Any]]], module: ModuleType) -> Path:
    module.build_raw_warehouse(path, rows)
    run_dbt(path, ("build",))
    return path


@pytest.fixture(scope="module")
def voice_warehouses(
    tmp_path_factory: pytest.TempPathFactory, raw_warehouse_module: ModuleType
) -> tuple[Path, Path]:
    rows = voice_rows(raw_warehouse_module.SAMPLE_ROWS)
    root = tmp_path_factory.mktemp("voice")
    full = build(root / "full.duckdb", rows, raw_warehouse_module)
    march = build(root / "march.duckdb", cut(rows), raw_warehouse_module)
    return full, march


@pytest.fixture(scope="module")
def ask(voice_warehouses: tuple[Path, Path]) -> Iterator[Callable[..., list[tuple[Any, ...]]]]:
    con = duckdb.connect(str(voice_warehouses[0]), read_only=True)
    yield lambda sql, *params: con.execute(sql, list(params)).fetchall()
    con.close()


def roles(ask: Callable[..., list[tuple[Any, ...]]]) -> dict[str, tuple[str, str]]:
    return {
        row[0]: (row[1], row[2])
        for row in ask(
            "select evidence_id, author_role, author_role_source "
            "from intermediate.int_voice_authors_resolved"
        )
    }


def evidence_ids(ask: Callable[..., list[tuple[Any, ...]]]) -> set[str]:
    return {row[0] for row in ask("select evidence_id from marts.fct_evidence")}


# --- author roles and templates -----------------------------------------------------------


def test_a_template_written_with_small_variations_is_one_template(ask) -> None:
    rows = ask(
        "select fingerprint, threads, templated_since_month "
        "from intermediate.int_voice_templates_detected where evidence_source = 'crm_note'"
    )
    by_fingerprint = {row[0]: row[1:] for row in rows}
    # case, accents, punctuation, spacing and digits differ; the sentence is one
    assert by_fingerprint["appel de suivi le tout va bien"] == (12, dt.date(2023, 4, 1))


def test_notes_made_only_of_a_template_are_staff_from_the_month_it_is_one(ask) -> None:
    found = roles(ask)
    # the 5th account got it in April 2023: the notes of February and March (4 accounts)
    # were written before anything said it was a template
    before = [f"crm_note:NT{k:02d}" for k in range(4)]
    after = [f"crm_note:NT{k:02d}" for k in range(4, 12)]
    assert {found[i] for i in before} == {("customer", "default")}
    assert {found[i] for i in after} == {("staff", "template")}
    assert not set(after) & evidence_ids(ask)


def test_a_sentence_reaching_five_accounts_in_march_is_a_template_from_march_only(ask) -> None:
    found = roles(ask)
    assert [found[f"crm_note:NL{k}"] for k in range(6)] == [("customer", "default")] * 4 + [
        ("staff", "template")
    ] * 2


def test_a_sentence_written_for_four_accounts_is_no_template(ask) -> None:
    found = roles(ask)
    assert {found[f"crm_note:NM{k}"] for k in range(4)} == {("customer", "default")}


def test_a_customer_sentence_written_twice_stays_customer_voice(ask) -> None:
    found = roles(ask)
    assert found["crm_note:NC0"] == found["crm_note:NC1"] == ("customer", "default")
    themes = dict(
        ask(
            "select evidence_id, theme_ids from marts.fct_evidence "
            "where evidence_id in ('crm_note:NC0', 'crm_note:NC1')"
        )
    )
    assert themes == {"crm_note:NC0": ["donation"], "crm_note:NC1": ["donation"]}


def test_a_system_message_is_staff_even_the_first_time(ask) -> None:
    assert roles(ask)["crm_note:NS1"] == ("staff", "system_message")
    assert "crm_note:NS1" not in evidence_ids(ask)


def test_exported_roles_win_and_staff_text_is_never_voice(ask) -> None:
    found = roles(ask)
    assert found["crm_note:NE1"] == ("staff", "export")
    assert found["crm_note:NE2"] == ("customer", "export")
    ids = evidence_ids(ask)
    assert "crm_note:NE1" not in ids  # it talks about a repair, but staff wrote it
    assert not ask("select 1 from marts.fct_theme_matches where evidence_id = 'crm_note:NE1'")


def test_a_template_inside_a_customer_note_is_left_out_of_matching(ask) -> None:
    ((match_text, themes),) = ask(
        "select evidence.match_text, facts.theme_ids from intermediate.int_evidence_collected "
        "as evidence inner join marts.fct_evidence as facts using (evidence_id) "
        "where evidence_id = 'crm_note:NE2'"
    )
    assert "suivi" not in match_text and "reparation" in match_text
    assert themes == ["repair"]


def test_agent_macros_and_unlabelled_comments_are_not_customer_voice(ask) -> None:
    found = roles(ask)
    ids = evidence_ids(ask)
    agents = [key for key in found if key.startswith("ticket_comment:A")]
    unlabelled = [key for key in found if key.startswith("ticket_comment:U")]
    assert agents and unlabelled
    assert {found[key] for key in agents} == {("agent", "export")}
    # an unlabelled comment is the agents' (the default), first as such, then as a template
    assert {found[key] for key in unlabelled} == {("agent", "default"), ("agent", "template")}
    assert not (set(agents) | set(unlabelled)) & ids
    # the macro, learnt from the agents' comments, is left out of a customer's answer
    ((own_text,),) = ask(
        "select own_text from intermediate.int_voice_authors_resolved "
        "where evidence_id = 'ticket_comment:QT1320'"
    )
    assert own_text == "Voici la photo : la poche est trouée"


# --- markup -------------------------------------------------------------------------------


def test_html_is_plain_text_before_anything_reads_it(ask) -> None:
    ((text, had_markup),) = ask(
        "select text, had_markup from staging.stg_voice__texts "
        "where text_id = 'support/ticket_comments:CT1300:body'"
    )
    assert (text, had_markup) == ("Merci pour votre réponse !", True)
    leftovers = ask(
        "select evidence_text from marts.fct_evidence "
        "where regexp_matches(evidence_text, '<[a-z/]|&[a-z]+;|https?:')"
    )
    assert leftovers == []


def test_no_emerging_term_is_markup(ask) -> None:
    terms = ask("select distinct term_key from marts.fct_emerging_terms where is_emerging")
    assert terms  # something does emerge in this company
    words = {word for (key,) in terms for word in key.split()}
    assert not words & MARKUP_WORDS, words & MARKUP_WORDS


# --- emerging terms -----------------------------------------------------------------------


def test_a_word_whose_source_grew_does_not_emerge(ask) -> None:
    # all voice: "solide" went from 5 of 50 documents a month to 30 of 100...
    pooled = dict(
        ask(
            "select evidence_month, avg(contains(match_text, ' solide ')::int) "
            "from intermediate.int_evidence_collected where evidence_month in (?, ?) "
            "group by all",
            dt.date(2023, 6, 1),
            MARCH,
        )
    )
    assert pooled[MARCH] / pooled[dt.date(2023, 6, 1)] > 2.5
    # ...but half of the reviews say it, before and after: tested, never emerging
    rows = ask(
        "select is_tested, is_emerging, round(recent_share, 2), round(baseline_share, 2) "
        "from marts.fct_emerging_terms "
        "where term_key = 'solide' and evidence_source = 'review' and month = ?",
        MARCH,
    )
    assert rows == [(True, False, 0.5, 0.5)]
    assert not ask(
        "select 1 from marts.fct_emerging_terms where is_emerging and term_key like '%solide%'"
    )


def test_a_word_rising_within_its_source_emerges_there(ask) -> None:
    rows = ask(
        "select term, evidence_source from report.rpt_brief__emerging_terms "
        "where report_month = ? and term_key like '%etiquette%'",
        MARCH,
    )
    assert rows and {row[1] for row in rows} == {"ticket"}


def test_emerging_terms_of_march_are_the_same_on_data_cut_at_march(voice_warehouses) -> None:
    full, march = voice_warehouses
    columns = "* exclude (is_complete_month)"

    def read(path: Path, sql: str) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(path), read_only=True) as con:
            return con.execute(sql, [MARCH]).fetchall()

    report = (
        "select * from report.rpt_brief__emerging_terms where report_month = ? order by term_rank"
    )
    assert read(full, report) == read(march, report)
    assert any("etiquette" in row[3] for row in read(full, report))
    marts = (
        f"select {columns} from marts.fct_emerging_terms where month <= ? and is_tested "
        "order by term_source_month_id"
    )
    assert read(full, marts) == read(march, marts)
    # what April would have changed, had March seen it: the theme that covers the term
    # and the way it is written
    with duckdb.connect(str(full), read_only=True) as con:
        later = con.execute(
            "select covering_theme_id, round(theme_coverage, 2), term "
            "from marts.fct_emerging_terms where term_key = 'etiquette' "
            "and evidence_source = 'ticket' and month = date '2024-06-01'"
        ).fetchall()
    assert later == [("quality", 0.56, "etiquettes")]
    roles_sql = (
        "select authors.* from intermediate.int_voice_authors_resolved as authors "
        "inner join intermediate.int_voice_sentences_split as sentences using (evidence_id) "
        "where sentences.text_month <= ? order by all"
    )
    assert read(full, roles_sql) == read(march, roles_sql)
