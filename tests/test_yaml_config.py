"""The shared YAML helper: lines and key paths of every problem, found in one run."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidatorFunctionWrapHandler,
    model_validator,
)

from flows.yaml_config import (
    InvalidScalar,
    Problem,
    Wording,
    allowed_keys,
    key_path,
    problem,
    read_document,
    validate,
    with_problems,
)

WORDING = Wording(
    expected_mapping="expected a mapping",
    duplicate_key="duplicate key",
    unknown_key=lambda key, allowed: f"unknown key {key} (allowed: {', '.join(allowed)})",
    missing_key=lambda key: f"missing {key}",
)


def _word(value: Any) -> str:
    if not isinstance(value, str):
        raise problem(f"expected a word, got {value!r}")
    return value


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, BeforeValidator(_word)]
    size: int = 0


class Root(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[Item]
    refs: list[str] = []

    @model_validator(mode="wrap")
    @classmethod
    def _known_refs(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Root:
        ids = {item.get("id") for item in data.get("items", []) if isinstance(item, dict)}
        found = [
            (("refs", index), f"unknown item {ref}")
            for index, ref in enumerate(data.get("refs", []))
            if ref not in ids
        ]
        return with_problems(handler, data, found, cls.__name__)


def test_key_paths_read_like_the_file() -> None:
    assert key_path(("offers", 0, "intent", "channels", 1)) == "offers[0].intent.channels[1]"
    assert key_path(()) == ""


def test_values_keep_their_lines_and_yaml_types() -> None:
    document = read_document("a:\n  - 1\n  - 2025-13-01\nb: {c: x}\n")
    assert document is not None
    assert document.data["a"][0] == 1
    assert document.data["a"][1] == InvalidScalar("2025-13-01", "month must be in 1..12")
    assert document.value_lines[("a", 1)] == 3
    assert document.key_lines[("b", "c")] == 4
    assert read_document("# only a comment\n") is None


def test_text_scalars_are_kept_as_written() -> None:
    document = read_document("decimal: 1.5\nempty:\n", typed_scalars=False)
    assert document is not None and document.data == {"decimal": "1.5", "empty": ""}


def test_every_problem_with_its_line_and_key_path_in_line_order() -> None:
    document = read_document(
        "items:\n"
        "  - id: a\n"
        "    size: big\n"
        "  - {id: 3, colour: red}\n"
        "  - size: 1\n"
        "refs: [a, b]\n"
        "refs: [c]\n"
    )
    assert document is not None
    model, problems = validate(Root, document, WORDING)
    assert model is None
    assert "integer" in problems[0].message  # a type pydantic checks: its own wording
    assert problems == [
        Problem(3, "items[0].size", problems[0].message),
        Problem(4, "items[1].colour", "unknown key colour (allowed: id, size)"),
        Problem(4, "items[1].id", "expected a word, got 3"),
        Problem(5, "items[2]", "missing id"),
        Problem(6, "refs[1]", "unknown item b"),
        Problem(7, "refs", "duplicate key"),
    ]


def test_a_valid_document_gives_the_model() -> None:
    document = read_document("items: [{id: a}]\nrefs: [a]\n")
    assert document is not None
    model, problems = validate(Root, document, WORDING)
    assert problems == [] and model is not None and model.items[0].id == "a"


@pytest.mark.parametrize(
    ("location", "keys"),
    [((), ["items", "refs"]), (("items", 0), ["id", "size"]), (("refs", 0), [])],
)
def test_allowed_keys_follow_the_model(location: tuple, keys: list[str]) -> None:
    assert allowed_keys(Root, location) == keys
