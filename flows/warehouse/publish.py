"""The working database and its atomic publication to analysts.

Runs write `working.duckdb` in the warehouse's state folder; the published file is
only ever replaced whole, by a rename of a complete copy. On Linux a rename leaves
every open file untouched: an analyst holding a connection on the published file
keeps reading the version it opened (no error, no partial data), and the next
connection opens the new one. DuckDB lets one process hold a file for writing and
others only when nobody writes, so runs never open the published file at all.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import duckdb

from flows import faults
from flows.outputs import fsync_directory, temporary_path
from flows.warehouse.paths import WarehousePaths

log = logging.getLogger(__name__)


class PublishError(RuntimeError):
    """The working database could not be published."""


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def prepare_working_copy(warehouse: Path) -> Path:
    """The working database runs of `warehouse` write, created from the published file
    when there is none yet (a warehouse built before working copies existed, or a state
    folder deleted by hand). Call with the writer lock held."""
    paths = WarehousePaths.of(warehouse)
    paths.ensure_state_dir()
    if paths.working.exists() or not paths.published.exists():
        return paths.working
    if _wal(paths.published).exists():
        # a published file written in place by an older version: fold its log in first
        with duckdb.connect(str(paths.published)) as con:
            con.execute("checkpoint")
    temporary = paths.working.with_name(paths.working.name + ".tmp")
    shutil.copyfile(paths.published, temporary)
    os.replace(temporary, paths.working)
    log.info("working copy of %s created from the published file", paths.published)
    return paths.working


def _copy_durably(source: Path, target: Path, chunk: int = 16 << 20) -> None:
    """Copy `source` to `target` and flush it to disk."""
    size = source.stat().st_size
    copied = 0
    with open(source, "rb") as reader, open(target, "wb") as writer:
        while block := reader.read(chunk):
            writer.write(block)
            copied += len(block)
            if copied >= size // 2 > copied - len(block):
                faults.reached("publish.copying")
        writer.flush()
        os.fsync(writer.fileno())


def publish_working_copy(warehouse: Path) -> Path:
    """Replace the published file by a complete copy of the working database.

    Call with the writer lock held, after a successful run. Returns the published path.
    """
    paths = WarehousePaths.of(warehouse)
    if not paths.working.exists():
        raise PublishError(f"no working database at {paths.working}: nothing to publish")
    try:
        with duckdb.connect(str(paths.working)) as con:
            con.execute("checkpoint")
    except duckdb.Error as error:
        raise PublishError(
            f"cannot checkpoint the working database {paths.working} ({error}); "
            "is another program writing it?"
        ) from error
    if _wal(paths.working).exists():
        raise PublishError(f"{paths.working} still has a write-ahead log after a checkpoint")
    paths.published.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_path(paths.published)
    try:
        _copy_durably(paths.working, temporary)
        faults.reached("publish.copied")
        # a log beside the old file would be replayed onto the new one
        _wal(paths.published).unlink(missing_ok=True)
        os.replace(temporary, paths.published)
        faults.reached("publish.renamed")
    finally:
        temporary.unlink(missing_ok=True)
    fsync_directory(paths.published.parent)
    log.info("published %s", paths.published)
    return paths.published
