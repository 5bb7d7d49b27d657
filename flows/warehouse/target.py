"""Where the warehouse lives, by configuration: a local DuckDB file, or MotherDuck.

The warehouse setting (`--warehouse`, TERRAIN_WAREHOUSE) chooses:

- a path (`warehouse/terrain.duckdb`, the default): a DuckDB file on this machine.
  dlt loads it with its DuckDB destination (`flows.warehouse.destination`), dbt builds
  it with the `local` target of transforms/profiles.yml, runs write a working copy
  and publish it for analysts (`flows.warehouse.session`), one at a time (a file
  lock).
- `md:<database>` (`md:terrain`): a MotherDuck database. dlt loads it with its
  `motherduck` destination, dbt builds it with the `motherduck` target, and the brief
  and analysts read it there. The token comes from MOTHERDUCK_TOKEN (dlt also reads
  `password` under [destination.motherduck.credentials] in .dlt/secrets.toml); it is
  never written in a file of the project. MotherDuck serves readers while a run
  writes, so there is no working copy and no publication; one writer at a time is
  the Prefect work queue's concurrency limit (README, "Growing past one machine").

The same flows run either way; nothing else changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

MOTHERDUCK_PREFIX = "md:"
LOCAL_TARGET, MOTHERDUCK_TARGET = "local", "motherduck"


def is_motherduck(warehouse: str | Path) -> bool:
    """Whether the warehouse setting names a MotherDuck database (`md:<database>`)."""
    return str(warehouse).startswith(MOTHERDUCK_PREFIX)


def warehouse_location(value: str | Path) -> Path:
    """The warehouse setting as the stages take it: an absolute path for a local file,
    `md:<database>` unchanged (a Path whose text is the URI) for MotherDuck."""
    if is_motherduck(value):
        return Path(str(value))
    return Path(value).expanduser().resolve()


def motherduck_database(warehouse: str | Path) -> str:
    """`terrain` for `md:terrain` (query parameters left out)."""
    return str(warehouse)[len(MOTHERDUCK_PREFIX) :].split("?", 1)[0]


def dbt_target(warehouse: str | Path) -> str:
    """The output of transforms/profiles.yml that builds `warehouse`."""
    return MOTHERDUCK_TARGET if is_motherduck(warehouse) else LOCAL_TARGET


def dlt_destination(warehouse: str | Path) -> Any:
    """The dlt destination that loads `warehouse` (a DuckDB file or `md:<database>`)."""
    if is_motherduck(warehouse):
        import dlt

        # the token comes from dlt's own configuration (MOTHERDUCK_TOKEN, or
        # .dlt/secrets.toml), never from Terrain's code or logs
        return dlt.destinations.motherduck(str(warehouse), destination_name="motherduck")
    from flows.warehouse.destination import duckdb_destination

    return duckdb_destination(str(warehouse), destination_name="duckdb")
