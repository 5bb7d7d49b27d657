"""Every free-text value of the raw layer as plain, redacted text: stg_voice__texts.

The dbt Python model `transforms/models/staging/voice/stg_voice__texts.py` calls
`voice_texts` once per build: it reads the person names the raw layer holds
(`contract.PERSON_NAMES`), builds one `Redactor` with them, and turns each value of each
free-text column (`contract.FREE_TEXT`) into plain text (`markup.plain_text`) with its
personal data replaced by tokens. Every later model reads that table, never the raw
text, so the DuckDB file analysts open holds no unredacted customer text outside the
raw schemas, and needs no Python function to be read.

`source(source_name, entity)` is how the raw tables are reached, `source_name` being the
raw schema (`raw_shop`): `dbt.source` inside dbt, or a DuckDB connection's `table` in
tests and the benchmark (`raw_source(con)`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from flows import settings
from flows.ingest import contract
from flows.voice.markup import normalise_spaces, plain_text
from flows.voice.redaction import TOKENS, Redactor

log = logging.getLogger(__name__)

Source = Callable[[str, str], duckdb.DuckDBPyRelation]

SCHEMA = pa.schema(
    [
        pa.field("text_id", pa.string(), nullable=False),
        pa.field("source_entity", pa.string(), nullable=False),
        pa.field("source_id", pa.string(), nullable=False),
        pa.field("text_column", pa.string(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("had_markup", pa.bool_(), nullable=False),
        pa.field("redacted_kinds", pa.list_(pa.string()), nullable=False),
    ]
)


@dataclass(frozen=True)
class CleanText:
    """One free-text value as every later layer sees it."""

    text: str
    had_markup: bool  # tags, entities or links were removed
    redacted_kinds: list[str]  # kinds of personal data replaced (email, phone, name...)


def text_id(system: str, entity: str, source_id: str, column: str) -> str:
    """`shop/reviews:R1:body`: the entity, its row's primary key and the column."""
    return f"{system}/{entity}:{source_id}:{column}"


def clean_text(raw: str, redactor: Redactor) -> CleanText:
    """Markup removed first (so the redactor reads words), then personal data redacted."""
    plain = plain_text(raw)
    redacted = redactor.redact(plain) or ""
    kinds = [kind for kind, token in TOKENS.items() if redacted.count(token) > plain.count(token)]
    return CleanText(redacted, plain != normalise_spaces(raw), kinds)


def raw_source(con: duckdb.DuckDBPyConnection) -> Source:
    """The raw tables of a plain DuckDB connection, as `dbt.source` gives them."""
    return lambda source_name, entity: con.table(f"{source_name}.{entity}")


def known_names(source: Source) -> list[str]:
    """Every person name the raw layer holds (distinct values of PERSON_NAMES).

    Where one row holds a first and a last name, the full name comes too, so the
    redactor knows they are one person's ("jade robin" in lower case is still a name). A
    column an older warehouse does not have yet is skipped: its names cannot be in the
    exports that were loaded.
    """
    names: set[str] = set()
    by_entity: dict[tuple[str, str], list[contract.NameColumn]] = {}
    for column in contract.PERSON_NAMES:
        by_entity.setdefault((column.system, column.entity), []).append(column)
    for (system, entity), columns in by_entity.items():
        relation = source(settings.raw_dataset(system), entity)
        present = [column for column in columns if column.column in relation.columns]
        if not present:
            continue
        for column in present:
            selected = relation
            if column.when is not None:
                when_column, values = column.when
                listed = ", ".join(f"'{value}'" for value in values)
                selected = selected.filter(f"lower(trim({when_column})) in ({listed})")
            expression = f"nullif(trim(cast({column.column} as varchar)), '')"
            rows = selected.project(f"{expression} as name").distinct().fetchall()
            names.update(row[0] for row in rows if row[0])
        parts = {column.column for column in present}
        if {"first_name", "last_name"} <= parts:
            rows = (
                relation.filter("nullif(trim(first_name), '') is not null")
                .filter("nullif(trim(last_name), '') is not null")
                .project("trim(first_name) || ' ' || trim(last_name)")
                .distinct()
                .fetchall()
            )
            names.update(row[0] for row in rows)
    return sorted(names)


def voice_texts(source: Source) -> pa.Table:
    """One row per non-blank free-text value of the raw layer, plain and redacted."""
    started = time.perf_counter()
    redactor = Redactor(known_names(source))
    columns: dict[str, list] = {name: [] for name in SCHEMA.names}
    for system, entity, column in contract.FREE_TEXT:
        key = contract.ENTITIES_BY_KEY[(system, entity)].primary_key[0]
        rows = (
            source(settings.raw_dataset(system), entity)
            .filter(f"nullif(trim({column}), '') is not null and {key} is not null")
            .project(f"cast({key} as varchar) as source_id, cast({column} as varchar) as raw")
            .fetchall()
        )
        for source_id, raw in rows:
            cleaned = clean_text(raw, redactor)
            columns["text_id"].append(text_id(system, entity, source_id, column))
            columns["source_entity"].append(f"{system}/{entity}")
            columns["source_id"].append(source_id)
            columns["text_column"].append(column)
            columns["text"].append(cleaned.text)
            columns["had_markup"].append(cleaned.had_markup)
            columns["redacted_kinds"].append(cleaned.redacted_kinds)
    table = pa.table(columns, schema=SCHEMA)
    elapsed = time.perf_counter() - started
    log.info(
        "stg_voice__texts: %d texts cleaned and redacted in %.1f s (%.0f texts/s)",
        table.num_rows,
        elapsed,
        table.num_rows / elapsed if elapsed else 0.0,
    )
    return table


def redact_texts(texts: Iterable[str], known: Iterable[str] = ()) -> list[CleanText]:
    """`clean_text` over a list, with a redactor built for it (tests, benchmark)."""
    redactor = Redactor(known)
    return [clean_text(text, redactor) for text in texts]
