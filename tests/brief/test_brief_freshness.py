"""The brief says which source is stale and since when (report.rpt_brief__freshness)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb

from flows.brief.write import write_brief

from .conftest import MONTH, pdf_text, squash


def test_a_stale_source_is_named_with_its_last_load_in_the_json_and_the_pdf(
    report_warehouse: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "terrain.duckdb"
    shutil.copyfile(report_warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "insert into report.rpt_brief__freshness values "
            "('shop', false, '2025-04-05 02:01:00+00', null, '2025-04-05 02:00:00+00', null), "
            "('crm', true, '2025-04-02 02:01:30+00', '2025-04-03 02:00:00+00', "
            "'2025-04-05 02:00:00+00', 'cannot list crm (Permission denied)'), "
            "('support', true, null, null, '2025-04-05 02:00:00+00', null)"
        )

    pdf, findings_path = write_brief(warehouse, MONTH, tmp_path / "briefs", "en")

    findings = json.loads(findings_path.read_text(encoding="utf-8"))
    assert findings["stale_sources"] == [
        {
            "source": "crm",
            "last_loaded_at": "2025-04-02T02:01:30+00:00",
            "failing_since": "2025-04-03T02:00:00+00:00",
            "last_error": "cannot list crm (Permission denied)",
        },
        {"source": "support", "last_loaded_at": None, "failing_since": None, "last_error": None},
    ]
    text = squash(pdf_text(pdf))
    assert squash("Stale source: CRM, last loaded on 2 April 2025.") in text
    assert squash("Source never loaded: Support.") in text
    assert "Shop,lastloaded" not in text


def test_no_stale_source_no_line(report_warehouse: Path, tmp_path: Path) -> None:
    pdf, findings_path = write_brief(report_warehouse, MONTH, tmp_path, "fr")
    assert json.loads(findings_path.read_text(encoding="utf-8"))["stale_sources"] == []
    assert "nonàjour" not in squash(pdf_text(pdf))
