"""What one ingestion did: counts per entity, files not loaded, and the summary to tell.

`EntityStats` is filled by the dlt source while it reads an entity's files;
`IngestReport` gathers them for a run and words its summary (one line per entity,
then the files not loaded, the warnings and the ignored files), each line with the
logging level it deserves.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from flows import settings


@dataclass
class EntityStats:
    """What one run did with the files of one entity."""

    files_read: int = 0
    files_skipped_unchanged: int = 0
    rows_received: int = 0  # of the files whose rows could be counted
    rows_loaded: int = 0
    rows_rejected: int = 0
    # raw rows marked deleted (missing from a snapshot, or listed in a deletes file)
    rows_deleted: int = 0
    files_uncounted: int = 0  # files refused whole or unreadable: their rows are not counted
    # files that miss required columns: (file, missing columns)
    missing_required: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    # files that could not be read at all: (file, reason)
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    # loaded, but worth telling (an empty file, a dropped column, a vanished file)
    warnings: list[str] = field(default_factory=list)


@dataclass
class IngestReport:
    """What one ingestion did, per entity ("shop/orders")."""

    exports_dir: Path
    warehouse: Path
    entities: dict[str, EntityStats] = field(default_factory=dict)
    ignored_files: list[str] = field(default_factory=list)
    # entries refused that are not files of an entity (a linked system folder, a link
    # with another name): (path, reason); nothing of them was read
    refused: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    allow_partial: bool = False  # export-settings.yaml's allow_partial

    @property
    def missing_required(self) -> list[tuple[str, tuple[str, ...]]]:
        """Files not loaded because they miss required columns: (file, columns)."""
        return [m for stats in self.entities.values() for m in stats.missing_required]

    @property
    def unreadable_files(self) -> list[tuple[str, str]]:
        """Files not loaded because they could not be read at all: (file, reason)."""
        return [u for stats in self.entities.values() for u in stats.unreadable]

    @property
    def warnings(self) -> list[str]:
        """Files loaded with something worth telling (empty, a column dropped, gone)."""
        return [w for stats in self.entities.values() for w in stats.warnings]

    @property
    def rows_received(self) -> int:
        return sum(s.rows_received for s in self.entities.values())

    @property
    def rows_loaded(self) -> int:
        return sum(s.rows_loaded for s in self.entities.values())

    @property
    def rows_rejected(self) -> int:
        return sum(s.rows_rejected for s in self.entities.values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        """Counts per entity, for Prefect task results and JSON."""
        return {
            name: {
                "files_read": s.files_read,
                "files_skipped_unchanged": s.files_skipped_unchanged,
                "rows_received": s.rows_received,
                "rows_loaded": s.rows_loaded,
                "rows_rejected": s.rows_rejected,
                "rows_deleted": s.rows_deleted,
                "files_uncounted": s.files_uncounted,
            }
            for name, s in sorted(self.entities.items())
        }

    def summary(self) -> list[str]:
        return [line for _, line in self.summary_levels()]

    def summary_levels(self) -> list[tuple[int, str]]:
        """The summary lines with their logging level (WARNING: rejects, files not
        loaded, warnings, ignored files)."""
        info, warning = logging.INFO, logging.WARNING
        lines = [
            (
                warning if self.rows_rejected else info,
                f"ingested {self.exports_dir} into {self.warehouse} in {self.seconds:.1f} s: "
                f"{self.rows_received} rows received, {self.rows_loaded} loaded, "
                f"{self.rows_rejected} rejected",
            )
        ]
        for name, s in sorted(self.entities.items()):
            uncounted = (
                f" (+ {s.files_uncounted} file(s) refused whole, rows not counted)"
                if s.files_uncounted
                else ""
            )
            lines.append(
                (
                    warning if s.rows_rejected or s.files_uncounted else info,
                    f"  {name}: {s.files_read} file(s) read, {s.files_skipped_unchanged} "
                    f"unchanged, {s.rows_received} rows received, {s.rows_loaded} loaded, "
                    f"{s.rows_rejected} rejected{uncounted}"
                    + (f", {s.rows_deleted} marked deleted" if s.rows_deleted else ""),
                )
            )
        if self.rows_rejected:
            lines.append(
                (
                    warning,
                    "  rejected rows are listed, with file, line, column and reason, in "
                    f"raw_<system>.{settings.REJECTS_TABLE}",
                )
            )
        for file, columns in self.missing_required:
            lines.append(
                (warning, f"  NOT LOADED {file}: missing required column(s) {', '.join(columns)}")
            )
        for file, reason in self.unreadable_files:
            lines.append((warning, f"  NOT LOADED {file}: {reason}"))
        for message in self.warnings:
            lines.append((warning, f"  warning: {message}"))
        for file in self.ignored_files:
            lines.append((warning, f"  ignored {file}: not a canonical export file name"))
        for file, reason in self.refused:
            lines.append((warning, f"  NOT READ {file}: {reason}"))
        return lines
