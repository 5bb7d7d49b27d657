"""Prefect artifacts of a run, for the people who operate it from Prefect's UI.

- `ingest-files` (table): every export file of the raw layer with its rows received,
  loaded and rejected, and why a file was refused whole; published after each ingestion,
  before its health check, so a failed check shows the counts it judged.
- `brief-summary` (markdown): the brief's month, what the data could not support and the
  month at a glance (flows.delivery.summary).
- `brief-pdf` (link): where the PDF was written.

Artifacts keep a version per run under their key. They carry counts, file names, offers
and figures, never row values: a rejected row's content (possibly personal data) stays in
the warehouse's `ingest_rejects`.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact

from flows.health.check import file_rows

FILES_KEY = "ingest-files"
SUMMARY_KEY = "brief-summary"
PDF_KEY = "brief-pdf"


def files_table(warehouse: Path) -> list[dict[str, object]]:
    """The rows of the `ingest-files` artifact, read from the warehouse."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = file_rows(con)
    return [
        {
            "source": f"{row.system}/{row.entity}",
            "file": row.file,
            "rows_received": row.rows_received,
            "rows_loaded": row.rows_loaded,
            "rows_rejected": row.rows_rejected,
            "refused": row.refusal if row.is_refused else "",
        }
        for row in rows
    ]


def publish_files(warehouse: Path) -> list[dict[str, object]]:
    table = files_table(warehouse)
    create_table_artifact(
        table=table,
        key=FILES_KEY,
        description="Rows received, loaded and rejected per export file (rejects: "
        "raw_<system>.ingest_rejects in the warehouse).",
    )
    return table


def publish_brief(summary_markdown: str, pdf: Path, month: str) -> None:
    create_markdown_artifact(
        markdown=summary_markdown, key=SUMMARY_KEY, description=f"The brief of {month}."
    )
    create_link_artifact(
        link=Path(pdf).resolve().as_uri(),
        link_text=Path(pdf).name,
        key=PDF_KEY,
        description=f"The PDF of the brief of {month}.",
    )
