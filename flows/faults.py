"""Named points where the crash-matrix tests kill a run, as a crash would.

`reached("publish.copied")` does nothing unless the environment variable
TERRAIN_KILL_AT names that point (several points: comma-separated): then the run
sends SIGKILL to its whole process group at once, exactly as an out-of-memory kill
or a power cut would stop it (no clean-up, no `finally`, no flush). Only the tests
set TERRAIN_KILL_AT (tests/crash/); `terrain doctor` warns when it is set.

The points are listed in POINTS so the tests can go through all of them.
"""

from __future__ import annotations

import os
import signal

ENVIRONMENT_VARIABLE = "TERRAIN_KILL_AT"

POINTS = {
    "ingest.extracted": "dlt extracted a system's files, before they are normalized and loaded",
    "ingest.loaded": "dlt loaded a system, before the next one",
    "ingest.done": "every system loaded, before the empty contract tables are created",
    "transform.intent-written": "intent tables written, before dbt starts",
    "transform.built": "dbt build finished, before the run publishes",
    "publish.copying": "half of the working database copied to the temporary file",
    "publish.copied": "temporary copy complete and flushed, before the rename",
    "publish.renamed": "published file replaced, before the folder is flushed",
    "brief.rendered": "PDF and JSON rendered in memory, before any file is written",
    "outputs.temporaries-written": "every temporary file written, before the renames",
    "outputs.first-renamed": "the PDF renamed into place, before the JSON",
    "outputs.renamed": "every file renamed, before the journal is removed",
}


def reached(point: str) -> None:
    """Kill this run's process group here when TERRAIN_KILL_AT names `point`."""
    wanted = os.environ.get(ENVIRONMENT_VARIABLE)
    if not wanted or point not in {name.strip() for name in wanted.split(",")}:
        return
    os.killpg(os.getpgid(0), signal.SIGKILL)
