"""`terrain doctor`: one line per check, a fix for what is wrong, secrets never shown."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flows import doctor
from flows.settings import EXAMPLES_DIR

TOKEN = "md-token-0123456789abcdefSECRET"


def _terrain_doctor(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", "doctor", *args],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "PREFECT_API_URL": "",
            "TERRAIN_DELIVERY": str(tmp_path / "delivery.yaml"),
            **env,
        },
        cwd=tmp_path,
        check=False,
    )


def _exports(tmp_path: Path) -> Path:
    shop = tmp_path / "exports" / "shop"
    shop.mkdir(parents=True)
    (shop / "orders.csv").write_text("order_id\nO1\n", encoding="utf-8")
    return tmp_path / "exports"


def test_a_broken_setup_fails_with_one_line_per_check_and_a_fix(tmp_path: Path) -> None:
    exports = _exports(tmp_path)
    (exports / "shop" / "customers.csv").symlink_to("/etc/passwd")
    (tmp_path / "intent.yaml").write_text("company: {name: X, language: de}\n", encoding="utf-8")
    result = _terrain_doctor(
        tmp_path,
        "--exports",
        str(exports),
        "--intent",
        str(tmp_path / "intent.yaml"),
        "--warehouse",
        str(tmp_path / "w.duckdb"),
        "--out",
        str(tmp_path / "briefs"),
    )
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    by_name = {line[6:21].strip(): line for line in lines[:-1]}
    assert len(by_name) == len(lines) - 1 == 12  # one line per check
    assert (
        by_name["intent file"].startswith("FAIL")
        and "fix: terrain check-intent" in by_name["intent file"]
    )
    assert by_name["export folder"].startswith("FAIL")
    assert "shop/customers.csv" in by_name["export folder"] and "fix:" in by_name["export folder"]
    assert by_name["warehouse"].startswith("warn")
    assert by_name["delivery"].startswith("ok") and "not e-mailed" in by_name["delivery"]
    assert lines[-1] == "12 checks, 2 failed"
    assert "root:x:0:0" not in result.stdout


def test_the_motherduck_token_is_said_present_never_shown(tmp_path: Path) -> None:
    args = ["--exports", str(_exports(tmp_path)), "--warehouse", "md:terrain"]
    present = _terrain_doctor(tmp_path, *args, MOTHERDUCK_TOKEN=TOKEN)
    assert "MotherDuck token present (in $MOTHERDUCK_TOKEN; not shown)" in present.stdout
    assert TOKEN not in present.stdout + present.stderr
    missing = _terrain_doctor(tmp_path, *args, MOTHERDUCK_TOKEN="", motherduck_token="")
    secrets = next(line for line in missing.stdout.splitlines() if "secrets" in line)
    assert secrets.startswith("FAIL") and "fix: set MOTHERDUCK_TOKEN" in secrets


def test_a_damaged_warehouse_fails(tmp_path: Path) -> None:
    warehouse = tmp_path / "terrain.duckdb"
    warehouse.write_bytes(b"not a database" * 1000)
    check = doctor.check_warehouse(warehouse)
    assert check.failed and "cannot be opened" in check.detail


def test_leftovers_of_a_killed_run_are_reported(tmp_path: Path) -> None:
    (tmp_path / ".terrain.duckdb.999999.partial").write_bytes(b"half a copy")
    check = doctor.check_interrupted(tmp_path / "terrain.duckdb", tmp_path / "briefs")
    assert check.status == doctor.WARN and "the next run finishes or removes them" in check.line()


def test_a_run_writing_now_is_named(tmp_path: Path) -> None:
    warehouse = tmp_path / "terrain.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                import sys, time
                from pathlib import Path
                from flows.warehouse.lock import writer_lock
                with writer_lock(Path(sys.argv[1]), command="terrain refresh"):
                    print("held", flush=True)
                    time.sleep(60)
                """
            ),
            str(warehouse),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        check = doctor.check_lock(warehouse)
        assert check.status == doctor.WARN
        assert f"pid {holder.pid}" in check.detail and "terrain refresh" in check.detail
    finally:
        holder.kill()
        holder.wait()
    assert doctor.check_lock(warehouse).status == doctor.OK


def test_an_unreachable_prefect_api_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    check = doctor.check_prefect_api()
    assert check.failed and "does not answer" in check.detail


def test_the_crash_test_switch_left_on_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERRAIN_KILL_AT", "publish.copied")
    check = doctor.check_configuration(Path("e"), Path("i"), Path("w"), Path("o"))
    assert check.failed and "TERRAIN_KILL_AT" in check.fix


def test_a_valid_intent_file_is_summarised() -> None:
    check = doctor.check_intent(EXAMPLES_DIR / "starter" / "intent.yaml")
    assert check.status == doctor.OK and "offers" in check.detail
