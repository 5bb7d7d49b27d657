"""One writer at a time per warehouse.

A run takes an exclusive `flock` on `<state>/writer.lock` for as long as it writes.
The kernel releases it when the process ends, however it ends, so a lock left by a
killed run is never stuck: the next run finds the file unlocked, says it cleared a
stale lock (the file still names the dead run), and takes it. A second run that finds
the lock held waits up to `wait_seconds`, then is refused with who holds it.

The lock is re-entrant within one process: a flow that holds it can call another
flow that asks for it again (refresh -> ingest, transform).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from flows.outputs import process_alive
from flows.warehouse.paths import WarehousePaths

log = logging.getLogger(__name__)

# How long a second run waits for the first by default (TERRAIN_LOCK_WAIT_SECONDS).
DEFAULT_WAIT_SECONDS = 300.0
POLL_SECONDS = 0.5


class WarehouseLockedError(RuntimeError):
    """Another Terrain run is writing this warehouse and did not finish in time."""


@dataclass
class _Held:
    handle: IO[str]
    depth: int


_held: dict[Path, _Held] = {}
_held_guard = threading.Lock()


def default_wait_seconds() -> float:
    value = os.environ.get("TERRAIN_LOCK_WAIT_SECONDS")
    if not value:
        return DEFAULT_WAIT_SECONDS
    try:
        return max(0.0, float(value))
    except ValueError:
        raise WarehouseLockedError(
            f"TERRAIN_LOCK_WAIT_SECONDS={value!r} is not a number of seconds"
        ) from None


def _holder_text(info: dict[str, Any]) -> str:
    if not info:
        return "another Terrain run"
    return (
        f"another Terrain run (pid {info.get('pid', '?')} on {info.get('host', '?')}, "
        f"started at {info.get('started_at', '?')}: {info.get('command', '?')})"
    )


def _read_holder(handle: IO[str]) -> dict[str, Any]:
    handle.seek(0)
    try:
        info = json.loads(handle.read() or "{}")
    except json.JSONDecodeError:
        return {}
    return info if isinstance(info, dict) else {}


def holder(warehouse: Path) -> dict[str, Any] | None:
    """Who holds the writer lock of `warehouse` now (None when nobody does)."""
    lock_file = WarehousePaths.of(warehouse).lock_file
    if not lock_file.exists():
        return None
    with open(lock_file, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_holder(handle) or {"pid": None}
        fcntl.flock(handle, fcntl.LOCK_UN)
    return None


@contextmanager
def writer_lock(
    warehouse: Path, wait_seconds: float | None = None, command: str | None = None
) -> Iterator[None]:
    """Hold the writer lock of `warehouse` for the duration of the block."""
    paths = WarehousePaths.of(warehouse)
    key = paths.lock_file
    with _held_guard:
        held = _held.get(key)
        if held is not None:
            held.depth += 1
    if held is not None:
        try:
            yield
        finally:
            with _held_guard:
                held.depth -= 1
        return

    paths.ensure_state_dir()
    wait = default_wait_seconds() if wait_seconds is None else wait_seconds
    handle = open(key, "a+", encoding="utf-8")  # noqa: SIM115 - held until released
    try:
        _acquire(handle, paths.published, wait)
        previous = _read_holder(handle)
        if (
            previous
            and previous.get("pid") != os.getpid()
            and not process_alive(previous.get("pid"))
        ):
            log.warning(
                "cleared a stale writer lock on %s left by %s",
                paths.published,
                _holder_text(previous),
            )
        handle.seek(0)
        handle.truncate()
        handle.write(
            json.dumps(
                {
                    "pid": os.getpid(),
                    "host": socket.gethostname(),
                    "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "command": command or " ".join(os.path.basename(a) for a in sys.argv[:2]),
                }
            )
        )
        handle.flush()
        with _held_guard:
            _held[key] = _Held(handle, 1)
        try:
            yield
        finally:
            with _held_guard:
                del _held[key]
            # leave the description of the last holder: a killed run's shows as stale
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


def _acquire(handle: IO[str], warehouse: Path, wait: float) -> None:
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            info = _read_holder(handle)
            if time.monotonic() >= deadline:
                raise WarehouseLockedError(
                    f"{_holder_text(info)} is writing {warehouse}; waited {wait:g} s. "
                    "Run again when it has finished (or raise TERRAIN_LOCK_WAIT_SECONDS)."
                ) from None
            if not told:
                log.warning(
                    "%s is writing %s: waiting up to %g s", _holder_text(info), warehouse, wait
                )
                told = True
            time.sleep(POLL_SECONDS)
