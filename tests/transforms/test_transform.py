"""run_dbt: failures name the failing nodes; the warehouse is released afterwards."""

from __future__ import annotations

import copy
from pathlib import Path
from types import ModuleType

import duckdb
import pytest

from flows.transform.dbt import TransformError, run_dbt


def test_failing_test_raises_with_node_names_and_releases_the_file(
    tmp_path: Path, raw_warehouse_module: ModuleType
) -> None:
    fixture = raw_warehouse_module
    rows = copy.deepcopy(fixture.SAMPLE_ROWS)
    rows["raw_intent.company"][0]["language"] = "de"  # not in seed languages: a test fails
    warehouse = fixture.build_raw_warehouse(tmp_path / "broken.duckdb", rows)
    lines: list[str] = []

    with pytest.raises(TransformError) as caught:
        run_dbt(
            warehouse,
            ("build", "--select", "languages", "stg_intent__company"),
            progress=lines.append,
        )

    failing = "relationships_stg_intent__company_language__language_id__ref_languages_"
    assert [node for node, _ in caught.value.failures if failing in node]
    assert failing in str(caught.value)
    assert any("stg_intent__company" in line for line in lines)
    # dbt's target/ and logs/ stay in the warehouse's state folder, not in the repository
    assert (tmp_path / ".broken.duckdb.state" / "dbt" / "target").is_dir()
    # the file is closed again: a read-only reader can open it in this process
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from staging.stg_intent__company").fetchall() == [(1,)]
