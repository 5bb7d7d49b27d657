"""`terrain doctor`: is everything a run needs in place? One line per check.

Each check says `ok`, `warn` (works, but worth a look) or `FAIL` (a run would fail or
do harm), what it found, and for anything not ok, how to fix it. Secrets are only
said to be present or missing, never printed. Nothing is written: the warehouse is
opened read-only, the export folder is listed, not read (apart from
export-settings.yaml, which is validated).
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import stat
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from flows import faults, settings
from flows.outputs import JOURNAL_SUFFIX, TEMPORARY_SUFFIX
from flows.warehouse.paths import WarehousePaths

OK, WARN, FAIL = "ok", "warn", "FAIL"

# Free space a run needs beside the warehouse: a working copy and a temporary copy for
# the publication, plus room for dbt to rebuild its tables.
SPACE_FACTOR = 3
MIN_FREE_BYTES = 200 << 20


@dataclass(frozen=True)
class Check:
    """The result of one check."""

    name: str
    status: str
    detail: str
    fix: str = ""

    @property
    def failed(self) -> bool:
        return self.status == FAIL

    def line(self) -> str:
        text = f"{self.status:<4}  {self.name:<15} {self.detail}"
        return f"{text} — fix: {self.fix}" if self.fix and self.status != OK else text


def run_checks(exports: Path, intent: Path, warehouse: Path, out: Path) -> list[Check]:
    """Every check, in the order a run meets them; a check that crashes is a FAIL."""
    checks: list[tuple[str, Callable[[], Check]]] = [
        ("configuration", lambda: check_configuration(exports, intent, warehouse, out)),
        ("intent file", lambda: check_intent(intent)),
        ("export folder", lambda: check_exports(exports)),
        ("secrets", lambda: check_secrets(warehouse)),
        ("pdf engine", check_pdf_engine),
        ("fonts", check_fonts),
        ("warehouse", lambda: check_warehouse(warehouse)),
        ("interrupted", lambda: check_interrupted(warehouse, out)),
        ("disk space", lambda: check_disk_space(warehouse)),
        ("prefect api", check_prefect_api),
        ("delivery", check_delivery),
        ("writer lock", lambda: check_lock(warehouse)),
    ]
    results = []
    for name, check in checks:
        try:
            results.append(check())
        except Exception as error:  # a doctor that crashes helps nobody: report it
            results.append(Check(name, FAIL, f"the check itself failed: {error}", "report it"))
    return results


def check_configuration(exports: Path, intent: Path, warehouse: Path, out: Path) -> Check:
    if os.environ.get(faults.ENVIRONMENT_VARIABLE):
        return Check(
            "configuration",
            FAIL,
            f"{faults.ENVIRONMENT_VARIABLE} is set: runs will kill themselves (tests only)",
            f"unset {faults.ENVIRONMENT_VARIABLE}",
        )
    wait = os.environ.get("TERRAIN_LOCK_WAIT_SECONDS")
    if wait:
        try:
            float(wait)
        except ValueError:
            return Check(
                "configuration",
                FAIL,
                f"TERRAIN_LOCK_WAIT_SECONDS={wait!r} is not a number of seconds",
                "set it to a number, or unset it (300 s)",
            )
    return Check(
        "configuration",
        OK,
        f"warehouse {warehouse}, exports {exports}, intent {intent}, briefs {out}",
    )


def check_intent(intent: Path) -> Check:
    from flows.intent.load import IntentError, load_intent

    if not intent.is_file():
        return Check(
            "intent file",
            FAIL,
            f"{intent} not found",
            "write one from examples/starter/intent.yaml, or set --intent / TERRAIN_INTENT",
        )
    try:
        loaded = load_intent(intent)
    except IntentError as error:
        first = str(error).splitlines()
        return Check(
            "intent file",
            FAIL,
            f"{intent} is invalid: {first[1].strip() if len(first) > 1 else first[0]}",
            f"terrain check-intent {intent} lists every problem",
        )
    return Check(
        "intent file",
        OK,
        f"{intent}: {len(loaded.offers)} offers, {len(loaded.themes)} themes",
    )


def check_exports(exports: Path) -> Check:
    from flows.ingest.export_settings import ExportSettingsError, load_export_settings
    from flows.ingest.folder import scan_export_folder

    if not exports.is_dir():
        return Check(
            "export folder",
            FAIL,
            f"{exports} does not exist",
            "set --exports / TERRAIN_EXPORTS to the folder holding shop/, crm/, support/",
        )
    try:
        export_settings = load_export_settings(exports)
    except ExportSettingsError as error:
        return Check(
            "export folder",
            FAIL,
            str(error).splitlines()[0],
            f"fix {settings.EXPORT_SETTINGS_FILE}",
        )
    folder = scan_export_folder(exports, export_settings)
    refused = [folder.label(p) for paths in folder.refused.values() for p, _ in paths]
    refused += [folder.label(p) for p, _ in folder.refused_other]
    if folder.unlisted:
        return Check(
            "export folder",
            FAIL,
            "; ".join(folder.unlisted.values()),
            "give the user running Terrain read access to the folder",
        )
    if refused:
        return Check(
            "export folder",
            FAIL,
            f"refused (links, devices, pipes; never read): {', '.join(refused)}",
            "replace each by the file itself (Terrain never follows links)",
        )
    files = sum(len(paths) for paths in folder.files.values())
    if not files:
        return Check(
            "export folder",
            FAIL,
            f"no canonical export file in {exports}",
            "put files such as shop/orders.csv in it (docs/input-contract.md)",
        )
    detail = f"{files} file(s) for {', '.join(folder.systems())}"
    if folder.ignored:
        ignored = ", ".join(folder.label(p) for p in folder.ignored[:5])
        return Check(
            "export folder",
            WARN,
            f"{detail}; ignored (not canonical names): {ignored}",
            "rename them as in docs/input-contract.md, or remove them",
        )
    return Check("export folder", OK, detail)


def _motherduck_token() -> tuple[bool, str]:
    """Whether a MotherDuck token is configured, and where (never the token itself)."""
    for name in (
        "MOTHERDUCK_TOKEN",
        "motherduck_token",
        "DESTINATION__MOTHERDUCK__CREDENTIALS__PASSWORD",
    ):
        if os.environ.get(name):
            return True, f"${name}"
    secrets_file = settings.PROJECT_DIR / ".dlt" / "secrets.toml"
    if secrets_file.is_file():
        import tomllib

        try:
            values = tomllib.loads(secrets_file.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            return False, str(secrets_file)
        credentials = values.get("destination", {}).get("motherduck", {}).get("credentials", {})
        if isinstance(credentials, dict) and credentials.get("password"):
            return True, str(secrets_file)
    return False, ""


def check_secrets(warehouse: Path) -> Check:
    from flows.warehouse.target import is_motherduck

    secrets_file = settings.PROJECT_DIR / ".dlt" / "secrets.toml"
    if secrets_file.is_file() and secrets_file.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        return Check(
            "secrets",
            WARN,
            f"{secrets_file} can be read by other users",
            f"chmod 600 {secrets_file}",
        )
    if not is_motherduck(warehouse):
        return Check("secrets", OK, "none needed: the warehouse is a local DuckDB file")
    present, where = _motherduck_token()
    if not present:
        return Check(
            "secrets",
            FAIL,
            f"the warehouse is {warehouse} (MotherDuck) but no MotherDuck token is set",
            "set MOTHERDUCK_TOKEN, or password under [destination.motherduck.credentials] "
            "in .dlt/secrets.toml",
        )
    return Check("secrets", OK, f"MotherDuck token present (in {where}; not shown)")


def check_delivery() -> Check:
    """delivery.yaml valid, its password present (never shown), its SMTP server answering
    and accepting the login; nothing is sent."""
    from flows.delivery import DeliveryError
    from flows.delivery.mail import send
    from flows.delivery.settings import delivery_path, load_delivery

    try:
        delivery = load_delivery()
    except DeliveryError as error:
        return Check(
            "delivery", FAIL, str(error), "correct delivery.yaml (README, 'Delivery by e-mail')"
        )
    if delivery is None:
        return Check("delivery", OK, f"no {delivery_path()}: briefs are written, not e-mailed")
    smtp = delivery.mail.smtp
    try:
        send(delivery.mail, None)
    except DeliveryError as error:
        return Check("delivery", FAIL, str(error), "see README, 'Delivery by e-mail'")
    login = f", login '{smtp.username}' accepted (password not shown)" if smtp.username else ""
    return Check(
        "delivery",
        OK,
        f"{len(delivery.mail.to) + len(delivery.mail.cc)} recipient(s); SMTP server "
        f"{smtp.host}:{smtp.port} answers{login}",
    )


def check_pdf_engine() -> Check:
    try:
        import weasyprint  # noqa: F401 - loading it loads Pango and HarfBuzz
    except OSError as error:
        return Check(
            "pdf engine",
            FAIL,
            f"WeasyPrint cannot load its system libraries ({error})",
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0",
        )
    version = importlib.metadata.version("weasyprint")
    if shutil.which("pdftotext") is None:
        return Check(
            "pdf engine",
            WARN,
            f"WeasyPrint {version} ready; pdftotext missing (only the tests need it)",
            "apt-get install poppler-utils",
        )
    return Check("pdf engine", OK, f"WeasyPrint {version} with Pango ready")


def check_fonts() -> Check:
    fonts = settings.TEMPLATES_DIR / "fonts"
    found = sorted(p.name for p in fonts.glob("*.otf"))
    if not found:
        return Check(
            "fonts",
            FAIL,
            f"no bundled font in {fonts}",
            "restore report_templates/fonts from the repository",
        )
    return Check("fonts", OK, f"{len(found)} bundled fonts in {fonts}")


def check_warehouse(warehouse: Path) -> Check:
    paths = WarehousePaths.of(warehouse)
    if not paths.published.exists():
        return Check(
            "warehouse",
            WARN,
            f"{paths.published} does not exist yet",
            "run `terrain run` (or ingest then transform) to build it",
        )
    try:
        with duckdb.connect(str(paths.published), read_only=True) as con:
            schemas = {
                schema
                for (schema,) in con.execute(
                    "select distinct schema_name from duckdb_tables()"
                ).fetchall()
            }
            stale = (
                [
                    source
                    for (source,) in con.execute(
                        "select source from marts.fct_source_freshness where is_stale"
                    ).fetchall()
                ]
                if _has_table(con, "marts", "fct_source_freshness")
                else []
            )
    except duckdb.Error as error:
        return Check(
            "warehouse",
            FAIL,
            f"{paths.published} cannot be opened: {str(error).splitlines()[0]}",
            "close the program holding it for writing; if it is damaged, delete it and run "
            "`terrain run` (the exports hold everything)",
        )
    if "report" not in schemas:
        return Check(
            "warehouse",
            WARN,
            f"{paths.published} has no report tables yet",
            "run `terrain transform`",
        )
    if stale:
        return Check(
            "warehouse",
            WARN,
            f"{paths.published}: stale source(s) {', '.join(stale)} (see marts.fct_source_freshness)",
            "fix the source, then run the refresh again",
        )
    size = paths.published.stat().st_size
    return Check("warehouse", OK, f"{paths.published} opens, {size / 2**20:.0f} MiB, sources fresh")


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
            [schema, table],
        ).fetchone()[0]
    )


def check_interrupted(warehouse: Path, out: Path) -> Check:
    """Leftovers of killed runs: temporary files and half-done renames (next run clears)."""
    paths = WarehousePaths.of(warehouse)
    found = []
    for folder in {paths.published.parent, out}:
        if folder.is_dir():
            found += sorted(folder.glob(f".*{TEMPORARY_SUFFIX}"))
            found += sorted(folder.glob(f".*{JOURNAL_SUFFIX}"))
    if not found:
        return Check("interrupted", OK, "no leftover of an interrupted run")
    return Check(
        "interrupted",
        WARN,
        f"a run was interrupted: {', '.join(p.name for p in found[:4])}",
        "nothing to do: the next run finishes or removes them",
    )


def check_disk_space(warehouse: Path) -> Check:
    paths = WarehousePaths.of(warehouse)
    folder = paths.published.parent
    while not folder.exists():
        folder = folder.parent
    free = shutil.disk_usage(folder).free
    size = paths.published.stat().st_size if paths.published.exists() else 0
    needed = max(MIN_FREE_BYTES, SPACE_FACTOR * size)
    detail = f"{free / 2**30:.1f} GiB free in {folder}"
    if free < needed:
        return Check(
            "disk space",
            FAIL,
            f"{detail}; a run needs about {needed / 2**30:.1f} GiB",
            "free some space (a run keeps a working copy and publishes a full copy)",
        )
    return Check("disk space", OK, detail)


def check_prefect_api() -> Check:
    url = os.environ.get("PREFECT_API_URL")
    if not url:
        return Check(
            "prefect api",
            OK,
            "PREFECT_API_URL not set: commands start a temporary local server "
            "(schedules need `terrain serve` or a server, see the README)",
        )
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/health", timeout=3) as response:
            healthy = response.status == 200
    except OSError as error:
        return Check(
            "prefect api",
            FAIL,
            f"{url} does not answer ({getattr(error, 'reason', error)})",
            "start the server (prefect server start) or fix PREFECT_API_URL",
        )
    if not healthy:
        return Check("prefect api", FAIL, f"{url}/health is not healthy", "check the server")
    return Check("prefect api", OK, f"{url} answers")


def check_lock(warehouse: Path) -> Check:
    from flows.warehouse.lock import holder

    held = holder(warehouse)
    if held is None:
        return Check("writer lock", OK, "free: no run is writing the warehouse")
    return Check(
        "writer lock",
        WARN,
        f"a run is writing now: pid {held.get('pid')} on {held.get('host')}, "
        f"started at {held.get('started_at')} ({held.get('command')})",
        "wait for it; another run would wait TERRAIN_LOCK_WAIT_SECONDS, then be refused",
    )
