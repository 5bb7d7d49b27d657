"""A newcomer's first run: a small shop-only export folder and the starter intent file.

No CRM, no support system, plain CSV: every stage must still work and the brief's
figures must be the ones the files imply.
"""

from __future__ import annotations

import json
import shutil

import pytest
from fixtures.own_data import write_own_exports

from flows.brief.period import latest_complete_month
from flows.brief.write import write_brief
from flows.ingest.run import ingest_exports
from flows.intent.load import load_intent
from flows.intent.tables import write_intent_tables
from flows.settings import EXAMPLES_DIR
from flows.transform.dbt import run_dbt


@pytest.fixture(scope="module")
def own_data(tmp_path_factory):
    root = tmp_path_factory.mktemp("own")
    write_own_exports(root / "exports")
    intent = root / "intent.yaml"
    shutil.copy(EXAMPLES_DIR / "starter" / "intent.yaml", intent)
    warehouse = root / "terrain.duckdb"
    ingest_exports(root / "exports", warehouse)
    write_intent_tables(load_intent(intent), warehouse)
    run_dbt(warehouse)
    month = latest_complete_month(warehouse)
    pdf, findings = write_brief(warehouse, month, root / "briefs", "en")
    return {"month": month, "pdf": pdf, "findings": json.loads(findings.read_text())}


def test_latest_complete_month_is_the_last_full_month_of_data(own_data):
    # Data runs to 2026-03-02, so March is not complete yet.
    assert own_data["month"] == "2026-02"


def test_brief_figures_follow_from_the_files(own_data):
    assert own_data["pdf"].read_bytes().startswith(b"%PDF-")
    offers = {o["offer_id"]: o["figures"] for o in own_data["findings"]["offers"]}
    main = offers["main-range"]
    # Cancelled order O5 does not count; O7 belongs to March in Paris time.
    assert (main["orders"], main["units"], main["revenue"], main["buyers"]) == (3, 4, 400, 3)
    assert main["repeat_rate"] == pytest.approx(1 / 3)  # C1 bought in January already
    assert main["avg_rating"] == pytest.approx(4.0)
    assert offers["accessories"]["revenue"] == 20


def test_starter_themes_find_the_customer_voice(own_data):
    signals = {f["theme_id"]: f for f in own_data["findings"]["findings"] if f["type"] == "signal"}
    assert signals["repair"]["figures"]["documents"] == 1
    assert signals["delivery"]["figures"]["documents"] == 1
    quotes = [v["quote"] for s in signals.values() for v in s["verbatims"]]
    assert not any("bob@example.com" in q for q in quotes)
