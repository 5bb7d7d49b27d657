"""What earlier loads saw of each export file, so that unchanged files are not read again.

Each entity resource keeps, in its dlt resource state (`files`: label -> fingerprint),
a fingerprint per file: a SHA-256 of the file's bytes together with the file's
effective export settings and PARSER_VERSION, and the file's status when it was
hashed. Change detection is by content: a file is read again when its hash differs.

Hashing means reading the whole file, so a file whose status is exactly the recorded
one is skipped without hashing. The status is not only size and modification time,
which a same-size edit can keep (`touch -d`, a copy that preserves times, an editor
restoring the mtime): it also holds the inode and the status-change time (ctime),
which the kernel sets on every write or `touch` and no user can set back. As git does
for its index, a file whose ctime is too close to the moment it was hashed is hashed
again ("racily clean": a write in the same clock tick would keep every time equal).

dlt commits the state with the load, so a failed load reads the files again next
time, and editing `export-settings.yaml` reads again the files it affects. A file
recorded by an earlier load and no longer in the folder has "vanished": its record is
dropped (the source then deletes its rejects).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dlt

from flows.ingest.boundary import OutsideExportFolderError, read_regular_file
from flows.ingest.export_settings import FileFormat

# Bump when parsing changes the values it produces, so every file is read again.
PARSER_VERSION = "3"

# A file whose status changed less than this before it was hashed is hashed again next
# time: file systems with coarse timestamps (FAT: 2 s) cannot tell two writes apart.
RACY_NANOSECONDS = 2_000_000_000


@dataclass(frozen=True)
class FilePlan:
    """What to do with one file in this run."""

    label: str  # path relative to the export folder
    path: Path
    data: bytes | None  # the file's bytes when it changed; None when unchanged
    fingerprint: dict[str, Any] | None  # to record once the file loaded; None when unchanged
    error: str | None = None  # the file could not be read (refused, or an I/O error)

    @property
    def changed(self) -> bool:
        return self.data is not None


def settings_fingerprint(fmt: FileFormat) -> str:
    """The part of a fingerprint that is not the file: parser version and export settings."""
    return f"{PARSER_VERSION}|{fmt.fingerprint()}"


def _status(stat: os.stat_result) -> dict[str, int]:
    return {
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "ctime_ns": stat.st_ctime_ns,
        "inode": stat.st_ino,
    }


def _unchanged_without_hashing(previous: Mapping[str, Any], status: Mapping[str, int]) -> bool:
    """Whether the recorded hash still holds for a file of this status."""
    if not previous.get("sha256") or "hashed_at_ns" not in previous:
        return False
    if any(previous.get(key) != value for key, value in status.items()):
        return False
    return status["ctime_ns"] < previous["hashed_at_ns"] - RACY_NANOSECONDS


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

        A file touched without changing (same hash) gets its new status recorded at
        once, so the next run skips it without hashing it.
        """
        settings_text = settings_fingerprint(fmt)
        plans: list[FilePlan] = []
        for label, path in labels.items():
            previous = self.files.get(label) or {}
            try:
                status = _status(os.lstat(path))
                if previous.get("settings") == settings_text and _unchanged_without_hashing(
                    previous, status
                ):
                    plans.append(FilePlan(label, path, None, None))
                    continue
                hashed_at = time.time_ns()
                data = read_regular_file(path)
            except OutsideExportFolderError as error:
                plans.append(FilePlan(label, path, None, None, f"{label}: {error}"))
                continue
            except OSError as error:
                plans.append(
                    FilePlan(label, path, None, None, f"{label}: cannot read ({error.strerror})")
                )
                continue
            digest = hashlib.sha256(settings_text.encode() + b"\0" + data).hexdigest()
            fingerprint = {
                **status,
                "hashed_at_ns": hashed_at,
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
