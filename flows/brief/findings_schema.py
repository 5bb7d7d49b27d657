"""The JSON Schema of the findings file (docs/findings.schema.json), its lists from the seeds.

The schema's shape is written by hand, in the file itself. The values a field takes from
a shared list (the languages, gap types, experiment recommendations, decision statuses,
signal kinds and classes of transforms/seeds/) are filled in by `python -m flows.docs`,
so that the published schema follows a row added to a seed; tests/test_docs.py fails
until it is run.
"""

from __future__ import annotations

import json
from typing import Any

from flows import shared_lists
from flows.settings import PROJECT_DIR

SCHEMA_FILE = PROJECT_DIR / "docs" / "findings.schema.json"

# (finding type, None for the top of the file, or "$defs" for the shared definitions; key
# path) -> the seed whose ids it takes (null stays allowed where the schema allows it)
SEEDED_ENUMS: dict[tuple[str | None, tuple[str, ...]], str] = {
    (None, ("company", "properties", "language")): "languages",
    ("$defs", ("state", "properties", "state")): "figure_states",
    ("$defs", ("state", "properties", "no_data_reason")): "no_data_reasons",
    ("gap", ("gap_type",)): "gap_types",
    ("experiment", ("classification",)): "experiment_recommendations",
    ("decision", ("classification",)): "decision_statuses",
    ("signal", ("signal_kind",)): "signal_kinds",
    ("signal", ("classification",)): "signal_classes",
}

LINE_LENGTH = 100


def findings_schema() -> str:
    """The text of docs/findings.schema.json: its shape as written, its lists from the seeds."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    for (finding_type, path), seed in SEEDED_ENUMS.items():
        node = _properties(schema, finding_type)
        for key in path:
            node = node[key]
        nullable = None in node.get("enum", [])
        node["enum"] = [*shared_lists.ids(seed), *([None] if nullable else [])]
    return _compact(schema, 0) + "\n"


def _properties(schema: dict[str, Any], finding_type: str | None) -> dict[str, Any]:
    """The properties of the file, its shared definitions, or the properties of the
    findings of one type."""
    if finding_type is None:
        return schema["properties"]
    if finding_type == "$defs":
        return schema["$defs"]
    for case in schema["properties"]["findings"]["items"]["allOf"]:
        if case["if"]["properties"]["type"] == {"const": finding_type}:
            return case["then"]["properties"]
    raise KeyError(f"findings.schema.json has no case for findings of type {finding_type!r}")


def _compact(value: Any, indent: int, lead: int = 0) -> str:
    """JSON as a person writes it: a value on one line when it fits (after `lead`
    characters already on its line), else one item a line."""
    inline = json.dumps(value, ensure_ascii=False)
    if (
        not isinstance(value, dict | list)
        or not value
        or indent + lead + len(inline) <= LINE_LENGTH
    ):
        return inline
    if isinstance(value, list) and not any(isinstance(item, dict | list) for item in value):
        return _wrapped(value, indent + lead)
    inner = " " * (indent + 2)
    if isinstance(value, list):
        items = [inner + _compact(item, indent + 2) for item in value]
    else:
        items = [
            f"{inner}{json.dumps(key)}: {_compact(item, indent + 2, len(json.dumps(key)) + 2)}"
            for key, item in value.items()
        ]
    opening, closing = ("[", "]") if isinstance(value, list) else ("{", "}")
    return opening + "\n" + ",\n".join(items) + "\n" + " " * indent + closing


def _wrapped(values: list[Any], column: int) -> str:
    """A list of plain values over as many lines as it needs, each continuation line
    aligned under the first value (the list starts at `column`)."""
    lines = ["["]
    for position, value in enumerate(values):
        piece = json.dumps(value, ensure_ascii=False) + (
            "]" if position == len(values) - 1 else ","
        )
        start = column if len(lines) == 1 else 0
        if (
            lines[-1].strip() not in ("", "[")
            and start + len(lines[-1]) + 1 + len(piece) > LINE_LENGTH
        ):
            lines.append(" " * (column + 1) + piece)
        else:
            lines[-1] += ("" if lines[-1].endswith("[") else " ") + piece
    return "\n".join(lines)
