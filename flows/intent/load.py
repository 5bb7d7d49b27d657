"""Read and validate an intent file: `load_intent`.

The checks are the pydantic models of `flows.intent.schema`; this module reads the
file, words every problem with its line and key path
(`line 19: offers[0].intent.channels[1]: 'fax' is not one of: ...`), reports them all
at once in reading order, and builds the `Intent` the rest of Terrain uses
(`flows.intent.model`), with its defaults applied.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import yaml

from flows.intent import schema
from flows.intent.model import Decision, Intent, Offer, Segment, Theme
from flows.yaml_config import Document, Problem, Wording, read_document, validate


class IntentError(ValueError):
    """The intent file is invalid; `problems` lists every error with line and key path."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        listing = "\n".join(f"  - {p}" for p in problems)
        super().__init__(
            f"{path}: {len(problems)} problem(s) in the intent file:\n{listing}\n"
            "Fix them in the file (see examples/starter/intent.yaml) and run again."
        )


_WORDING = Wording(
    expected_mapping="expected a mapping of keys to values",
    duplicate_key="duplicate key",
    unknown_key=lambda _key, allowed: f"unknown key (allowed: {', '.join(allowed)})",
    missing_key=lambda key: f"missing required key '{key}'",
)


def load_intent(path: Path) -> Intent:
    """Read and validate an intent file; raise IntentError listing every problem."""
    path = Path(path)
    document = _read_document(path, _read_text(path))
    spec, problems = validate(schema.IntentFile, document, _WORDING)
    if spec is None:
        raise IntentError(path, [_describe(p) for p in problems])
    return _intent(spec)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise IntentError(path, ["file: the intent file does not exist"]) from None
    except IsADirectoryError:
        raise IntentError(path, ["file: this is a folder; give the path of intent.yaml"]) from None
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise IntentError(
            path, [f"line {line}: not UTF-8 text ({error.reason}); save the file as UTF-8"]
        ) from None
    except OSError as error:
        raise IntentError(path, [f"file: cannot be read ({error.strerror})"]) from None


def _read_document(path: Path, text: str) -> Document:
    try:
        document = read_document(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "file"
        raise IntentError(path, [f"{where}: not valid YAML: {error}"]) from None
    if document is None:
        raise IntentError(path, ["file: the intent file is empty"])
    return document


def _describe(found: Problem) -> str:
    where = f"line {found.line}" if found.line is not None else "file"
    return f"{where}: {found.path or '(top level)'}: {found.message}"


# ------------------------------------------------- the Intent, defaults applied


def _intent(spec: schema.IntentFile) -> Intent:
    segments = _segments(spec.segments)
    company = spec.company
    # customers no rule matches fall in the last segment unless the file says otherwise
    default_segment = company.default_segment or (segments[-1].id if segments else None)
    return Intent(
        company.name,
        company.language,
        company.currency,
        company.timezone or "UTC",
        default_segment or "all",
        segments,
        _themes(spec.themes),
        _offers(spec.offers),
        _decisions(spec.decisions),
    )


def _segments(specs: list[schema.Segment]) -> list[Segment]:
    return [Segment(spec.id, _labels(spec.label), dict(spec.match.given())) for spec in specs]


def _themes(specs: list[schema.Theme]) -> list[Theme]:
    return [
        Theme(
            spec.id,
            spec.kind,
            _labels(spec.label),
            {language: _texts(terms) for language, terms in spec.terms.items()},
        )
        for spec in specs
    ]


def _offers(specs: list[schema.Offer]) -> list[Offer]:
    return [
        Offer(
            spec.id,
            spec.name or spec.id,
            spec.kind or "core",
            _texts(spec.products.skus),
            _texts(spec.products.categories),
            spec.since,
            spec.until,
            _texts(spec.intent.segments),
            _texts(spec.intent.channels),
            _texts(spec.intent.uses),
            _texts(spec.intent.complements),
            dict(spec.intent.targets.given()),
        )
        for spec in specs
    ]


def _decisions(specs: list[schema.Decision]) -> list[Decision]:
    return [
        Decision(
            spec.id,
            spec.date,
            spec.offer,
            spec.theme,
            _labels(spec.summary),
            _texts(spec.watch),
        )
        for spec in specs
    ]


# The schema leaves out the items written empty (`[a, ~]` is `[a]`; a label `fr: ~` is no
# label), which its types cannot say.
def _texts(values: list[str | None]) -> list[str]:
    return cast(list[str], values)


def _labels(labels: dict[str, str | None]) -> dict[str, str]:
    return cast(dict[str, str], labels)
