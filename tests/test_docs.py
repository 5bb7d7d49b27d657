"""Documentation written from code stays equal to the code; published schemas are usable."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from flows.docs import GENERATED, main, stale_files, write_files
from flows.settings import EXAMPLES_DIR, PROJECT_DIR

DOCS = PROJECT_DIR / "docs"
INTENT_FILES = [EXAMPLES_DIR / "starter" / "intent.yaml", PROJECT_DIR / "flows/demo/intent.yaml"]


def schema(name: str) -> dict[str, Any]:
    return json.loads((DOCS / name).read_text(encoding="utf-8"))


def as_json(value: Any) -> Any:
    """A YAML value as an editor's YAML 1.2 reading gives it: dates are text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    return value


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_committed_file_is_what_the_code_writes(name: str) -> None:
    committed = (PROJECT_DIR / name).read_text(encoding="utf-8")
    assert committed == GENERATED[name](), f"{name} is stale: run python -m flows.docs"


def test_regenerating_writes_every_file_once(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    assert sorted(write_files(tmp_path)) == sorted(GENERATED)
    assert stale_files(tmp_path) == [] and write_files(tmp_path) == []


def test_check_mode_reports_nothing_on_this_checkout(capsys: pytest.CaptureFixture) -> None:
    assert main(["--check"]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("path", INTENT_FILES, ids=lambda p: p.parent.name)
def test_intent_files_name_the_schema_and_follow_it(path: Path) -> None:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first_line.startswith(prefix)
    assert (path.parent / first_line.removeprefix(prefix)).resolve() == DOCS / "intent.schema.json"
    intent = as_json(yaml.safe_load(path.read_text(encoding="utf-8")))
    jsonschema.validate(intent, schema("intent.schema.json"))


def test_the_intent_schema_flags_what_the_loader_refuses() -> None:
    intent = as_json(yaml.safe_load(INTENT_FILES[0].read_text(encoding="utf-8")))
    intent["offers"][0]["colour"] = "blue"
    intent["themes"][0]["kind"] = "adopt"
    validator = jsonschema.Draft202012Validator(schema("intent.schema.json"))
    errors = {tuple(error.absolute_path) for error in validator.iter_errors(intent)}
    assert errors == {("offers", 0), ("themes", 0, "kind")}


def test_the_export_settings_schema_follows_the_demo_and_flags_unknown_keys() -> None:
    from flows.demo.writers import EXPORT_SETTINGS

    settings = yaml.safe_load(EXPORT_SETTINGS)
    validator = jsonschema.Draft202012Validator(schema("export-settings.schema.json"))
    assert list(validator.iter_errors(settings)) == []
    settings["systems"]["erp"] = {"delimiter": ";"}
    settings["defaults"]["decimal"] = ";"
    errors = {tuple(error.absolute_path) for error in validator.iter_errors(settings)}
    assert errors == {("systems",), ("defaults",)}  # defaults: a block or null, neither fits


def test_the_findings_schema_takes_its_lists_from_the_seeds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from flows import shared_lists
    from flows.brief.findings_schema import findings_schema

    seeded = shared_lists.ids

    def with_a_new_class(name: str) -> tuple[str, ...]:
        return seeded(name) + (("surging",) if name == "signal_classes" else ())

    monkeypatch.setattr(shared_lists, "ids", with_a_new_class)
    cases = json.loads(findings_schema())["properties"]["findings"]["items"]["allOf"]
    signal = next(case for case in cases if case["if"]["properties"]["type"]["const"] == "signal")
    assert signal["then"]["properties"]["classification"]["enum"][-1] == "surging"
    assert signal["then"]["properties"]["signal_kind"]["enum"] == list(seeded("signal_kinds"))
