"""The raw_intent tables mirror the validated intent file."""

import duckdb

from flows.intent.load import load_intent
from flows.intent.tables import write_intent_tables

from .test_load import MINIMAL, write


def test_tables_mirror_the_file(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    counts = write_intent_tables(load_intent(write(tmp_path, MINIMAL)), warehouse)
    assert counts["offers"] == 2 and counts["segment_rules"] == 3 and counts["theme_terms"] == 3
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rules = con.execute(
            "select segment_id, match_key, match_value from raw_intent.segment_rules order by all"
        ).fetchall()
        assert rules == [
            ("pros", "account_type", "b2b"),
            ("pros", "industry", "construction"),
            ("pros", "industry", "crafts"),
        ]
        assert con.execute(
            "select label_fr, label_en from raw_intent.segments where segment_id = 'pros'"
        ).fetchone() == ("pros", "pros")
        assert con.execute(
            "select count(*) from raw_intent.offer_products where match_type = 'category'"
        ).fetchone() == (1,)
        # A table with no row in the file still exists, so dbt sources always resolve.
        assert con.execute(
            "select count(*) from raw_intent.offer_channels where offer_id = 'kit'"
        ).fetchone() == (0,)


def test_rewriting_tables_replaces_old_rows(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    write_intent_tables(load_intent(write(tmp_path, MINIMAL)), warehouse)
    smaller = MINIMAL.replace("decisions:", "decisions: []\nunused:").split("unused:")[0]
    write_intent_tables(load_intent(write(tmp_path, smaller)), warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw_intent.decisions").fetchone() == (0,)
