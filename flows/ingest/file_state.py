"""What earlier loads saw of each export file, so that unchanged files are not read again.

Each entity resource keeps, in its dlt resource state (`files`: label -> fingerprint),
a fingerprint per file: size, modification time and a SHA-256 of the file's bytes
together with the file's effective export settings and PARSER_VERSION. A file whose
size, mtime and settings are unchanged is skipped without being read; otherwise it is
hashed and only read again when the hash differs. dlt commits the state with the
load, so a failed load reads the files again next time, and editing
`export-settings.yaml` reads again the files it affects.

A file recorded by an earlier load and no longer in the folder has "vanished": its
record is dropped (the source then deletes its rejects).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dlt

from flows.ingest.export_settings import FileFormat

# Bump when parsing changes the values it produces, so every file is read again.
PARSER_VERSION = "2"


@dataclass(frozen=True)
class FilePlan:
    """What to do with one file in this run."""

    label: str  # path relative to the export folder
    path: Path
    data: bytes | None  # the file's bytes when it changed; None when unchanged
    fingerprint: dict[str, Any] | None  # to record once the file loaded; None when unchanged

    @property
    def changed(self) -> bool:
        return self.data is not None


def settings_fingerprint(fmt: FileFormat) -> str:
    """The part of a fingerprint that is not the file: parser version and export settings."""
    return f"{PARSER_VERSION}|{fmt.fingerprint()}"


class FileState:
    """The fingerprints of one entity's files, as recorded by earlier loads.

    `files` is the mutable mapping dlt keeps in the resource state: changes made here
    are saved with the load that makes them.
    """

    def __init__(self, files: dict[str, Any]) -> None:
        self.files = files

    @classmethod
    def of_resource(cls, resource_name: str) -> FileState:
        """The state of the dlt resource being extracted (call it while dlt extracts)."""
        return cls(dlt.current.resource_state(resource_name).setdefault("files", {}))

    def forget_vanished(self, labels: Iterable[str]) -> list[str]:
        """Drop, and return in name order, the files recorded earlier but not in `labels`."""
        vanished = sorted(set(self.files) - set(labels))
        for label in vanished:
            del self.files[label]
        return vanished

    def plan(self, labels: Mapping[str, Path], fmt: FileFormat) -> list[FilePlan]:
        """A plan per file (label -> path): its bytes when it changed since the last load.

        A file touched without changing (same hash) gets its new size and mtime
        recorded at once, so the next run skips it without hashing it.
        """
        settings_text = settings_fingerprint(fmt)
        plans: list[FilePlan] = []
        for label, path in labels.items():
            stat = path.stat()
            previous = self.files.get(label) or {}
            if (
                previous.get("size") == stat.st_size
                and previous.get("mtime_ns") == stat.st_mtime_ns
                and previous.get("settings") == settings_text
            ):
                plans.append(FilePlan(label, path, None, None))
                continue
            data = path.read_bytes()
            digest = hashlib.sha256(settings_text.encode() + b"\0" + data).hexdigest()
            fingerprint = {
                "size": stat.st_size,
                "mtime_ns": stat.st_mtime_ns,
                "settings": settings_text,
                "sha256": digest,
            }
            if previous.get("sha256") == digest:
                self.files[label] = fingerprint  # touched, same content
                plans.append(FilePlan(label, path, None, None))
            else:
                plans.append(FilePlan(label, path, data, fingerprint))
        return plans

    def record(self, plan: FilePlan) -> None:
        """Remember a changed file as loaded (not called for a file that failed)."""
        if plan.fingerprint is not None:
            self.files[plan.label] = plan.fingerprint
