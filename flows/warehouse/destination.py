"""The dlt destination the raw layer is loaded into.

dlt 1.31's DuckDB loader writes the path of each load file into its SQL as a bare
literal (`read_parquet('<path>')`), so an apostrophe anywhere in the folder holding
the pipeline's working files (`/home/me/l'entrepôt/...`, common in French folder
names) ends the literal early and every load fails with a parser error. The
destination below is dlt's own DuckDB destination with that one statement quoted.
"""

from __future__ import annotations

import dlt
from dlt.common.destination.client import LoadJob
from dlt.common.schema.typing import TTableSchema
from dlt.destinations.impl.duckdb.duck import DuckDbClient, DuckDbCopyJob


def sql_string(text: str) -> str:
    """`text` as a SQL string literal (quotes doubled), for DuckDB statements that take no
    parameters (ATTACH, table functions in generated SQL)."""
    return "'" + text.replace("'", "''") + "'"


class _QuotedParquetCopyJob(DuckDbCopyJob):
    """DuckDbCopyJob for parquet files, with the file path quoted as a SQL string."""

    def run(self) -> None:
        self._sql_client = self._job_client.sql_client
        table = self._sql_client.make_qualified_table_name(self.load_table_name)
        self._sql_client.execute_sql(
            f"INSERT INTO {table} BY NAME SELECT * FROM "
            f"read_parquet({sql_string(self._file_path)}, union_by_name=true)"
        )


class _DuckDbClient(DuckDbClient):
    def create_load_job(
        self, table: TTableSchema, file_path: str, load_id: str, restore: bool = False
    ) -> LoadJob:
        job = super().create_load_job(table, file_path, load_id, restore)  # type: ignore[arg-type]
        if type(job) is DuckDbCopyJob and file_path.endswith(".parquet"):
            return _QuotedParquetCopyJob(file_path)
        return job


class duckdb_destination(dlt.destinations.duckdb):  # noqa: N801 - named like dlt's factories
    """dlt's DuckDB destination, loading parquet files from any path."""

    @property
    def client_class(self) -> type[DuckDbClient]:
        return _DuckDbClient
