"""The warehouse file: where a run writes, who may write, and what analysts open.

A warehouse is named by the path users give (`--warehouse`, `TERRAIN_WAREHOUSE`):
that file is the *published* database analysts and the brief open. Runs never write
it in place. They write a *working* database kept in the warehouse's state folder
(`flows.warehouse.paths`), one writer at a time (`flows.warehouse.lock`), and after
each successful run copy it over the published file atomically
(`flows.warehouse.publish`): a reader holding a connection keeps the version it
opened, a new connection sees the new one, never a mix of the two.
"""

from flows.warehouse.lock import WarehouseLockedError, writer_lock
from flows.warehouse.paths import WarehousePaths
from flows.warehouse.publish import prepare_working_copy, publish_working_copy

__all__ = [
    "WarehouseLockedError",
    "WarehousePaths",
    "prepare_working_copy",
    "publish_working_copy",
    "writer_lock",
]
