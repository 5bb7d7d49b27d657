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


@pytest.mark.parametrize("name", ["run", "ingest"])
def test_exports_help_points_at_the_input_contract(name, capsys):
    with pytest.raises(SystemExit):
        main([name, "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "docs/input-contract.md" in out and "PRODUCT.md" not in out
    assert (PROJECT_DIR / "docs" / "input-contract.md").is_file()


def test_lang_offers_the_languages_of_the_seed(capsys):
    with pytest.raises(SystemExit):
        main(["brief", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "{fr,en}" in out and "fr (français) or en (English)" in out


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


def test_a_wrong_export_folder_fails_before_any_flow_starts(tmp_path, capsys):
    assert (
        main(
            [
                "ingest",
                "--exports",
                str(tmp_path / "nope"),
                "--warehouse",
                str(tmp_path / "w.duckdb"),
            ]
        )
        == 2
    )
    assert "export folder" in capsys.readouterr().err
    assert not (tmp_path / "w.duckdb").exists()


def test_an_invalid_intent_file_fails_before_any_flow_starts(tmp_path, capsys):
    bad = tmp_path / "intent.yaml"
    bad.write_text("company: {name: X, language: fr, currency: EURO}\noffers: []\n")
    assert main(["transform", "--intent", str(bad), "--warehouse", str(tmp_path / "w.duckdb")]) == 2
    assert "company.currency: expected an ISO 4217 code" in capsys.readouterr().err


@pytest.mark.parametrize(("option", "value"), [("--month", "2026-13"), ("--orders", "50")])
def test_bad_option_values_are_refused_by_the_parser(option, value, capsys):
    command = "demo" if option == "--orders" else "run"
    with pytest.raises(SystemExit) as exit_:
        main([command, option, value])
    assert exit_.value.code == 2
    assert option in capsys.readouterr().err


def test_demo_refuses_to_clear_a_folder_that_holds_no_demo(tmp_path, capsys):
    (tmp_path / "precious.txt").write_text("keep me")
    assert main(["demo", "--dir", str(tmp_path), "--generate-only"]) == 2
    assert "holds no earlier demo" in capsys.readouterr().err
    assert (tmp_path / "precious.txt").read_text() == "keep me"


def test_demo_starts_from_scratch_over_an_earlier_demo(tmp_path):
    assert main(["demo", "--dir", str(tmp_path), "--orders", "400", "--generate-only"]) == 0
    (tmp_path / "terrain.duckdb").write_text("an earlier warehouse")
    assert main(["demo", "--dir", str(tmp_path), "--orders", "300", "--generate-only"]) == 0
    assert not (tmp_path / "terrain.duckdb").exists()
    orders = (tmp_path / "exports" / "shop" / "orders.csv").read_text().splitlines()
    assert len(orders) == 301


def test_library_step_logs_are_silenced_even_when_verbose():
    import logging

    from flows.cli import silence_libraries

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.DEBUG)  # as with --verbose
    try:
        silence_libraries()
        # fontTools tells every font table it subsets (when WeasyPrint uses it),
        # WeasyPrint every step: only their warnings remain
        for name in ("fontTools.subset", "fontTools.ttLib", "weasyprint", "httpx"):
            logger = logging.getLogger(name)
            assert not logger.isEnabledFor(logging.INFO), name
            assert logger.isEnabledFor(logging.WARNING), name
    finally:
        root.setLevel(level)


def test_allow_partial_is_an_option_of_every_stage_that_checks_the_data():
    parser = build_parser()
    for command in ("run", "ingest", "transform", "brief"):
        args = parser.parse_args([command, "--allow-partial"])
        assert args.allow_partial is True, command
        assert parser.parse_args([command]).allow_partial is False, command
