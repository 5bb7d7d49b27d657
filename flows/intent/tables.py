"""The validated intent as the `raw_intent` tables the dbt project reads.

`write_intent_tables` replaces every table in one transaction (docs/architecture.md,
section 3). Every table exists even when the file declares no row of it, so the dbt
sources always resolve.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from flows.intent.model import Intent
from flows.settings import INTENT_DATASET


def _label(labels: dict[str, str], lang: str, fallback: str) -> str:
    return labels.get(lang) or next(iter(labels.values()), fallback)


def intent_tables(intent: Intent) -> dict[str, tuple[str, list[tuple[Any, ...]]]]:
    """Table name -> (column DDL, rows): the raw_intent layout of docs/architecture.md."""

    def lab(labels: dict[str, str], fallback: str) -> tuple[str, str]:
        return _label(labels, "fr", fallback), _label(labels, "en", fallback)

    return {
        "company": (
            "name varchar, language varchar, currency varchar, timezone varchar, default_segment varchar",
            [
                (
                    intent.company_name,
                    intent.language,
                    intent.currency,
                    intent.timezone,
                    intent.default_segment,
                )
            ],
        ),
        "segments": (
            "segment_id varchar, position integer, label_fr varchar, label_en varchar",
            [(s.id, i, *lab(s.label, s.id)) for i, s in enumerate(intent.segments)],
        ),
        "segment_rules": (
            "segment_id varchar, match_key varchar, match_value varchar",
            [(s.id, k, v) for s in intent.segments for k, vs in s.match.items() for v in vs],
        ),
        "themes": (
            "theme_id varchar, kind varchar, label_fr varchar, label_en varchar",
            [(t.id, t.kind, *lab(t.label, t.id)) for t in intent.themes],
        ),
        "theme_terms": (
            "theme_id varchar, language varchar, term varchar",
            [
                (t.id, lang, term)
                for t in intent.themes
                for lang, terms in t.terms.items()
                for term in terms
            ],
        ),
        "offers": (
            "offer_id varchar, name varchar, kind varchar, since date, until date, position integer",
            [(o.id, o.name, o.kind, o.since, o.until, i) for i, o in enumerate(intent.offers)],
        ),
        "offer_products": (
            "offer_id varchar, match_type varchar, pattern varchar",
            [(o.id, "sku", p) for o in intent.offers for p in o.skus]
            + [(o.id, "category", p) for o in intent.offers for p in o.categories],
        ),
        "offer_segments": (
            "offer_id varchar, segment_id varchar",
            [(o.id, s) for o in intent.offers for s in o.segments],
        ),
        "offer_channels": (
            "offer_id varchar, channel varchar",
            [(o.id, c) for o in intent.offers for c in o.channels],
        ),
        "offer_uses": (
            "offer_id varchar, theme_id varchar",
            [(o.id, t) for o in intent.offers for t in o.uses],
        ),
        "offer_complements": (
            "offer_id varchar, complement_offer_id varchar",
            [(o.id, c) for o in intent.offers for c in o.complements],
        ),
        "offer_targets": (
            "offer_id varchar, metric varchar, target_value double",
            [(o.id, m, v) for o in intent.offers for m, v in o.targets.items()],
        ),
        "decisions": (
            "decision_id varchar, decision_date date, offer_id varchar, theme_id varchar, "
            "summary_fr varchar, summary_en varchar",
            [(d.id, d.date, d.offer, d.theme, *lab(d.summary, d.id)) for d in intent.decisions],
        ),
        "decision_watches": (
            "decision_id varchar, metric varchar",
            [(d.id, m) for d in intent.decisions for m in d.watch],
        ),
    }


def write_intent_tables(
    intent: Intent, warehouse: Path, progress: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Replace the raw_intent tables in one transaction; return rows per table."""
    counts: dict[str, int] = {}
    Path(warehouse).parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("begin transaction")
        con.execute(f"create schema if not exists {INTENT_DATASET}")
        for table, (ddl, rows) in intent_tables(intent).items():
            con.execute(f"create or replace table {INTENT_DATASET}.{table} ({ddl})")
            if rows:
                placeholders = ", ".join("?" for _ in rows[0])
                con.executemany(
                    f"insert into {INTENT_DATASET}.{table} values ({placeholders})", rows
                )
            counts[table] = len(rows)
        con.execute("commit")
    if progress:
        progress(
            f"intent: {counts['offers']} offers, {counts['themes']} themes, "
            f"{counts['segments']} segments, {counts['decisions']} decisions loaded"
        )
    return counts
