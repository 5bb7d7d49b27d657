"""Measure the signal engine against the demo generator's planted ground truth.

`terrain eval-signals` generates demo companies for several seeds and sizes, runs the
real chain on each (ingest, intent, dbt build of the detection models), then compares
the warehouse's classifications with what the generator planted:

- recall: share of planted rising themes flagged (emerging, weak or strong) within
  `max_delay` months of their planted start month (the first flagged month at or
  after the start counts);
- detection delay: months from the planted start to that first flagged month;
- control false alarms: share of control theme-months (themes the generator keeps
  flat) flagged emerging, weak, strong or fading;
- precision: share of rising theme-months that belong to a planted theme at or after
  its start (a non-planted theme, or a planted one before its start, is a false alarm);
- the planted unlabelled phrase: first month it is listed as an emerging term.

Thresholds (the signal_* dbt vars) are chosen from this table across seeds, never
from one seed; `--vars` re-runs the detection with other values to compare.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from flows import shared_lists

log = logging.getLogger(__name__)

# The classes (seed signal_classes) that flag a rise (emerging, weak, strong), and those
# that flag any change (a fall too).
RISING = frozenset(shared_lists.ids_where("signal_classes", "direction", "rise"))
FLAGGED = RISING | frozenset(shared_lists.ids_where("signal_classes", "direction", "fall"))
# What detection needs: the signal and emerging-term report tables and their parents.
DETECTION_SELECTOR = ("+rpt_brief__signals", "+rpt_brief__verbatims", "+rpt_brief__emerging_terms")


def month_index(month: dt.date | str) -> int:
    text = month.isoformat() if isinstance(month, dt.date) else month
    return int(text[:4]) * 12 + int(text[5:7]) - 1


@dataclass
class ThemeResult:
    theme: str
    start_month: str
    first_flagged: str | None  # first month at or after the start flagged as rising
    delay: int | None  # months from start_month to first_flagged
    at_last_month: str  # classification in the last complete month


@dataclass
class RunResult:
    seed: int
    orders: int
    seconds: float
    themes: list[ThemeResult] = field(default_factory=list)
    control_months: int = 0
    control_flagged: int = 0
    rising_months: int = 0
    rising_true: int = 0
    phrase_first_month: str | None = None
    phrase_start_month: str | None = None
    phrase_at_last_month: bool = False

    def recall(self, max_delay: int) -> float:
        hits = sum(t.delay is not None and t.delay <= max_delay for t in self.themes)
        return hits / len(self.themes) if self.themes else float("nan")

    @property
    def control_rate(self) -> float:
        return self.control_flagged / self.control_months if self.control_months else 0.0

    @property
    def precision(self) -> float:
        return self.rising_true / self.rising_months if self.rising_months else float("nan")


def planted_rising(truth: dict) -> dict[str, str]:
    """theme -> planted start month (YYYY-MM) of every planted rising theme."""
    return {
        s["theme"]: s["start_month"]
        for s in truth["scenarios"]
        if s["kind"] in ("signal", "rejection") and s.get("theme") and s.get("expect") == "rising"
    }


def evaluate_warehouse(warehouse: Path, truth: dict, seed: int, orders: int) -> RunResult:
    """Compare one warehouse's signal classifications with its ground truth."""
    planted = planted_rising(truth)
    controls = set(truth["control_themes"])
    last = truth["last_complete_month"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select theme_id, strftime(report_month, '%Y-%m'), classification "
            "from report.rpt_brief__signals where report_month <= ? order by report_month",
            [dt.date.fromisoformat(last + "-01")],
        ).fetchall()
        terms = con.execute(
            "select strftime(report_month, '%Y-%m'), term from report.rpt_brief__emerging_terms "
            "order by report_month"
        ).fetchall()
    result = RunResult(seed=seed, orders=orders, seconds=0.0)
    by_theme: dict[str, list[tuple[str, str]]] = {}
    for theme, month, classification in rows:
        by_theme.setdefault(theme, []).append((month, classification))
    for theme, start in sorted(planted.items()):
        series = by_theme.get(theme, [])
        first = next((m for m, c in series if m >= start and c in RISING), None)
        result.themes.append(
            ThemeResult(
                theme=theme,
                start_month=start,
                first_flagged=first,
                delay=None if first is None else month_index(first) - month_index(start),
                at_last_month=dict(series).get(last, "missing"),
            )
        )
    for theme, series in by_theme.items():
        for month, classification in series:
            if theme in controls and classification != "insufficient_data":
                result.control_months += 1
                result.control_flagged += classification in FLAGGED
            if classification in RISING:
                result.rising_months += 1
                result.rising_true += theme in planted and month >= planted[theme]
    phrase = next((s for s in truth["scenarios"] if s["kind"] == "unlabelled_phrase"), None)
    if phrase:
        wanted = {phrase["phrase"], phrase.get("phrase_en")}
        result.phrase_start_month = phrase["start_month"]
        months = [m for m, term in terms if term in wanted and m >= phrase["start_month"]]
        result.phrase_first_month = months[0] if months else None
        result.phrase_at_last_month = last in months
    return result


