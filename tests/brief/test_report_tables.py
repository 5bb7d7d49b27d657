"""The report tables the brief reads are the dbt project's enforced contracts, read once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
import yaml

from flows.brief import BriefError
from flows.brief.report_tables import (
    CONTRACT,
    REPORT_MODELS_FILE,
    TABLES,
    read_report,
    report_contract,
)

from .conftest import MONTH, make_report_warehouse


def test_tables_are_the_report_models_with_their_declared_columns() -> None:
    models = yaml.safe_load(REPORT_MODELS_FILE.read_text(encoding="utf-8"))["models"]
    assert list(TABLES) == [model["name"] for model in models]
    for model in models:
        # dbt refuses to build a table that differs from an enforced contract, so what
        # the brief reads is what the warehouse holds
        assert model["config"]["contract"] == {"enforced": True}, model["name"]
        assert TABLES[model["name"]] == tuple(column["name"] for column in model["columns"])
        assert all(column.data_type for column in CONTRACT[model["name"]])


def test_a_column_declared_in_the_contract_is_read(tmp_path: Path) -> None:
    declared = tmp_path / "_report__models.yml"
    declared.write_text(
        "version: 2\nmodels:\n  - name: rpt_brief__company\n    config:\n"
        "      contract: {enforced: true}\n    columns:\n"
        "      - {name: company_name, data_type: varchar}\n"
        "      - {name: fiscal_year_start, data_type: date}\n",
        encoding="utf-8",
    )
    contract = report_contract(declared)
    assert [column.name for column in contract["rpt_brief__company"]] == [
        "company_name",
        "fiscal_year_start",
    ]


def test_a_table_that_lacks_a_declared_column_is_a_clear_error(tmp_path: Path) -> None:
    warehouse = make_report_warehouse(tmp_path / "old.duckdb")
    with duckdb.connect(str(warehouse)) as con:
        con.execute("alter table report.rpt_brief__signals drop column rising_scope")
    with pytest.raises(BriefError, match="rpt_brief__signals does not match what the brief reads"):
        read_report(warehouse, date.fromisoformat(f"{MONTH}-01"))
