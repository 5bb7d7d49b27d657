"""Free text as stg_voice__texts writes it (flows/voice/texts.py), on a real raw DuckDB."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import duckdb
import pytest

from flows import settings
from flows.ingest import contract
from flows.voice.markup import LINK
from flows.voice.redaction import TOKENS
from flows.voice.texts import clean_text, known_names, raw_source, text_id, voice_texts

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "transforms/models/staging/voice/stg_voice__texts.py"
VOICE_MACROS = ROOT / "transforms/macros/voice.sql"


def raw_warehouse_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "raw_fixture", ROOT / "tests/fixtures/raw_warehouse.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ROWS = {
    "raw_shop.customers": [
        {"customer_id": "C1", "first_name": "Jade", "last_name": "Robin"},
        {"customer_id": "C2", "first_name": " Élise ", "last_name": "LEFÈVRE"},
        {"customer_id": "C3", "first_name": None, "last_name": None},
    ],
    "raw_crm.contacts": [
        {"contact_id": "K1", "email": "x@y.fr", "first_name": "Hugo", "last_name": "Morel"}
    ],
    "raw_crm.accounts": [
        {"account_id": "A1", "name": "Sylvie Chabert", "type": "B2C"},
        {"account_id": "A2", "name": "Brasserie du Parc", "type": "b2b"},
    ],
    "raw_support.tickets": [
        {
            "ticket_id": "T1",
            "requester_name": "NGUYEN Paul",
            "subject": "<b>Colis</b> abîmé",
            "description": "Bonjour,\nmon colis est arrivé abîmé.\nCordialement,\njade robin\n06.12.34.56.78",
        },
        {"ticket_id": "T2", "subject": "   ", "description": None},
    ],
    "raw_shop.reviews": [
        {
            "review_id": "R1",
            "title": "Top",
            "body": "Merci à Hugo Morel, livré au 7 ter impasse des Glycines 38100 Grenoble.",
        },
        {"review_id": "R2", "title": None, "body": "La Brasserie du Parc recommande."},
    ],
    "raw_crm.notes": [
        {"note_id": "N1", "body": "RDV avec Mme Chabert : sylvie.chabert [at] gmail [dot] com"}
    ],
}


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    path = tmp_path_factory.mktemp("texts") / "raw.duckdb"
    raw_warehouse_module().build_raw_warehouse(path, ROWS)
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def test_known_names_are_every_person_name_with_full_names(raw) -> None:
    names = known_names(raw_source(raw))
    assert set(names) == {
        "Jade", "Robin", "Jade Robin", "Élise", "LEFÈVRE", "Élise LEFÈVRE", "Hugo", "Morel",
        "Hugo Morel", "Sylvie Chabert", "NGUYEN Paul",
    }  # fmt: skip
    assert "Brasserie du Parc" not in names  # a b2b account's name is no person's


def test_free_text_leaves_the_raw_layer_plain_and_redacted(raw) -> None:
    table = voice_texts(raw_source(raw)).to_pylist()
    by_id = {row["text_id"]: row for row in table}
    assert set(by_id) == {
        "support/tickets:T1:subject",
        "support/tickets:T1:description",
        "shop/reviews:R1:title",
        "shop/reviews:R1:body",
        "shop/reviews:R2:body",
        "crm/notes:N1:body",
    }  # blank and missing texts have no row
    assert by_id["support/tickets:T1:subject"]["text"] == "Colis abîmé"
    assert by_id["support/tickets:T1:subject"]["had_markup"] is True
    description = by_id["support/tickets:T1:description"]
    assert (
        description["text"]
        == "Bonjour,\nmon colis est arrivé abîmé.\nCordialement,\n[name]\n[phone]"
    )
    assert description["redacted_kinds"] == ["phone", "name"]
    assert description["had_markup"] is False
    assert by_id["shop/reviews:R1:body"]["text"] == "Merci à [name], livré au [address]."
    assert by_id["shop/reviews:R2:body"]["text"] == "La Brasserie du Parc recommande."
    assert by_id["crm/notes:N1:body"]["text"] == "RDV avec Mme [name] : [email]"


def test_an_older_warehouse_without_name_columns_still_builds(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    raw_warehouse_module().build_raw_warehouse(path, ROWS)
    with duckdb.connect(str(path)) as con:
        con.execute("alter table raw_shop.customers drop column first_name")
        con.execute("alter table raw_support.tickets drop column requester_name")
        names = known_names(raw_source(con))
    assert "Jade" not in names and "NGUYEN Paul" not in names
    assert {"Robin", "Hugo Morel", "Sylvie Chabert"} <= set(names)


def test_markup_goes_before_redaction() -> None:
    from flows.voice.redaction import Redactor

    cleaned = clean_text("<p>Appelez le <b>06 12 34 56 78</b></p>", Redactor())
    assert (cleaned.text, cleaned.had_markup, cleaned.redacted_kinds) == (
        "Appelez le [phone]",
        True,
        ["phone"],
    )
    spaced = clean_text("trop   petit", Redactor())
    assert (spaced.text, spaced.had_markup) == ("trop petit", False)


def test_text_ids_name_the_entity_the_row_and_the_column() -> None:
    assert text_id("shop", "reviews", "R1", "body") == "shop/reviews:R1:body"


def test_tokens_have_the_shape_the_sql_macro_removes() -> None:
    macro = VOICE_MACROS.read_text(encoding="utf-8")
    pattern = r"\[[a-z]{2,12}\]"
    assert f"'{pattern}'" in macro  # macro without_tokens
    for token in [*TOKENS.values(), LINK]:
        assert re.fullmatch(pattern, token), token


def test_the_model_names_every_raw_table_with_text_or_names() -> None:
    named = set(re.findall(r'dbt\.source\("(\w+)", "(\w+)"\)', MODEL.read_text(encoding="utf-8")))
    needed = {(settings.raw_dataset(s), e) for s, e, _ in contract.FREE_TEXT} | {
        (settings.raw_dataset(n.system), n.entity) for n in contract.PERSON_NAMES
    }
    assert named == needed


def test_free_text_and_name_columns_are_text_columns_of_the_contract() -> None:
    for system, entity, column in contract.FREE_TEXT:
        found = contract.ENTITIES_BY_KEY[(system, entity)]
        assert found.column_types[column] == contract.TEXT
        assert len(found.primary_key) == 1  # a text's id holds its row's key
    for name in contract.PERSON_NAMES:
        columns = contract.ENTITIES_BY_KEY[(name.system, name.entity)].column_types
        assert columns[name.column] == contract.TEXT
        if name.when is not None:
            assert columns[name.when[0]] == contract.TEXT
