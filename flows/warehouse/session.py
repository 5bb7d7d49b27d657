"""A run's hold on its warehouse: the writer lock, the working copy, the publication.

    with writing(warehouse, "terrain refresh") as database:
        ingest_exports(exports, database)      # every stage writes the working copy
        run_dbt(database)
    # here the analysts' file was replaced, whole, by the working copy

`writing` takes the writer lock (one run at a time, `flows.warehouse.lock`), finishes
what a killed run left half done (a publication's temporary copy, a brief's renames),
makes sure the working copy exists, and yields it. When the outermost `writing` block
of the process ends without error, the working copy is published (`publish`); blocks
nested in it (a flow calling another flow) only share the lock and the copy. An
error the caller names in `publish_despite` (sources that failed while the others
loaded) still publishes what did load, then goes on up.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flows.outputs import recover_interrupted_writes
from flows.warehouse.lock import writer_lock
from flows.warehouse.paths import WarehousePaths
from flows.warehouse.publish import prepare_working_copy, publish_working_copy
from flows.warehouse.target import is_motherduck

log = logging.getLogger(__name__)

_depth: dict[Path, int] = {}
_depth_guard = threading.Lock()


@contextmanager
def writing(
    warehouse: Path,
    command: str | None = None,
    publish_despite: tuple[type[BaseException], ...] = (),
    wait_seconds: float | None = None,
) -> Iterator[Path]:
    """Hold `warehouse` for writing; yield the working database; publish at the end.

    A MotherDuck warehouse (`md:<database>`) is written in place: it serves readers
    while a run writes, and one run at a time is Prefect's concurrency limit there.
    """
    if is_motherduck(warehouse):
        yield Path(str(warehouse))
        return
    paths = WarehousePaths.of(warehouse)
    with writer_lock(paths.published, wait_seconds=wait_seconds, command=command):
        with _depth_guard:
            outermost = _depth.get(paths.published, 0) == 0
            _depth[paths.published] = _depth.get(paths.published, 0) + 1
        try:
            if outermost:
                for path in recover_interrupted_writes(paths.published.parent):
                    log.warning("finished the publication of %s a killed run left", path)
                prepare_working_copy(paths.published)
            try:
                yield paths.working
            except publish_despite:
                if outermost:
                    publish_working_copy(paths.published)
                raise
            if outermost:
                publish_working_copy(paths.published)
        finally:
            with _depth_guard:
                _depth[paths.published] -= 1
