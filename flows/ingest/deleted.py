"""Rows deleted in the source system: marked deleted in the raw layer, kept for history.

Each export file is a snapshot (every row of its entity; the default) or an increment
(rows added or changed since the previous export), as `export-settings.yaml` says
(`mode`). A raw row carries `_deleted_at`: NULL while the row is in the exports, else
when Terrain saw it disappear (or when the deletes file says it was deleted). Staging
models keep only the rows where it is NULL, so a deleted order leaves every mart.

- Snapshot: when the files of an entity are read again, a key loaded earlier and in
  none of them is marked deleted. A row that comes back in a later snapshot is live
  again. Rows rejected for a bad value still count as present (the row is in the
  export, only unreadable). Deletions are not inferred when a file of the entity could
  not be read, is empty, or has lines that could not be split into values: such a file
  proves nothing about which rows are gone.
- Deletes file (increments, and snapshots too): `<system>/<entity>_deleted.<ext>`
  lists the primary keys of deleted rows, with an optional `deleted_at`. It is read
  whenever it changes and whenever a data file of its entity is read, and wins over the
  data files: a key it lists stays deleted while it lists it.

Marking a row deleted writes the row again, unchanged but for `_deleted_at`, through
the same dlt merge as the data: in the same load, so a crash never leaves a file
recorded as loaded whose deletions were not applied.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from flows.ingest import contract
from flows.ingest.contract import Column, Entity

DELETED_AT = "_deleted_at"
DELETED_AT_TYPE = pa.timestamp("us", tz="UTC")
DELETES_SUFFIX = "_deleted"
DELETED_AT_COLUMN = "deleted_at"


def deletes_entity(entity: Entity) -> Entity:
    """The shape of the deletes file of `entity`: its primary key and `deleted_at`."""
    columns = {c.name: c for c in entity.columns}
    return Entity(
        entity.system,
        f"{entity.name}{DELETES_SUFFIX}",
        entity.primary_key,
        (
            *(Column(name, columns[name].type, required=True) for name in entity.primary_key),
            Column(DELETED_AT_COLUMN, contract.TIMESTAMP),
        ),
    )


def with_live_marker(table: pa.Table) -> pa.Table:
    """`table` with `_deleted_at` NULL: its rows are in the exports (again)."""
    if DELETED_AT in table.column_names:
        return table
    return table.append_column(DELETED_AT, pa.nulls(table.num_rows, DELETED_AT_TYPE))


def _key_text(table: pa.Table, key: tuple[str, ...]) -> pa.Array:
    """One text per row identifying its primary key (composite keys joined)."""
    parts = [pc.cast(table[name], pa.string()) for name in key]
    if len(parts) == 1:
        return parts[0].combine_chunks() if isinstance(parts[0], pa.ChunkedArray) else parts[0]
    return pc.binary_join_element_wise(*parts, "\x1f")


def split_deleted(
    table: pa.Table, key: tuple[str, ...], deleted: pa.Table
) -> tuple[pa.Table, pa.Table]:
    """Rows of `table` whose key a deletes file lists, apart: (kept, deleted with the time
    the deletes file gives). `deleted` has the key columns and `deleted_at`."""
    if deleted.num_rows == 0 or table.num_rows == 0:
        return with_live_marker(table), with_live_marker(table.slice(0, 0))
    listed = _key_text(deleted, key)
    mask = pc.is_in(_key_text(table, key), value_set=listed)
    kept = table.filter(pc.invert(mask))
    removed = table.filter(mask)
    index = pc.index_in(_key_text(removed, key), value_set=listed)
    at = pc.take(deleted[DELETED_AT_COLUMN], index)
    return with_live_marker(kept), removed.append_column(DELETED_AT, at.cast(DELETED_AT_TYPE))


def rows_to_mark(
    warehouse: Path,
    dataset: str,
    entity: Entity,
    at: datetime,
    present: pa.Table | None = None,
    deleted: pa.Table | None = None,
    loaded_now: pa.Table | None = None,
) -> pa.Table | None:
    """The live raw rows of `entity` to write again as deleted, `_deleted_at` set.

    `present`: the keys of a complete snapshot (rows missing from it are deleted at
    `at`); `deleted`: keys and times from deletes files; `loaded_now`: keys loaded by
    this run (those rows are written by the data itself). None when there is nothing
    to mark or the raw table does not exist yet.
    """
    if present is None and (deleted is None or deleted.num_rows == 0):
        return None
    key = entity.primary_key
    with duckdb.connect(str(warehouse)) as con:
        con.execute("set TimeZone = 'UTC'")
        columns = [
            name
            for (name,) in con.execute(
                "select column_name from duckdb_columns() "
                "where schema_name = ? and table_name = ? order by column_index",
                [dataset, entity.name],
            ).fetchall()
        ]
        if not columns:
            return None
        kept = [c for c in columns if c not in ("_dlt_load_id", "_dlt_id", DELETED_AT)]
        live = f"{DELETED_AT} is null" if DELETED_AT in columns else "true"
        select = ", ".join(f'raw."{c}"' for c in kept)
        on = " and ".join(f'raw."{k}" = other."{k}"' for k in key)
        table = f'"{dataset}"."{entity.name}"'
        marked: list[pa.Table] = []
        if present is not None:
            con.register("other", present)
            marked.append(
                con.sql(
                    f"select {select}, $at::timestamptz as {DELETED_AT} from {table} as raw "
                    f"anti join other on {on} where {live}",
                    params={"at": at},
                ).to_arrow_table()
            )
            con.unregister("other")
        if deleted is not None and deleted.num_rows:
            listed = deleted.set_column(
                deleted.schema.get_field_index(DELETED_AT_COLUMN),
                DELETED_AT_COLUMN,
                pc.fill_null(deleted[DELETED_AT_COLUMN], pa.scalar(at, DELETED_AT_TYPE)),
            )
            con.register("other", listed)
            marked.append(
                con.sql(
                    f"select {select}, other.{DELETED_AT_COLUMN}::timestamptz as {DELETED_AT} "
                    f"from {table} as raw inner join other on {on} where {live}",
                ).to_arrow_table()
            )
            con.unregister("other")
    rows = pa.concat_tables(marked, promote_options="default") if marked else None
    if rows is None or rows.num_rows == 0:
        return None
    if loaded_now is not None and loaded_now.num_rows:
        rows = rows.filter(
            pc.invert(pc.is_in(_key_text(rows, key), value_set=_key_text(loaded_now, key)))
        )
    # one row per key: a key both missing from the snapshot and listed as deleted
    # keeps the deletes file's time
    return _last_per_key(rows, key) if rows.num_rows else None


def _last_per_key(rows: pa.Table, key: tuple[str, ...]) -> pa.Table:
    keys = _key_text(rows, key).to_pylist()
    last = {k: i for i, k in enumerate(keys)}
    if len(last) == rows.num_rows:
        return rows
    return rows.take(pa.array(sorted(last.values()), pa.int64()))
