"""The crash matrix: SIGKILL to the whole process group of a run, at many points.

After each kill, what analysts and executives see is as before the run (the published
warehouse and the brief files unchanged), or, past the publication, the new version
whole; and the next run produces exactly what an uninterrupted run produces (row counts
and checksums of every mart and report table, the findings JSON byte for byte).

Kill points are named in `flows.faults.POINTS` (the run kills its own group when
TERRAIN_KILL_AT names the point) or are moments seen from outside (a line of the run's
log: reading a file, dbt half-way): then the test sends the SIGKILL itself.

`make test` runs the reduced matrix (one company, four kills in a row, then one
recovery). `make crash-matrix` runs the full one: every point, each from a fresh copy.
"""

from __future__ import annotations

import os
import re
import signal
from dataclasses import dataclass
from pathlib import Path

import pytest

from flows import faults
from flows.outputs import JOURNAL_SUFFIX, TEMPORARY_SUFFIX

from .conftest import (
    Company,
    Reference,
    change_exports,
    copy_company,
    file_digest,
    folder_digest,
    start,
    terrain,
    warehouse_digest,
)

FULL = os.environ.get("TERRAIN_CRASH_MATRIX") == "full"


@dataclass(frozen=True)
class Kill:
    """Where to kill: a named point, or the first log line matching `after`."""

    command: str
    point: str | None = None
    after: str | None = None

    @property
    def name(self) -> str:
        return f"{self.command}@{self.point or 'log:' + (self.after or '')}"


def kill_run(company: Company, kill: Kill) -> str:
    """Run `terrain COMMAND` on `company` and kill its process group as `kill` says."""
    extra = {"TERRAIN_KILL_AT": kill.point} if kill.point else {}
    process = start(company.args(kill.command), **extra)
    assert process.stdout is not None
    output = []
    for line in process.stdout:
        output.append(line)
        if kill.after and re.search(kill.after, line):
            os.killpg(process.pid, signal.SIGKILL)
            break
    rest, _ = process.communicate(timeout=900)
    text = "".join(output) + (rest or "")
    assert process.returncode == -signal.SIGKILL, f"{kill.name} was not killed:\n{text[-3000:]}"
    return text


def leftovers(company: Company) -> list[str]:
    folders = [company.warehouse.parent, company.briefs]
    return sorted(
        p.name
        for folder in folders
        if folder.is_dir()
        for p in folder.iterdir()
        if p.name.endswith((TEMPORARY_SUFFIX, JOURNAL_SUFFIX))
    )


def recover_and_compare(company: Company, reference: Reference) -> str:
    result = terrain(company.args("run"))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert warehouse_digest(company.warehouse) == reference.digest
    assert company.findings.read_bytes() == reference.findings
    assert leftovers(company) == []
    return result.stderr + result.stdout


# --------------------------------------------------------------------------- reduced


def test_reduced_matrix_four_kills_then_one_run_gives_the_uninterrupted_result(
    baseline: Company, reference: Reference, tmp_path: Path
) -> None:
    company = copy_company(baseline, tmp_path / "company")
    change_exports(company)
    before_brief = folder_digest(company.briefs)
    before_json = company.findings.read_bytes()

    # 1. between the PDF and the JSON renames: published whole, the old JSON still there
    kill_run(company, Kill("run", point="outputs.first-renamed"))
    assert warehouse_digest(company.warehouse) == reference.digest
    assert company.findings.read_bytes() == before_json
    assert folder_digest(company.briefs) != before_brief  # the new PDF is in place...
    assert any(name.endswith(JOURNAL_SUFFIX) for name in leftovers(company))  # ...and said so

    # 2. half-way through copying the working database over the published one
    published = file_digest(company.warehouse)
    kill_run(company, Kill("ingest", point="publish.copying"))
    assert file_digest(company.warehouse) == published

    # 3. while dbt rebuilds the working database
    kill_run(company, Kill("transform", after=r"\b\d{3} of \d+ OK"))
    assert file_digest(company.warehouse) == published

    # 4. as the ingestion starts (the lock file still names this killed run)
    kill_run(company, Kill("ingest", after=r"ingesting shop exports"))
    assert file_digest(company.warehouse) == published

    log = recover_and_compare(company, reference)
    assert "cleared a stale writer lock" in log


# ------------------------------------------------------------------------------ full

RUN_POINTS = [
    "ingest.loaded",
    "ingest.done",
    "transform.intent-written",
    "transform.built",
    "publish.copying",
    "publish.copied",
    "publish.renamed",
    "brief.rendered",
    "outputs.temporaries-written",
    "outputs.first-renamed",
    "outputs.renamed",
]
# the published file is replaced at publish.renamed: kills before it leave it as it was
BEFORE_PUBLICATION = RUN_POINTS[: RUN_POINTS.index("publish.renamed")]
# the JSON is renamed last: kills before it leave last month's JSON
BEFORE_NEW_JSON = RUN_POINTS[: RUN_POINTS.index("outputs.renamed")]

FULL_MATRIX = [
    *(Kill("run", point=point) for point in RUN_POINTS),
    Kill("run", after=r"reading shop/orders"),
    Kill("run", after=r"ingesting crm exports"),
    Kill("run", after=r"dbt build on"),
    Kill("run", after=r"\b\d of \d+ OK"),
    Kill("run", after=r"\b1[5-9]\d of \d+ OK"),
    Kill("run", after=r"\b4\d\d of \d+ OK"),
    Kill("run", after=r"brief for 2026-02"),
    Kill("ingest", point="publish.copied"),
    Kill("transform", point="publish.copying"),
    Kill("brief", point="outputs.temporaries-written"),
    Kill("brief", point="outputs.first-renamed"),
]


def test_every_point_of_the_matrix_is_a_point_of_the_code() -> None:
    assert set(RUN_POINTS) <= set(faults.POINTS)
    assert {k.point for k in FULL_MATRIX if k.point} <= set(faults.POINTS)


@pytest.mark.skipif(not FULL, reason="the full crash matrix runs with `make crash-matrix`")
@pytest.mark.parametrize("kill", FULL_MATRIX, ids=lambda kill: kill.name)
def test_full_matrix(baseline: Company, reference: Reference, tmp_path: Path, kill: Kill) -> None:
    company = copy_company(baseline, tmp_path / "company")
    change_exports(company)
    published = file_digest(company.warehouse)
    briefs = folder_digest(company.briefs)
    old_json = company.findings.read_bytes()

    kill_run(company, kill)

    if kill.point is None:
        # seen from outside: the old version, or the new one whole
        assert (
            file_digest(company.warehouse) == published
            or warehouse_digest(company.warehouse) == reference.digest
        )
    elif kill.command == "run" and kill.point not in BEFORE_PUBLICATION:
        assert warehouse_digest(company.warehouse) == reference.digest  # the new one, whole
    else:
        assert file_digest(company.warehouse) == published
    if kill.point in BEFORE_NEW_JSON or kill.point is None or kill.command != "run":
        assert company.findings.read_bytes() == old_json
    if kill.point in BEFORE_NEW_JSON[: BEFORE_NEW_JSON.index("outputs.first-renamed")]:
        assert folder_digest(company.briefs) == briefs
    recover_and_compare(company, reference)
