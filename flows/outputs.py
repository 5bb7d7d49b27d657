"""Files Terrain publishes (briefs, their JSON), written so readers never see half of one.

Each file is first written whole to a temporary file in its own folder (same file
system, so the rename is atomic) and flushed to disk; only then are they renamed into
place, in the order given: the brief's PDF first and its JSON last, so a reader that
finds a new JSON finds the PDF it describes. A crash, a kill or a full disk before the
renames leaves the previous files as they were (and the temporaries are removed by
the next run).

Two renames cannot happen at once, so before renaming, the writer records the pairs
(temporary -> final name) in a journal beside them. A run killed between the two
renames leaves a new PDF beside the old JSON and that journal; the next Terrain
command that writes to the folder (or `recover_interrupted_writes`) finishes the
renames before anything else, so the pair is whole again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from flows import faults

TEMPORARY_SUFFIX = ".partial"
JOURNAL_SUFFIX = ".commit"


def fsync_directory(folder: Path) -> None:
    """Make the renames in `folder` durable (no-op where directories cannot be opened)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def temporary_path(target: Path) -> Path:
    """The temporary file `target` is written to before its rename (hidden, same folder)."""
    return target.with_name(f".{target.name}.{os.getpid()}{TEMPORARY_SUFFIX}")


def _journal_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}{JOURNAL_SUFFIX}")


def _write_durably(path: Path, content: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def write_files_atomically(files: Sequence[tuple[Path, bytes]]) -> list[Path]:
    """Write every (path, content), then rename them into place in the given order."""
    if not files:
        return []
    for folder in {target.parent for target, _ in files}:
        folder.mkdir(parents=True, exist_ok=True)
        recover_interrupted_writes(folder)
    written: list[tuple[Path, Path]] = []
    journal = _journal_path(files[0][0])
    journal_temporary = temporary_path(journal)
    try:
        for target, content in files:
            temporary = temporary_path(target)
            written.append((temporary, target))
            _write_durably(temporary, content)
        faults.reached("outputs.temporaries-written")
        # the journal appears whole (rename) or not at all: without it, the temporaries
        # are simply removed by the next run and the old files stay
        _write_durably(
            journal_temporary,
            json.dumps([[str(t), str(target)] for t, target in written]).encode("utf-8"),
        )
        os.replace(journal_temporary, journal)
        fsync_directory(journal.parent)
        for index, (temporary, target) in enumerate(written):
            os.replace(temporary, target)
            if index == 0:
                faults.reached("outputs.first-renamed")
        for folder in {target.parent for _, target in written}:
            fsync_directory(folder)
        faults.reached("outputs.renamed")
        journal.unlink(missing_ok=True)
    finally:
        journal_temporary.unlink(missing_ok=True)
        if not journal.exists():
            for temporary, _ in written:
                temporary.unlink(missing_ok=True)
    return [target for _, target in written]


def recover_interrupted_writes(folder: Path) -> list[Path]:
    """Finish the renames a killed writer left half done in `folder`, then remove the
    temporary files of writers that are gone. Returns the files put in place."""
    finished: list[Path] = []
    if not folder.is_dir():
        return finished
    for journal in sorted(folder.glob(f".*{JOURNAL_SUFFIX}")):
        if _owner_alive(journal, JOURNAL_SUFFIX):
            continue
        try:
            pairs = json.loads(journal.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pairs = []
        for temporary_text, target_text in pairs:
            temporary, target = Path(temporary_text), Path(target_text)
            if temporary.exists():
                os.replace(temporary, target)
                finished.append(target)
        fsync_directory(folder)
        journal.unlink(missing_ok=True)
    remove_stale_temporaries(folder)
    return finished


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Temporary files a killed writer left in `folder` (not of a live process), removed."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for path in folder.glob(f".*{TEMPORARY_SUFFIX}"):
        if _owner_alive(path, TEMPORARY_SUFFIX):
            continue
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _owner_alive(path: Path, suffix: str) -> bool:
    """Whether the process that named `path` (…<pid><suffix>) still runs."""
    pid_text = path.name.removesuffix(suffix).rsplit(".", 1)[-1]
    return pid_text.isdigit() and process_alive(int(pid_text))


def process_alive(pid: object) -> bool:
    """Whether a process with this id runs on this machine."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
