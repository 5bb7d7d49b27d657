"""Project-wide settings: paths, environment variables, dataset names and schedules.

Every module that needs a path, a default or a dataset name reads it from here. The
shape of the export files (the canonical input contract) is in
`flows.ingest.contract`.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
TRANSFORMS_DIR = PROJECT_DIR / "transforms"
TEMPLATES_DIR = PROJECT_DIR / "report_templates"
WAREHOUSE_DIR = PROJECT_DIR / "warehouse"
EXAMPLES_DIR = PROJECT_DIR / "examples"

# Defaults; every one can be overridden by an environment variable or a CLI flag.
DEFAULT_WAREHOUSE = WAREHOUSE_DIR / "terrain.duckdb"
DEFAULT_DEMO_DIR = WAREHOUSE_DIR / "demo"
DEFAULT_OUT_DIR = WAREHOUSE_DIR / "briefs"

# Name of the optional file, inside an export folder, that describes how its
# files are written (delimiter, decimal separator, date format, encoding).
EXPORT_SETTINGS_FILE = "export-settings.yaml"

# Raw datasets (DuckDB schemas) written by dlt, one per system.
RAW_DATASET_PREFIX = "raw_"
INTENT_DATASET = "raw_intent"
REJECTS_TABLE = "ingest_rejects"
FILES_TABLE = "ingest_files"  # one row per export file: rows received, loaded, rejected
# one row per vendor value of an enumerated column read from a vendor file, and what
# its format's value map made of it (flows/ingest/vendor_engine.py)
VALUES_TABLE = "ingest_values"
# The data health check's records (flows/ingest/health.py) and the dbt test warnings of
# the last build (flows/transform/dbt.py), written by Terrain itself, not by dlt.
HEALTH_DATASET = "raw_health"

SYSTEMS = ("shop", "crm", "support")


def env_path(name: str, default: Path) -> Path:
    """A path from the environment variable `name`, or `default`."""
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


def warehouse_path() -> Path:
    """The DuckDB file: $TERRAIN_WAREHOUSE, or warehouse/terrain.duckdb; `md:<database>`
    names a MotherDuck database instead (flows.warehouse.target)."""
    value = os.environ.get("TERRAIN_WAREHOUSE", "")
    if value.startswith("md:"):
        return Path(value)
    return env_path("TERRAIN_WAREHOUSE", DEFAULT_WAREHOUSE)


def exports_path() -> Path:
    """The export folder: $TERRAIN_EXPORTS, or warehouse/exports."""
    return env_path("TERRAIN_EXPORTS", WAREHOUSE_DIR / "exports")


def intent_path() -> Path:
    """The intent file: $TERRAIN_INTENT, or warehouse/intent.yaml."""
    return env_path("TERRAIN_INTENT", WAREHOUSE_DIR / "intent.yaml")


def briefs_path() -> Path:
    """Where briefs are written: $TERRAIN_OUT, or warehouse/briefs."""
    return env_path("TERRAIN_OUT", DEFAULT_OUT_DIR)


def retry_delay_seconds() -> float:
    """Seconds between the retries of a task that may pass by itself (a source down, the
    warehouse file held): $TERRAIN_RETRY_DELAY_SECONDS, or 10."""
    value = os.environ.get("TERRAIN_RETRY_DELAY_SECONDS", "")
    try:
        return max(0.0, float(value)) if value else 10.0
    except ValueError:
        return 10.0


def raw_dataset(system: str) -> str:
    return f"{RAW_DATASET_PREFIX}{system}"


def run_date() -> dt.date:
    """The day of the run, in UTC: events after it are rejected and no brief month may
    end after it. $TERRAIN_TODAY (YYYY-MM-DD) sets it, for tests and replays."""
    value = os.environ.get("TERRAIN_TODAY")
    if value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"TERRAIN_TODAY={value!r} is not a date written YYYY-MM-DD") from None
    return dt.datetime.now(dt.UTC).date()


# Schedules (also written in prefect.yaml; tests/test_prefect_yaml.py keeps them equal).
SCHEDULE_TIMEZONE = "Europe/Paris"
REFRESH_CRON = "0 2 * * *"  # ingest + transform, every night
BRIEF_CRON = "0 6 1 * *"  # the brief of the previous month, on the 1st
