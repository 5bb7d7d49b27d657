"""The documentation files written from code, and how to write them again.

    .venv/bin/python -m flows.docs            # rewrite every generated file
    .venv/bin/python -m flows.docs --check    # list the files that differ; exit 1 if any

- docs/intent.schema.json: JSON Schema of the intent file (flows.intent.schema);
- docs/export-settings.schema.json: JSON Schema of export-settings.yaml
  (flows.ingest.export_settings);
- docs/input-contract.md: the canonical export files (flows.ingest.contract_doc);
- docs/vendor-formats.md: the vendor formats (flows.ingest.vendor_doc, from
  flows/ingest/formats/*.yaml);
- docs/findings.schema.json: its shape is written by hand, its lists come from the
  seeds (flows.brief.findings_schema);
- docs/duckdb-sql.md: the SQL of transforms/ only DuckDB understands
  (flows.transform.portability).

tests/test_docs.py fails when a committed file differs from what the code writes, so
a change to the models or to the contract comes with its documentation.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from flows.brief.findings_schema import findings_schema
from flows.ingest.contract_doc import input_contract
from flows.ingest.export_settings import export_settings_schema
from flows.ingest.vendor_doc import vendor_formats_doc
from flows.intent.schema import intent_schema
from flows.settings import PROJECT_DIR
from flows.transform.portability import duckdb_only_sql

GENERATED: dict[str, Callable[[], str]] = {
    "docs/intent.schema.json": intent_schema,
    "docs/export-settings.schema.json": export_settings_schema,
    "docs/input-contract.md": input_contract,
    "docs/vendor-formats.md": vendor_formats_doc,
    "docs/findings.schema.json": findings_schema,
    "docs/duckdb-sql.md": duckdb_only_sql,
}


def stale_files(root: Path = PROJECT_DIR) -> list[str]:
    """The generated files (paths relative to `root`) that differ from what the code writes."""
    stale = []
    for name, render in GENERATED.items():
        path = root / name
        if not path.is_file() or path.read_text(encoding="utf-8") != render():
            stale.append(name)
    return stale


def write_files(root: Path = PROJECT_DIR) -> list[str]:
    """Write every generated file under `root`; returns the ones that changed."""
    changed = stale_files(root)
    for name in changed:
        (root / name).write_text(GENERATED[name](), encoding="utf-8")
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--check"]:
        stale = stale_files()
        for name in stale:
            print(f"{name} differs from the code: run python -m flows.docs")
        return 1 if stale else 0
    if args:
        print("usage: python -m flows.docs [--check]", file=sys.stderr)
        return 2
    for name in write_files():
        print(f"wrote {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