def build_demo(
    root: Path, seed: int, orders: int, dbt_vars: str | None = None, full: bool = False
) -> tuple[Path, dict]:
    """Generate one demo company under `root` and build its detection models."""
    from flows.demo.generator import generate_demo
    from flows.ingest.run import ingest_exports
    from flows.intent.load import load_intent
    from flows.intent.tables import write_intent_tables

    if root.exists():
        shutil.rmtree(root)
    demo = generate_demo(root, seed=seed, orders=orders)
    warehouse = root / "terrain.duckdb"
    ingest_exports(demo.exports_dir, warehouse)
    write_intent_tables(load_intent(demo.intent_path), warehouse)
    run_detection(warehouse, dbt_vars, full=full)
    return warehouse, json.loads(demo.ground_truth_path.read_text(encoding="utf-8"))


def run_detection(warehouse: Path, dbt_vars: str | None = None, full: bool = False) -> float:
    """dbt build of the detection models (all models with `full`); returns seconds."""
    from flows.transform.dbt import run_dbt

    args: list[str] = ["build"]
    if not full:
        # only the tests whose models are all built
        args += ["--select", *DETECTION_SELECTOR, "--indirect-selection", "cautious"]
    if dbt_vars:
        args += ["--vars", dbt_vars]
    started = time.perf_counter()
    run_dbt(warehouse, tuple(args))
    return time.perf_counter() - started


def evaluate(
    seeds: Sequence[int],
    sizes: Sequence[int],
    work_dir: Path,
    dbt_vars: str | None = None,
    reuse: bool = False,
) -> list[RunResult]:
    """Generate, detect and score every seed x size; with `reuse`, existing demo folders
    under `work_dir` are only re-detected (for comparing thresholds quickly)."""
    results = []
    for orders in sizes:
        for seed in seeds:
            root = work_dir / f"orders-{orders}-seed-{seed}"
            warehouse = root / "terrain.duckdb"
            truth_path = root / "ground_truth.json"
            if reuse and warehouse.is_file() and truth_path.is_file():
                seconds = run_detection(warehouse, dbt_vars)
                truth = json.loads(truth_path.read_text(encoding="utf-8"))
            else:
                started = time.perf_counter()
                warehouse, truth = build_demo(root, seed, orders, dbt_vars)
                seconds = time.perf_counter() - started
            result = evaluate_warehouse(warehouse, truth, seed, orders)
            result.seconds = seconds
            log.info(
                "seed %s, %s orders: recall %.2f, control false alarms %.3f (%.0f s)",
                seed,
                orders,
                result.recall(3),
                result.control_rate,
                seconds,
            )
            results.append(result)
    return results


def _pct(value: float) -> str:
    return "  n/a" if value != value else f"{value * 100:5.1f}%"


def format_report(results: Sequence[RunResult], max_delay: int) -> str:
    """The evaluation as plain-text tables: one line per run, then per theme, then totals."""
    lines = [
        f"Signal detection against planted ground truth (detected = emerging, weak or "
        f"strong within {max_delay} months of the planted start)",
        "",
        f"{'orders':>7} {'seed':>4} {'recall':>7} {'precision':>9} {'control FA':>10} "
        f"{'phrase':>9} {'seconds':>7}",
    ]
    for r in results:
        phrase = (
            "missing"
            if r.phrase_first_month is None
            else f"+{month_index(r.phrase_first_month) - month_index(r.phrase_start_month or '')}"
        )
        lines.append(
            f"{r.orders:>7} {r.seed:>4} {_pct(r.recall(max_delay)):>7} {_pct(r.precision):>9} "
            f"{r.control_flagged:>3}/{r.control_months:<3} {_pct(r.control_rate)} "
            f"{phrase:>9} {r.seconds:>7.0f}"
        )
    themes = sorted({t.theme for r in results for t in r.themes})
    lines += ["", "Detection delay in months per planted theme (- = not detected), per run:"]
    width = max((len(t) for t in themes), default=5)
    lines.append(f"{'theme':<{width}}  " + " ".join(f"{r.seed:>3}" for r in results))
    for theme in themes:
        cells = []
        for r in results:
            found = next((t for t in r.themes if t.theme == theme), None)
            cells.append("  -" if found is None or found.delay is None else f"{found.delay:>3}")
        lines.append(f"{theme:<{width}}  " + " ".join(cells))
    lines += ["", "Classification in the last complete month, per run:"]
    for theme in themes:
        cells = [
            next((t.at_last_month for t in r.themes if t.theme == theme), "-") for r in results
        ]
        lines.append(f"{theme:<{width}}  " + " ".join(f"{c[:8]:>8}" for c in cells))
    lines.append("")
    for orders in sorted({r.orders for r in results}):
        runs = [r for r in results if r.orders == orders]
        planted = sum(len(r.themes) for r in runs)
        hits = sum(t.delay is not None and t.delay <= max_delay for r in runs for t in r.themes)
        flagged = sum(r.control_flagged for r in runs)
        months = sum(r.control_months for r in runs)
        rising = sum(r.rising_months for r in runs)
        true = sum(r.rising_true for r in runs)
        phrase = sum(r.phrase_at_last_month for r in runs)
        lines.append(
            f"{orders} orders, {len(runs)} seeds: recall {hits}/{planted} = "
            f"{_pct(hits / planted if planted else float('nan')).strip()}, precision "
            f"{true}/{rising} = {_pct(true / rising if rising else float('nan')).strip()}, "
            f"control false alarms {flagged}/{months} = "
            f"{_pct(flagged / months if months else 0.0).strip()}, phrase listed in the "
            f"last month {phrase}/{len(runs)}"
        )
    return "\n".join(lines)
