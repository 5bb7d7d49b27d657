"""Operating Terrain as an operator would: real `terrain` processes on a small company.

The company is a small shop (tests/fixtures/own_data.py) with a small CRM, and the
starter intent file, laid out as `<root>/exports`, `<root>/intent.yaml`,
`<root>/warehouse/terrain.duckdb`, `<root>/briefs`. `baseline` is that company after a
first `terrain run` (session-wide: tests copy it); `reference` is a copy of it after
the exports changed (`change_exports`) and an uninterrupted run: what every
interrupted run must end up producing.

`terrain(...)` runs the real command line in its own process group, as a scheduler
would; `warehouse_digest` summarises every mart and report table (row count and a
checksum of the rows) to compare runs.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest
from fixtures.own_data import write_own_exports

from flows.serve import local_prefect_server
from flows.settings import EXAMPLES_DIR

TERRAIN = [sys.executable, "-m", "flows.cli"]

# Folder names operators really have: spaces, apostrophes, '#', accents, other scripts.
ODD_FOLDER = "l'entrepôt #1 données 倉庫 Ω"

# The Prefect API every `terrain` process of these tests reports to (one server for the
# session: a temporary server per process would cost 20 s each).
_prefect_api: dict[str, str] = {}

# Columns that say when something ran, not what the data are: left out of comparisons.
RUN_TIME_COLUMNS = {
    "fct_source_freshness": {"last_loaded_at", "last_attempt_at", "failing_since", "attempts"},
    "rpt_brief__freshness": {"last_loaded_at", "last_attempt_at", "failing_since"},
    "rpt_brief__coverage": {"last_rejected_at"},
    "rpt_brief__data_checks": {"check_id", "checked_at"},
    "rpt_brief__test_warnings": {"warned_at"},
}


MONTH = "2026-02"
ACCOUNTS = (
    "account_id,name,type,industry,created_at\n"
    "A1,Atelier Durand,b2b,crafts,2025-06-01\n"
    "A2,Brasserie du Port,b2c,,2025-07-01\n"
)
NOTES = (
    "note_id,created_at,body,account_id,author_role\n"
    "N1,2026-02-03,Ils voudraient faire réparer leurs vestes,A1,customer\n"
    "N2,2026-02-10,Livraison en retard,A2,customer\n"
)


@dataclass(frozen=True)
class Company:
    root: Path

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def intent(self) -> Path:
        return self.root / "intent.yaml"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse" / "terrain.duckdb"

    @property
    def briefs(self) -> Path:
        return self.root / "briefs"

    @property
    def findings(self) -> Path:
        return self.briefs / f"brief-{MONTH}.json"

    def args(self, command: str = "run") -> list[str]:
        """The arguments of `terrain COMMAND` on this company."""
        exports = ["--exports", str(self.exports)]
        intent = ["--intent", str(self.intent)]
        warehouse = ["--warehouse", str(self.warehouse)]
        brief = ["--month", MONTH, "--out", str(self.briefs), "--lang", "en"]
        return {
            "run": ["run", *exports, *intent, *warehouse, *brief],
            "ingest": ["ingest", *exports, *warehouse],
            "transform": ["transform", *intent, *warehouse],
            "brief": ["brief", *warehouse, *brief],
        }[command]


def make_company(root: Path) -> Company:
    company = Company(root)
    write_own_exports(company.exports)
    (company.exports / "crm").mkdir()
    (company.exports / "crm" / "accounts.csv").write_text(ACCOUNTS, encoding="utf-8")
    (company.exports / "crm" / "notes.csv").write_text(NOTES, encoding="utf-8")
    shutil.copy(EXAMPLES_DIR / "starter" / "intent.yaml", company.intent)
    return company


def change_exports(company: Company) -> None:
    """The next day's exports: order O3 deleted in the shop (its lines stay in
    order_lines.csv, as some shops export them), and the price of O4's line corrected in
    place: same size, modification time put back (change detection by content)."""
    orders = company.exports / "shop" / "orders.csv"
    text = orders.read_text(encoding="utf-8")
    kept = [row for row in text.splitlines(keepends=True) if not row.startswith("O3,")]
    orders.write_text("".join(kept), encoding="utf-8")
    lines = company.exports / "shop" / "order_lines.csv"
    times = lines.stat()
    text = lines.read_text(encoding="utf-8")
    lines.write_text(text.replace("O4,1,GP-01,1,100", "O4,1,GP-01,1,150"), encoding="utf-8")
    os.utime(lines, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert lines.stat().st_size == times.st_size


def copy_company(source: Company, root: Path) -> Company:
    """A copy of a company with its warehouse, state folder and briefs."""
    shutil.copytree(source.root, root, symlinks=True)
    return Company(root)


@pytest.fixture(scope="session")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Company:
    company = make_company(tmp_path_factory.mktemp("baseline") / ODD_FOLDER)
    result = terrain(company.args())
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return company


# An analyst's session: one read-only connection, held open, querying every 0.2 s.
READER = textwrap.dedent(
    """
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    print("connected", flush=True)
    while True:
        try:
            row = con.execute(
                "select count(*), sum(total_amount) from staging.stg_shop__orders"
            ).fetchone()
            marts = con.execute("select count(*) from marts.fct_order_lines").fetchone()[0]
            print(f"{row[0]} {row[1]} {marts}", flush=True)
        except Exception as error:
            print(f"ERROR {type(error).__name__}: {error}", flush=True)
        time.sleep(0.2)
    """
)


@dataclass(frozen=True)
class Reference:
    company: Company
    digest: dict
    findings: bytes
    # what an analyst's connection, opened before the run and held through it, read
    reader_lines: list[str] = field(default_factory=list)
    # what a new connection reads after the run
    after_run: str = ""


@pytest.fixture(scope="session")
def reference(baseline: Company, tmp_path_factory: pytest.TempPathFactory) -> Reference:
    """The changed exports after an uninterrupted run, watched by an analyst's connection
    held on the published file from before the run to after it."""
    company = copy_company(baseline, tmp_path_factory.mktemp("reference") / ODD_FOLDER)
    change_exports(company)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(company.warehouse)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    assert reader.stdout is not None
    assert reader.stdout.readline().strip() == "connected"
    try:
        result = terrain(company.args())
        time.sleep(0.5)  # a few more reads after the publication
    finally:
        reader.kill()
        output, _ = reader.communicate()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    after = subprocess.run(
        [
            sys.executable,
            "-c",
            READER.replace("while True", "for _ in range(1)"),
            str(company.warehouse),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()[-1]
    return Reference(
        company,
        warehouse_digest(company.warehouse),
        company.findings.read_bytes(),
        [line for line in output.splitlines() if line.strip()],
        after,
    )


@pytest.fixture(scope="session", autouse=True)
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Prefect server on loopback, with its own database, for the session."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PREFECT_HOME", str(tmp_path_factory.mktemp("prefect-home")))
        with local_prefect_server(port) as api_url:
            _prefect_api["url"] = api_url
            yield api_url
    _prefect_api.clear()


def environment(**extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "TERRAIN_RETRY_DELAY_SECONDS": "0",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    if "url" in _prefect_api:
        env["PREFECT_API_URL"] = _prefect_api["url"]
    env.pop("TERRAIN_KILL_AT", None)
    env.update(extra)
    return env


def start(args: list[str], **extra: str) -> subprocess.Popen[str]:
    """`terrain ARGS` in its own process group (killing the group kills all of it)."""
    return subprocess.Popen(
        [*TERRAIN, *args],
        env=environment(**extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def terrain(
    args: list[str], timeout: float = 900, **extra: str
) -> subprocess.CompletedProcess[str]:
    """Run `terrain ARGS` to its end; returns the process with its output."""
    return subprocess.run(
        [*TERRAIN, *args],
        env=environment(**extra),
        capture_output=True,
        text=True,
        timeout=timeout,
        start_new_session=True,
        check=False,
    )


def warehouse_digest(warehouse: Path, schemas: tuple[str, ...] = ("marts", "report")) -> dict:
    """Row count and checksum of every table of `schemas` (run-time columns left out)."""
    digest = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where schema_name in (select unnest(?)) order by all",
            [list(schemas)],
        ).fetchall()
        for schema, table in tables:
            columns = [
                name
                for (name,) in con.execute(
                    "select column_name from duckdb_columns() where schema_name = ? "
                    "and table_name = ? order by column_index",
                    [schema, table],
                ).fetchall()
                if name not in RUN_TIME_COLUMNS.get(table, set())
            ]
            selected = ", ".join(f'"{c}"' for c in columns)
            count, checksum = con.execute(
                f"select count(*), md5(coalesce(string_agg(row_text, '|' order by row_text), '')) "
                f"from (select cast(row({selected}) as varchar) as row_text "
                f'from "{schema}"."{table}")'
            ).fetchone()
            digest[f"{schema}.{table}"] = (count, checksum)
    return digest


def file_digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def folder_digest(folder: Path) -> dict[str, str]:
    """Every visible file of `folder` and its checksum."""
    if not folder.is_dir():
        return {}
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(".")
    }
