"""Configuration files users write in YAML, checked by pydantic models, every problem at once.

Two files are written by hand: the intent file and an export folder's
`export-settings.yaml`. Both are read the same way:

1. `read_document` composes the YAML (yaml's compose API, not `safe_load`), so that it
   knows the line of every key and value, and turns the node tree into plain Python
   values. A duplicate key, which `safe_load` would silently overwrite, becomes a
   problem; the first value is kept.
2. `validate` runs the file's pydantic model over those values and turns each entry of
   the `ValidationError` into a `Problem` with its line and key path
   (`offers[0].intent.channels[1]`), so one run reports every problem of the file.

A model's validators raise `problem(message)` to word their message. A model validator
that finds problems elsewhere in the file (a dangling reference, a duplicate id)
reports each at its own key path with `with_problems`.
"""

from __future__ import annotations

import json
import types
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError, ValidatorFunctionWrapHandler
from pydantic.json_schema import GenerateJsonSchema
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError

# A key path as pydantic gives it: keys and list positions, ("offers", 0, "intent").
Location = tuple[str | int, ...]

M = TypeVar("M", bound=BaseModel)

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class Problem:
    """One problem of a file: where (line, key path) and what, in plain words."""

    line: int | None  # 1-based; None for the whole file
    path: str  # "offers[0].intent.channels[1]"; "" for the top level
    message: str


@dataclass(frozen=True)
class Wording:
    """How one file words the problems pydantic finds by itself."""

    expected_mapping: str
    duplicate_key: str
    unknown_key: Callable[[str, Sequence[str]], str]  # (key, allowed keys) -> message
    missing_key: Callable[[str], str]  # key -> message


@dataclass(frozen=True)
class InvalidScalar:
    """A value YAML cannot construct, such as the date 2025-13-01; validators report it."""

    text: str
    error: str


@dataclass
class Document:
    """A YAML file as plain values, with the line (1-based) of every key and value."""

    data: Any
    key_lines: dict[Location, int] = field(default_factory=dict)
    value_lines: dict[Location, int] = field(default_factory=dict)
    duplicate_keys: list[tuple[Location, int]] = field(default_factory=list)  # (key, line)

    def line_of_value(self, location: Location) -> int | None:
        """The line where the value at `location` starts (or its closest enclosing value)."""
        for end in range(len(location), -1, -1):
            line = self.value_lines.get(location[:end])
            if line is not None:
                return line
        return None

    def line_of_key(self, location: Location) -> int | None:
        return self.key_lines.get(location) or self.line_of_value(location)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def problem(message: str) -> PydanticCustomError:
    """The error a validator raises: `message` is what the user reads."""
    return PydanticCustomError("config", "{message}", {"message": message})


