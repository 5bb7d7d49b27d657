"""Customer voice in the demo warehouse and brief: no personal data, no staff text, no markup.

Slow: uses the session's demo run (tests/conftest.py). The demo generator writes person
names into the name columns of its exports (shop/customers, crm/contacts,
support/tickets, b2c accounts) and, into free text, names, e-mails (plain, disguised,
accented), phones (spaces, dots, dashes, slashes, parentheses, +33 (0), 0033), IBANs,
cards and postal addresses, in forms chosen for the demo, not taken from the
redactor's corpus. The scan below uses its own detectors, not the redactor's rules.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from flows.demo import catalog, texts

pytestmark = pytest.mark.slow

SCHEMAS = ("staging", "intermediate", "marts", "report")

# Structured identity columns: a normalised e-mail used as a key to join the systems
# (docs/voice.md, "What remains where"). They hold one address each (whose mailbox may
# spell a name), never free text, and are the only columns the scan leaves out.
IDENTITY_EMAIL_COLUMNS = frozenset(
    {
        "staging.stg_shop__customers.email",
        "staging.stg_crm__contacts.email",
        "staging.stg_support__tickets.requester_email",
        "intermediate.int_customer_ids_mapped.email",
        "intermediate.int_customer_ids_mapped.identity_id",
        "intermediate.int_customer_ids_mapped.source_id",
        "intermediate.int_customers_unified.email",
        "marts.dim_customers.email",
    }
)

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
DISGUISED_EMAIL = re.compile(r"\w\s*(?:\[at\]|\(at\)|\[@\]|\barobase\b)\s*\w", re.IGNORECASE)
# A run of digits and separators standing alone (not inside an id such as c_6f3b2611...).
NUMBER_RUN = re.compile(r"(?<![\w.])(?:\+|\(\+?)?\d[\d \t.\-/()]*\d(?![\w])")
DECIMAL = re.compile(r"\d+\.\d+")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){3,}")
WORD = re.compile(r"[a-z]+")


def long_numbers(value: str) -> list[str]:
    """Runs of nine digits or more (a phone, a card, an account), decimals left aside."""
    return [
        run
        for run in (match.group() for match in NUMBER_RUN.finditer(value))
        if sum(char.isdigit() for char in run) >= 9 and not DECIMAL.fullmatch(run.strip())
    ]


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def ordinary_words() -> set[str]:
    """Every word of the demo's own text material (no person in it): "petit", "lyon"..."""
    material: list[str] = []

    def collect(value: object) -> None:
        if isinstance(value, str):
            material.append(value)
        elif dataclasses.is_dataclass(value):
            collect(list(vars(value).values()))
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, (tuple, list, frozenset, set)):
            for item in value:
                collect(item)

    for module in (texts, catalog):
        for name, value in vars(module).items():
            if name.isupper() and name not in ("FIRST_NAMES", "LAST_NAMES"):
                collect(value)
    return {word for text in material for word in WORD.findall(fold(text))}


