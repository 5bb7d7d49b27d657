"""The command line: every subcommand explains itself; user errors are clear, not tracebacks."""

import subprocess
import sys

import pytest

from flows.cli import build_parser, main
from flows.settings import PROJECT_DIR

SUBCOMMANDS = ["demo", "run", "ingest", "transform", "brief", "check-intent", "serve"]


def test_help_lists_every_subcommand(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for name in SUBCOMMANDS:
        assert name in out


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_each_subcommand_has_help(name, capsys):
    with pytest.raises(SystemExit):
        main([name, "--help"])
    assert len(capsys.readouterr().out) > 200


def test_run_accepts_the_documented_options(tmp_path):
    args = build_parser().parse_args(
        [
            "run",
            "--exports",
            str(tmp_path),
            "--intent",
            str(tmp_path / "i.yaml"),
            "--warehouse",
            str(tmp_path / "w.duckdb"),
            "--month",
            "2026-10",
            "--out",
            str(tmp_path / "out"),
            "--lang",
            "en",
        ]
    )
    assert (args.month, args.lang, args.out.name) == ("2026-10", "en", "out")


def test_check_intent_reports_problems_with_exit_2(tmp_path, capsys):
    bad = tmp_path / "intent.yaml"
    bad.write_text("company: {name: X, language: de, currency: EUR}\noffers: []\n")
    assert main(["check-intent", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "line 1: company.language: 'de' is not one of: fr, en" in err
    assert "Traceback" not in err


def test_console_script_is_installed():
    result = subprocess.run(
        [sys.executable, "-m", "flows.cli", "check-intent", "examples/starter/intent.yaml"],
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT_DIR,
    )
    assert result.returncode == 0, result.stderr
    assert "valid — 2 offers, 8 themes" in result.stdout