def key_path(location: Iterable[str | int]) -> str:
    """("offers", 0, "intent") -> "offers[0].intent"."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


# ------------------------------------------------------------------------ reading


def read_document(text: str, typed_scalars: bool = True) -> Document | None:
    """The YAML `text` as plain values with their lines; None when it holds no document.

    `typed_scalars`: scalars become what `yaml.safe_load` makes of them (numbers, dates,
    booleans, None), or an `InvalidScalar` when that fails; otherwise every scalar is
    kept as the text written (`export-settings.yaml` reads `1.5` as the text "1.5").
    Raises yaml.YAMLError when `text` is not YAML.
    """
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is None:
        return None
    document = Document(data=None)
    # a loader only to turn scalar nodes into values exactly as yaml.safe_load would; one
    # per document, as it keeps every node it constructed
    constructor = yaml.SafeLoader("") if typed_scalars else None
    document.data = _value(root, (), document, constructor, set())
    return document


def _value(
    node: yaml.Node,
    location: Location,
    document: Document,
    constructor: yaml.SafeLoader | None,
    active: set[int],
) -> Any:
    document.value_lines[location] = _line(node)
    if isinstance(node, yaml.ScalarNode):
        if constructor is None:
            return node.value
        try:
            return constructor.construct_object(node)
        except ValueError as error:  # e.g. 2025-13-01 looks like a date but is not one
            return InvalidScalar(node.value, str(error))
        except yaml.constructor.ConstructorError as error:  # e.g. an unknown tag, !foo
            return InvalidScalar(node.value, str(error.problem))
    if id(node) in active:  # an alias inside itself (&a [*a]): no value, and not a scalar
        return []
    active = active | {id(node)}
    if isinstance(node, yaml.SequenceNode):
        return [
            _value(item, (*location, index), document, constructor, active)
            for index, item in enumerate(node.value)
        ]
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key in mapping:
            document.duplicate_keys.append(((*location, key), _line(key_node)))
            continue
        document.key_lines[(*location, key)] = _line(key_node)
        mapping[key] = _value(value_node, (*location, key), document, constructor, active)
    return mapping


# --------------------------------------------------------------------- validating


def validate(
    model: type[M], document: Document, wording: Wording
) -> tuple[M | None, list[Problem]]:
    """Validate the document with `model`: the model, or None and every problem found.

    Problems are in the order of their lines (the whole file's first). On one line,
    unknown and duplicate keys come first, then missing keys, then the values.
    """
    found = [
        ((line, 0), Problem(line, key_path(location), wording.duplicate_key))
        for location, line in document.duplicate_keys
    ]
    try:
        result: M | None = model.model_validate(document.data)
    except ValidationError as error:
        result = None
        found += [_problem(entry, model, document, wording) for entry in error.errors()]
    if found:
        return None, [p for _, p in sorted(found, key=lambda item: item[0])]
    return result, []


def _problem(
    entry: ErrorDetails, model: type[BaseModel], document: Document, wording: Wording
) -> tuple[tuple[int, int], Problem]:
    """A pydantic error entry as a problem, and its sort key (line, keys first)."""
    location: Location = tuple(entry["loc"])
    kind = entry["type"]
    if kind == "missing":
        # reported on the mapping that lacks the key
        location, message = location[:-1], wording.missing_key(str(location[-1]))
        line = document.line_of_value(location)
    elif kind == "extra_forbidden":
        # reported on the unknown key itself, with the keys allowed in its place
        allowed = allowed_keys(model, location[:-1])
        message = wording.unknown_key(str(location[-1]), allowed)
        line = document.line_of_key(location)
    else:
        expects_mapping = kind in ("model_type", "model_attributes_type", "dict_type")
        message = wording.expected_mapping if expects_mapping else entry["msg"]
        line = document.line_of_value(location)
    rank = {"extra_forbidden": 0, "missing": 1}.get(kind, 2)
    return (line or 0, rank), Problem(line, key_path(location), message)


def with_problems(
    handler: ValidatorFunctionWrapHandler,
    data: Any,
    found: Sequence[tuple[Location, str]],
    title: str,
) -> Any:
    """For a model validator (mode "wrap"): validate `data` with `handler`, and report the
    problems `found` in `data` as well, each at its own location (not the model's), together
    with the problems `handler` finds. The model when there are none."""
    extra = [
        InitErrorDetails(type=problem(message), loc=location, input=None)
        for location, message in found
    ]
    try:
        model = handler(data)
    except ValidationError as error:
        if not extra:
            raise
        raise ValidationError.from_exception_data(
            title, [_as_init_error(entry) for entry in error.errors()] + extra
        ) from None
    if extra:
        raise ValidationError.from_exception_data(title, extra)
    return model


def _as_init_error(entry: ErrorDetails) -> InitErrorDetails:
    """An entry of a caught ValidationError, so that it can be raised again with others."""
    context = {**entry.get("ctx", {}), "message": entry["msg"]}
    return InitErrorDetails(
        type=PydanticCustomError(entry["type"], "{message}", context),
        loc=tuple(entry["loc"]),
        input=entry["input"],
    )


def allowed_keys(model: type[BaseModel], location: Location) -> list[str]:
    """The keys the mapping at `location` may have (the fields of its model, in order)."""
    annotation: Any = model
    for part in location:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            fields = {info.alias or name: info for name, info in annotation.model_fields.items()}
            annotation = fields[str(part)].annotation if str(part) in fields else None
        elif get_origin(annotation) is list and isinstance(part, int):
            annotation = get_args(annotation)[0]
        elif get_origin(annotation) is dict:
            annotation = get_args(annotation)[1]
        else:
            return []
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [info.alias or name for name, info in annotation.model_fields.items()]
    return []


def _unwrap(annotation: Any) -> Any:
    """X from Annotated[X, ...] and from X | None."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            others = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(others) != 1:
                return annotation
            annotation = others[0]
        else:
            return annotation


# -------------------------------------------------------------------- JSON Schema


class _WithoutTitles(GenerateJsonSchema):
    """Pydantic titles every field after its name ("Default Segment"): noise in editors."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def json_schema(model: type[BaseModel], title: str) -> str:
    """The JSON Schema of `model` as the text of a `.schema.json` file, for editors."""
    schema = _without_empty_defaults(model.model_json_schema(schema_generator=_WithoutTitles))
    schema = {"$schema": JSON_SCHEMA_DIALECT, **schema, "title": title}
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _without_empty_defaults(schema: Any) -> Any:
    """Defaults that are no value to write (null, an empty list, a whole mapping) only
    clutter editors."""
    if isinstance(schema, list):
        return [_without_empty_defaults(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return {
        key: _without_empty_defaults(value)
        for key, value in schema.items()
        if not (key == "default" and (value is None or value == [] or isinstance(value, dict)))
    }