def known_names(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Every word of every person name the raw layer holds, folded."""
    values = con.execute(
        """
        select first_name from raw_shop.customers union select last_name from raw_shop.customers
        union select first_name from raw_crm.contacts union select last_name from raw_crm.contacts
        union select requester_name from raw_support.tickets
        union select name from raw_crm.accounts where lower(type) = 'b2c'
        """
    ).fetchall()
    return {word for (value,) in values if value for word in WORD.findall(fold(value))}


def text_columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    return con.execute(
        """
        select table_schema, table_name, column_name
        from information_schema.columns
        where table_schema in ('staging', 'intermediate', 'marts', 'report')
            and (data_type like 'VARCHAR%' or data_type like '%[]' or data_type like 'STRUCT%')
        order by all
        """
    ).fetchall()


def findings(warehouse: Path) -> Iterator[tuple[str, str, str]]:
    """(column, what was found, the value) for each piece of personal data left."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = known_names(con) - ordinary_words()
        assert len(names) > 100  # the demo writes names: the scan has something to find
        for schema, table, column in text_columns(con):
            where = f"{schema}.{table}.{column}"
            values = con.execute(
                f'select distinct cast("{column}" as varchar) from {schema}.{table} '
                f'where "{column}" is not null'
            ).fetchall()
            if where in IDENTITY_EMAIL_COLUMNS:
                continue
            for (value,) in values:
                for kind, pattern in (("e-mail", EMAIL), ("disguised e-mail", DISGUISED_EMAIL)):
                    if pattern.search(value):
                        yield where, kind, value
                if IBAN.search(value):
                    yield where, "IBAN", value
                for run in long_numbers(value):
                    yield where, f"number {run!r}", value
                hits = names.intersection(WORD.findall(fold(value)))
                if hits:
                    yield where, f"name {sorted(hits)}", value


def test_no_personal_data_in_any_text_column_after_a_demo_run(demo_run) -> None:
    with duckdb.connect(str(demo_run.warehouse), read_only=True) as con:
        columns = text_columns(con)
        # the demo did write personal data in the raw layer: the scan is not vacuous
        raw = con.execute(
            "select count(*) from raw_support.tickets where regexp_matches(description, "
            "'@|\\d{2}[ ./-]\\d{2}[ ./-]\\d{2}|rue|avenue|chemin')"
        ).fetchone()[0]
    assert raw > 20
    assert len(columns) > 100
    left = list(findings(demo_run.warehouse))
    assert left == [], "\n".join(f"{w}: {kind}: {value[:200]!r}" for w, kind, value in left[:30])


def quoted_evidence(findings: dict) -> list[dict]:
    """Every quote the brief shows: signals' verbatims and emerging terms' examples."""
    return [
        quote
        for finding in findings["findings"]
        if finding["type"] in ("signal", "emerging_term")
        for quote in finding.get("verbatims", [])
    ]


def test_no_quote_of_the_demo_brief_was_written_by_staff(demo_run) -> None:
    quotes = quoted_evidence(demo_run.findings)
    assert len(quotes) > 10
    authored = [
        q["evidence_id"] for q in quotes if q["evidence_source"] in ("crm_note", "ticket_comment")
    ]
    assert authored  # notes and comments are quoted: the check below is not vacuous
    with duckdb.connect(str(demo_run.warehouse), read_only=True) as con:
        exported = dict(
            con.execute(
                "select 'crm_note:' || note_id, author_role from raw_crm.notes union all "
                "select 'ticket_comment:' || comment_id, author_role from raw_support.ticket_comments"
            ).fetchall()
        )
    # the generator marks every note and comment a customer wrote; the rest is staff's
    assert {exported[evidence_id] for evidence_id in authored} == {"customer"}


def test_no_staff_template_nor_markup_among_the_demo_emerging_terms(demo_run) -> None:
    with duckdb.connect(str(demo_run.warehouse), read_only=True) as con:
        terms = con.execute(
            "select distinct term_key, evidence_source from report.rpt_brief__emerging_terms"
        ).fetchall()
        templates = [
            f" {fingerprint} "
            for (fingerprint,) in con.execute(
                "select fingerprint from intermediate.int_voice_templates_detected"
            ).fetchall()
        ]
    assert len(templates) > 20  # the demo's sales team and agents do write templates
    assert terms
    for term_key, _source in terms:
        assert not any(f" {term_key} " in template for template in templates), term_key
        assert not set(term_key.split()) & {"p", "nbsp", "eacute", "agrave", "img", "src", "script"}


def test_html_of_the_help_desk_widget_is_read_as_plain_text(demo_run) -> None:
    with duckdb.connect(str(demo_run.warehouse), read_only=True) as con:
        widget = con.execute(
            "select count(*) from raw_support.ticket_comments where body like '<p>%'"
        ).fetchone()[0]
        plain = con.execute(
            "select count(*) filter (where had_markup), "
            "count(*) filter (where regexp_matches(text, '<[a-z/]|&[a-z]+;')) "
            "from staging.stg_voice__texts where source_entity = 'support/ticket_comments'"
        ).fetchone()
    assert widget > 100
    assert plain == (widget, 0)
