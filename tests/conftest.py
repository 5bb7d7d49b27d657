"""Fixtures shared across test folders.

`demo_run` generates the default demo company and runs the real Prefect pipeline
flow on it once per test session: several test files check its results (the
brief against the ground truth, the models against the planted stories) without
paying for the run again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from flows.demo.generator import DemoResult, generate_demo
from flows.pipeline import pipeline_flow


@dataclass(frozen=True)
class DemoRun:
    root: Path
    result: DemoResult
    warehouse: Path
    pdf: Path
    json: Path
    findings: dict
    truth: dict


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    root = tmp_path_factory.mktemp("demo")
    result = generate_demo(root)
    warehouse = root / "terrain.duckdb"
    pdf, findings_json = (
        Path(p)
        for p in pipeline_flow(
            exports_dir=str(result.exports_dir),
            intent_file=str(result.intent_path),
            warehouse=str(warehouse),
            month=result.last_complete_month,
            out_dir=str(root / "briefs"),
            lang=None,
        )
    )
    return DemoRun(
        root=root,
        result=result,
        warehouse=warehouse,
        pdf=pdf,
        json=findings_json,
        findings=json.loads(findings_json.read_text(encoding="utf-8")),
        truth=json.loads(result.ground_truth_path.read_text(encoding="utf-8")),
    )
