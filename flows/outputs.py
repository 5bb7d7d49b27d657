"""Files Terrain publishes (briefs, their JSON), written so readers never see half of one.

Each file is first written whole to a temporary file in its own folder (same file
system, so the rename is atomic) and flushed to disk; only then are they renamed into
place, in the order given: the brief's PDF first and its JSON last, so a reader that
finds a new JSON finds the PDF it describes. A crash, a kill or a full disk before the
renames leaves the previous files as they were, and no temporary file behind.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

TEMPORARY_SUFFIX = ".partial"


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


def write_files_atomically(files: Sequence[tuple[Path, bytes]]) -> list[Path]:
    """Write every (path, content), then rename them into place in the given order."""
    written: list[tuple[Path, Path]] = []
    try:
        for target, content in files:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = temporary_path(target)
            written.append((temporary, target))
            with open(temporary, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        for temporary, target in written:
            os.replace(temporary, target)
    finally:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
    for folder in {target.parent for _, target in written}:
        fsync_directory(folder)
    return [target for _, target in written]


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Temporary files a killed writer left in `folder` (not of a live process), removed."""
    removed = []
    if not folder.is_dir():
        return removed
    for path in folder.glob(f".*{TEMPORARY_SUFFIX}"):
        pid_text = path.name.removesuffix(TEMPORARY_SUFFIX).rsplit(".", 1)[-1]
        if pid_text.isdigit() and process_alive(int(pid_text)):
            continue
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


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
