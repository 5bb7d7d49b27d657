"""Throughput of stg_voice__texts at scale, against a baseline measured in the same run.

    .venv/bin/python -m flows.voice.benchmark --warehouse warehouse/demo/terrain.duckdb \
        --copies 28 [--dbt]

Copies the raw layer of a warehouse (the demo's: about 25,000 free-text values for
20,000 orders) `--copies` times into a scratch DuckDB file, every copy with its own ids,
so that 28 copies hold about 700,000 texts, what a company with a million orders would
export. Then it times, best of `--repeat`:

- baseline: reading every free-text value into Python and writing it back as an Arrow
  table, nothing else (what any Python step over the texts costs);
- voice: `flows.voice.texts.voice_texts`, the body of the dbt model (names read, one
  Redactor built, markup removed and personal data redacted in every text);
- with `--dbt`, once: `dbt run -s stg_voice__texts` on the scratch file, the model as
  the pipeline runs it (dbt start-up and the table write included).

and prints texts per second and the ratio to the baseline. CPU time is printed too:
it is the one-core figure even when other processes share the machine.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow as pa

from flows import settings
from flows.ingest import contract
from flows.voice.texts import raw_source, voice_texts


def copy_raw_layer(source: Path, target: Path, copies: int) -> int:
    """Every raw table of `source`, `copies` times with suffixed keys; returns the texts."""
    # the tables the model reads are copied `copies` times; the others once
    read = {(s, e) for s, e, _ in contract.FREE_TEXT} | {
        (n.system, n.entity) for n in contract.PERSON_NAMES
    }
    keys = {
        (e.system, e.name): e.primary_key for e in contract.ENTITIES if (e.system, e.name) in read
    }
    with duckdb.connect(str(target)) as con:
        con.execute(f"attach '{source}' as source (read_only)")
        for system in settings.SYSTEMS:
            schema = settings.raw_dataset(system)
            con.execute(f"create schema if not exists {schema}")
            tables = con.execute(
                "select table_name from duckdb_tables() "
                "where database_name = 'source' and schema_name = ?",
                [schema],
            ).fetchall()
            for (table,) in tables:
                key = keys.get((system, table), ())
                if not key:
                    con.execute(
                        f"create table {schema}.{table} as select * from source.{schema}.{table}"
                    )
                    continue
                replaced = ", ".join(f"{column} || '-' || copy as {column}" for column in key)
                con.execute(
                    f"create table {schema}.{table} as "
                    f"select * exclude (copy) replace ({replaced}) "
                    f"from source.{schema}.{table}, range({copies}) as copies(copy)"
                )
        con.execute("detach source")
        return sum(
            con.execute(
                f"select count(*) from {settings.raw_dataset(system)}.{entity} "
                f"where nullif(trim({column}), '') is not null"
            ).fetchone()[0]
            for system, entity, column in contract.FREE_TEXT
        )


def read_and_write(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """The baseline: every free-text value through Python and back into Arrow, untouched."""
    values: list[str] = []
    for system, entity, column in contract.FREE_TEXT:
        rows = con.execute(
            f"select cast({column} as varchar) from {settings.raw_dataset(system)}.{entity} "
            f"where nullif(trim({column}), '') is not null"
        ).fetchall()
        values.extend(row[0] for row in rows)
    return pa.table({"text": [value.strip() for value in values]})


def timed(step: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best wall and CPU seconds of `repeat` runs."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        step()
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - started_cpu)
    return wall, cpu


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path, default=Path("warehouse/demo/terrain.duckdb"))
    parser.add_argument("--copies", type=int, default=28)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--dbt", action="store_true", help="also time dbt run of the model")
    args = parser.parse_args(argv)

    scratch = Path(tempfile.mkdtemp(prefix="voice-bench-"))
    try:
        target = scratch / "terrain.duckdb"
        texts = copy_raw_layer(args.warehouse.resolve(), target, args.copies)
        with duckdb.connect(str(target), read_only=True) as con:
            base_wall, base_cpu = timed(lambda: read_and_write(con), args.repeat)
            voice_wall, voice_cpu = timed(lambda: voice_texts(raw_source(con)), args.repeat)
        print(
            f"{texts:,} free-text values ({args.copies} copies of {args.warehouse}); best of {args.repeat}:"
        )
        for name, wall, cpu in (
            ("baseline (read + write)", base_wall, base_cpu),
            ("stg_voice__texts body", voice_wall, voice_cpu),
        ):
            print(
                f"  {name:<24} wall {wall:6.1f} s = {texts / wall:9,.0f} texts/s   "
                f"CPU {cpu:6.1f} s = {texts / cpu:9,.0f} texts/s"
            )
        print(
            f"  ratio to baseline: wall {voice_wall / base_wall:.1f}x, CPU {voice_cpu / base_cpu:.1f}x"
        )
        if args.dbt:
            from flows.transform.dbt import run_dbt

            started = time.perf_counter()
            run_dbt(target, ("run", "--select", "stg_voice__texts"))
            wall = time.perf_counter() - started
            print(f"  dbt run -s stg_voice__texts: {wall:.1f} s = {texts / wall:,.0f} texts/s")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
