"""Where the files of one warehouse live.

Everything Terrain keeps for a warehouse besides the published file sits in one
state folder beside it, named after the file, so two warehouses in one folder
never share a dlt pipeline, a dbt target or a lock:

    <dir>/terrain.duckdb                       the published database (analysts, briefs)
    <dir>/.terrain.duckdb.state/working.duckdb the database runs write
    <dir>/.terrain.duckdb.state/writer.lock    who is writing (one run at a time)
    <dir>/.terrain.duckdb.state/dlt/           dlt pipelines' working folders
    <dir>/.terrain.duckdb.state/dbt/           dbt's target/ and logs/
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flows.settings import WAREHOUSE_DIR
from flows.warehouse.target import is_motherduck, motherduck_database

STATE_SUFFIX = ".state"
WORKING_NAME = "working.duckdb"


@dataclass(frozen=True)
class WarehousePaths:
    """The files of the warehouse published at `published`."""

    published: Path

    @classmethod
    def of(cls, warehouse: Path | str) -> WarehousePaths:
        if is_motherduck(warehouse):
            # nothing is published on this machine: the name only places the state folder
            # (dlt pipelines, dbt target) of a MotherDuck warehouse
            return cls(WAREHOUSE_DIR / f"motherduck-{motherduck_database(warehouse)}")
        return cls(Path(warehouse).expanduser().resolve())

    @classmethod
    def owning(cls, database: Path | str) -> WarehousePaths:
        """The warehouse `database` belongs to: the one whose working copy it is, or the
        warehouse published at `database` (a file the stages are given directly)."""
        if is_motherduck(database):
            return cls.of(database)
        path = Path(database).expanduser().resolve()
        folder = path.parent.name
        if (
            path.name == WORKING_NAME
            and folder.startswith(".")
            and folder.endswith(STATE_SUFFIX)
            and len(folder) > len(STATE_SUFFIX) + 1
        ):
            return cls(path.parent.parent / folder[1 : -len(STATE_SUFFIX)])
        return cls(path)

    @property
    def state_dir(self) -> Path:
        return self.published.parent / f".{self.published.name}{STATE_SUFFIX}"

    @property
    def working(self) -> Path:
        return self.state_dir / WORKING_NAME

    @property
    def lock_file(self) -> Path:
        return self.state_dir / "writer.lock"

    @property
    def dlt_dir(self) -> Path:
        return self.state_dir / "dlt"

    @property
    def dbt_dir(self) -> Path:
        return self.state_dir / "dbt"

    def ensure_state_dir(self) -> Path:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        return self.state_dir
