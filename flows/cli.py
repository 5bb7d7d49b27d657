"""`terrain`: the command line for operations, analysts and newcomers.

Each pipeline subcommand runs the matching Prefect flow (flows/pipeline.py), so a
run from the shell is logged and retried exactly like a scheduled one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from flows import settings, shared_lists

log = logging.getLogger("terrain")


class CommandError(Exception):
    """A command line that cannot be carried out as given."""


# Commands that read files and print, without Prefect: they start in about a second
# (importing Prefect takes several), which matters in an edit loop.
LIGHT_COMMANDS = ("check-exports", "init")


def _user_errors(command: str | None = None) -> tuple[type[Exception], ...]:
    """Errors a user can cause and fix; anything else is a bug and keeps its traceback."""
    if command in LIGHT_COMMANDS:
        from flows.ingest.export_settings import ExportSettingsError
        from flows.intent.load import IntentError

        return (ExportSettingsError, IntentError, CommandError, FileNotFoundError)
    from flows.pipeline import USER_ERRORS
    from flows.serve import ServeError

    return (*USER_ERRORS, ServeError, CommandError, FileNotFoundError)


class _HideUserErrorTracebacks(logging.Filter):
    """Prefect logs a failed task or flow with its traceback; for an error the user
    must fix (a bad export, an invalid intent file) the message alone says it all."""

    def __init__(self, user_errors: tuple[type[Exception], ...]) -> None:
        super().__init__()
        self.user_errors = user_errors

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], self.user_errors):
            record.exc_info = None
            record.exc_text = None
        return True


def _month(value: str) -> str:
    """--month: YYYY-MM or 'latest', checked before any flow starts."""
    from flows.brief.period import MONTH_PATTERN

    if value != "latest" and not MONTH_PATTERN.match(value):
        raise argparse.ArgumentTypeError(f"'{value}' is not of the form YYYY-MM or 'latest'")
    return value


def _orders(value: str) -> int:
    number = int(value)
    if number < 200:
        raise argparse.ArgumentTypeError("the demo needs at least 200 orders to tell its stories")
    return number


def _languages_help() -> str:
    """The languages of --lang in words: "fr (français) or en (English)"."""
    names = [f"{language.id} ({language.label})" for language in shared_lists.languages()]
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]


def _path(value: str) -> Path:
    return Path(value).expanduser().resolve()


def _add_warehouse(parser: argparse.ArgumentParser) -> None:
    from flows.warehouse.target import warehouse_location

    parser.add_argument(
        "--warehouse",
        type=warehouse_location,
        default=settings.warehouse_path(),
        help="DuckDB file analysts open (default: $TERRAIN_WAREHOUSE or "
        "warehouse/terrain.duckdb); md:<database> for a MotherDuck database",
    )


def _add_brief_options(parser: argparse.ArgumentParser, default_month: str | None) -> None:
    parser.add_argument(
        "--month",
        type=_month,
        default=default_month,
        help="month of the brief, YYYY-MM; 'latest' = last complete month of the shop orders"
        + ("" if default_month else "; default: the previous calendar month"),
    )
    parser.add_argument(
        "--out",
        type=_path,
        default=settings.briefs_path(),
        help="folder for brief-YYYY-MM-<lang>.pdf and brief-YYYY-MM.json "
        "(default: $TERRAIN_OUT or warehouse/briefs)",
    )
    parser.add_argument(
        "--lang",
        choices=shared_lists.language_codes(),
        default=None,
        help=f"language of the brief, {_languages_help()} "
        "(default: the company language of the intent file)",
    )


def _add_exports(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--exports",
        type=_path,
        default=settings.exports_path(),
        help="export folder laid out as in docs/input-contract.md: shop/, crm/, support/ "
        "(default: $TERRAIN_EXPORTS or warehouse/exports)",
    )


def _add_allow_partial(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-partial",
        action="store_true",
        help="go on when the data health check fails (a required file with no row, a file "
        "with too many rejected rows, amounts without an exchange rate): the brief is "
        "rendered and says so on its cover. Without it such a run stops with exit code 2. "
        f"Also settable as allow_partial: true in {settings.EXPORT_SETTINGS_FILE}",
    )


def _add_send(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--send",
        action="store_true",
        help="e-mail the brief (PDF and JSON) as delivery.yaml says ($TERRAIN_DELIVERY or "
        "warehouse/delivery.yaml; README, 'Delivery by e-mail'); a failed send fails the "
        "command. The monthly schedule sends whenever that file exists",
    )


def _add_intent(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--intent",
        type=_path,
        default=settings.intent_path(),
        help="intent file (default: $TERRAIN_INTENT or warehouse/intent.yaml)",
    )


def build_parser() -> argparse.ArgumentParser:
    from flows.demo.signals_eval import DEMO_ORDERS, HELD_OUT_SEEDS, SMALL_ORDERS, TUNING_SEEDS

    parser = argparse.ArgumentParser(
        prog="terrain",
        description="Terrain turns what customers really do with your offers into a monthly "
        "strategy brief: exports -> dlt -> DuckDB -> dbt -> PDF, run by Prefect.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="more detailed logs")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser(
        "demo",
        help="generate the demo company and run the whole pipeline on it",
        description="Generate Atelier Garance, a fictional French company with 26 months of "
        "orders, CRM and support data and planted customer signals, then ingest, transform "
        "and write its brief for the last complete month. Everything goes under --dir.",
    )
    demo.add_argument(
        "--dir",
        type=_path,
        default=settings.DEFAULT_DEMO_DIR,
        help="folder for the demo's exports, warehouse and briefs (default: warehouse/demo)",
    )
    demo.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    demo.add_argument(
        "--orders", type=_orders, default=20_000, help="number of orders (default 20000)"
    )
    demo.add_argument(
        "--lang",
        choices=shared_lists.language_codes(),
        default=None,
        help=f"language of the brief, {_languages_help()} "
        "(default: French, the company's language)",
    )
    demo.add_argument(
        "--generate-only",
        action="store_true",
        help="only write the export files, intent file and ground truth",
    )

    run = sub.add_parser(
        "run",
        help="ingest, transform and write the brief on your own exports",
        description="Run everything on your own data: load the export folder, validate the "
        "intent file, build the warehouse models and write the brief of one month.",
    )
    _add_exports(run)
    _add_intent(run)
    _add_warehouse(run)
    _add_brief_options(run, default_month="latest")
    _add_allow_partial(run)
    _add_send(run)

    ingest = sub.add_parser(
        "ingest",
        help="load an export folder into the warehouse's raw datasets",
        description="Load every export file into raw_shop, raw_crm and raw_support, merging on "
        "primary keys. Unchanged files are skipped; rows that cannot be parsed go to "
        "<dataset>.ingest_rejects with file, line, column, value and reason. Then check the "
        "data's health: a required file with no row, or a file with too many rejected rows, "
        "fails with exit code 2.",
    )
    _add_exports(ingest)
    _add_warehouse(ingest)
    _add_allow_partial(ingest)

    transform = sub.add_parser(
        "transform",
        help="load the intent file and build + test the dbt models",
        description="Validate the intent file, write it to raw_intent, then `dbt build` the "
        "staging, intermediate, marts and report models (tests included).",
    )
    _add_intent(transform)
    _add_warehouse(transform)
    _add_allow_partial(transform)

    brief = sub.add_parser(
        "brief",
        help="write the PDF brief and findings JSON of one month (or of a range of months)",
        description="Render the brief of one month from the report tables of the warehouse "
        "(the published file: it never waits for a run that is writing). With --from and --to, "
        "render every month of the range (a backfill); running it again rewrites the same files.",
    )
    _add_warehouse(brief)
    _add_brief_options(brief, default_month=None)
    brief.add_argument(
        "--from", dest="month_from", type=_month, help="first month of a range, YYYY-MM"
    )
    brief.add_argument("--to", dest="month_to", type=_month, help="last month of a range, YYYY-MM")
    _add_allow_partial(brief)
    _add_send(brief)

    doctor = sub.add_parser(
        "doctor",
        help="check the configuration, the files, the warehouse and the services",
        description="Check everything a run needs, one line per check with how to fix what "
        "is wrong: configuration, intent file, export folder, secrets (never printed), "
        "system libraries and fonts, warehouse health and free disk space, Prefect API, "
        "writer lock. Exit code 1 when a check fails.",
    )
    _add_exports(doctor)
    _add_intent(doctor)
    _add_warehouse(doctor)
    doctor.add_argument(
        "--out",
        type=_path,
        default=settings.briefs_path(),
        help="folder of the briefs (default: $TERRAIN_OUT or warehouse/briefs)",
    )

    check = sub.add_parser(
        "check-intent",
        help="validate an intent file and list every problem",
        description="Validate an intent file: unknown keys, wrong types, dangling references "
        "and duplicate ids are reported with their line and key path.",
    )
    check.add_argument("intent", type=_path, help="path to intent.yaml")

    check_exports = sub.add_parser(
        "check-exports",
        help="say what an export folder would load, writing nothing",
        description="Read every file of an export folder as a run would (canonical files and "
        "vendor exports: Shopify, WooCommerce, HubSpot, Zendesk, Judge.me, Yotpo, "
        "Trustpilot), write nothing, and report per file: its format (declared or "
        "recognised), rows, the rows that would be rejected by reason with an example, "
        "dates, enumerated values and what they map to, a verdict (ready, needs a setting, "
        "unusable) with the line to add to export-settings.yaml; then how customers link "
        "across systems. Exit code 0 when every file is ready, 1 otherwise.",
    )
    check_exports.add_argument("exports", type=_path, help="the export folder")

    init = sub.add_parser(
        "init",
        help="write a commented export-settings.yaml and an intent file from an export folder",
        description="Look at an export folder and write DIR/export-settings.yaml (every "
        "vendor file with its format, the value maps still to fill, commented) and an intent "
        "file skeleton (offers from the product categories, the channels and segments seen) "
        "for you to edit. Existing files are never overwritten.",
    )
    init.add_argument("exports", type=_path, help="the export folder")
    init.add_argument(
        "--intent",
        type=_path,
        default=None,
        help="where to write the intent file (default: intent.yaml beside the folder)",
    )

    evaluate = sub.add_parser(
        "eval-signals",
        help="measure signal detection on the demo's realistic mode, tuning and held-out seeds",
        description="Generate the demo company in its realistic mode (overdispersed and "
        "seasonal themes, rises of 1.5x to 5x, one-month shocks, a review campaign, "
        "matching errors) for tuning seeds and held-out seeds, at each size; run detection "
        "(dbt build of the signal models) once per company and print, per group and size: "
        "recall and delay per planted effect, how long an established shift keeps a flag, "
        "shocks flagged in their month, false alarms on plain, overdispersed and seasonal "
        "controls, and the precision of each class. Choose thresholds with --groups tuning "
        "only; the held-out seeds are for reporting.",
    )
    evaluate.add_argument(
        "--tuning-seeds",
        type=int,
        nargs="+",
        default=list(TUNING_SEEDS),
        help="seeds thresholds may be chosen on (default %(default)s)",
    )
    evaluate.add_argument(
        "--held-out-seeds",
        type=int,
        nargs="+",
        default=list(HELD_OUT_SEEDS),
        help="seeds only reported, never tuned on (default %(default)s)",
    )
    evaluate.add_argument(
        "--groups",
        nargs="+",
        choices=["tuning", "held-out"],
        default=["tuning", "held-out"],
        help="which seed groups to run (default both)",
    )
    evaluate.add_argument(
        "--orders",
        type=int,
        nargs="+",
        default=[DEMO_ORDERS, SMALL_ORDERS],
        help="company sizes in orders (default: the demo's 20000 and a tenth of it)",
    )
    evaluate.add_argument(
        "--dir",
        type=_path,
        default=settings.DEFAULT_DEMO_DIR.parent / "eval-signals",
        help="working folder for the generated companies (default: warehouse/eval-signals)",
    )
    evaluate.add_argument(
        "--max-delay", type=int, default=3, help="months after the planted start (default 3)"
    )
    evaluate.add_argument(
        "--vars",
        default=None,
        help="dbt vars to try instead of dbt_project.yml's, e.g. '{signal_fdr: 0.1}'",
    )
    evaluate.add_argument(
        "--reuse",
        action="store_true",
        help="re-run detection only on companies already generated under --dir",
    )

    serve = sub.add_parser(
        "serve",
        help="run the scheduled flows on this machine, without a worker",
        description="Serve the nightly refresh (02:00 Europe/Paris) and the monthly brief "
        "(1st of the month, 06:00) from this process. Schedules need a real Prefect server: "
        "if PREFECT_API_URL is not set, a local `prefect server start` is launched first.",
    )
    serve.add_argument("--port", type=int, default=4200, help="port of the local Prefect server")
    return parser


def _clear_demo_dir(path: Path) -> None:
    """Start every demo from scratch: the warehouse merges, so an earlier demo of
    another seed or size would otherwise mix with the new one."""
    if not path.exists() or not any(path.iterdir()):
        return
    if not (path / "ground_truth.json").exists():
        raise CommandError(
            f"{path} is not empty and holds no earlier demo; choose an empty folder with --dir"
        )
    log.info("removing the earlier demo in %s", path)
    shutil.rmtree(path)


def cmd_demo(args: argparse.Namespace) -> int:
    from flows.demo.generator import generate_demo

    started = time.perf_counter()
    _clear_demo_dir(args.dir)
    log.info(
        "generating the demo company in %s (seed %s, %s orders)", args.dir, args.seed, args.orders
    )
    result = generate_demo(args.dir, seed=args.seed, orders=args.orders)
    log.info(
        "demo data written in %.1f s: %s",
        time.perf_counter() - started,
        ", ".join(f"{name} {count}" for name, count in result.counts.items()),
    )
    if args.generate_only:
        return 0
    from flows.pipeline import pipeline_flow

    outputs = pipeline_flow(
        exports_dir=str(result.exports_dir),
        intent_file=str(result.intent_path),
        warehouse=str(args.dir / "terrain.duckdb"),
        month=result.last_complete_month,
        out_dir=str(args.dir / "briefs"),
        lang=args.lang,
    )
    log.info("demo finished in %.0f s", time.perf_counter() - started)
    for path in outputs:
        print(path)
    return 0


def _check_inputs(args: argparse.Namespace) -> None:
    """Fail in a second on a wrong path or an invalid intent file, before Prefect starts."""
    exports = getattr(args, "exports", None)
    if exports is not None and not exports.is_dir():
        raise CommandError(f"export folder {exports} does not exist; check --exports")
    intent = getattr(args, "intent", None)
    if intent is not None:
        from flows.intent.load import load_intent

        load_intent(intent)


def cmd_run(args: argparse.Namespace) -> int:
    from flows.pipeline import pipeline_flow

    outputs = pipeline_flow(
        exports_dir=str(args.exports),
        intent_file=str(args.intent),
        warehouse=str(args.warehouse),
        month=args.month,
        out_dir=str(args.out),
        lang=args.lang,
        allow_partial=args.allow_partial,
        send=args.send,
    )
    for path in outputs:
        print(path)
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from flows.pipeline import ingest_flow

    ingest_flow(
        exports_dir=str(args.exports),
        warehouse=str(args.warehouse),
        allow_partial=args.allow_partial,
    )
    return 0


def cmd_transform(args: argparse.Namespace) -> int:
    from flows.pipeline import transform_flow

    transform_flow(
        intent_file=str(args.intent),
        warehouse=str(args.warehouse),
        allow_partial=args.allow_partial,
    )
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    from flows.pipeline import brief_flow, briefs_flow

    if args.month_from or args.month_to:
        if not (args.month_from and args.month_to) or args.month:
            raise CommandError("give --from and --to together, without --month")
        if "latest" in (args.month_from, args.month_to):
            raise CommandError("--from and --to take months written YYYY-MM")
        if args.send:
            raise CommandError(
                "--send sends one month's brief: use it with --month, not --from/--to"
            )
        paths = briefs_flow(
            month_from=args.month_from,
            month_to=args.month_to,
            warehouse=str(args.warehouse),
            out_dir=str(args.out),
            lang=args.lang,
            allow_partial=args.allow_partial,
        )
    else:
        paths = brief_flow(
            month=args.month,
            warehouse=str(args.warehouse),
            out_dir=str(args.out),
            lang=args.lang,
            allow_partial=args.allow_partial,
            send=args.send,
        )
    for path in paths:
        print(path)
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from flows.doctor import run_checks

    checks = run_checks(args.exports, args.intent, args.warehouse, args.out)
    for check in checks:
        print(check.line())
    failed = [c for c in checks if c.failed]
    print(
        f"{len(checks)} checks, {len(failed)} failed" if failed else f"{len(checks)} checks, all ok"
    )
    return 1 if failed else 0


def cmd_check_intent(args: argparse.Namespace) -> int:
    from flows.intent.load import load_intent

    intent = load_intent(args.intent)
    print(
        f"{args.intent}: valid — {len(intent.offers)} offers, {len(intent.themes)} themes, "
        f"{len(intent.segments)} segments, {len(intent.decisions)} decisions"
    )
    return 0


def cmd_check_exports(args: argparse.Namespace) -> int:
    from flows.ingest.check_exports import READY, check_exports, format_report

    result = check_exports(args.exports)
    print(format_report(result))
    return 0 if result.verdict == READY else 1


def cmd_init(args: argparse.Namespace) -> int:
    from flows.ingest.init_folder import init_folder

    for line in init_folder(args.exports, args.intent):
        print(line)
    return 0


def cmd_eval_signals(args: argparse.Namespace) -> int:
    from flows.demo.signals_eval import evaluate, format_report

    seeds = {"tuning": args.tuning_seeds, "held-out": args.held_out_seeds}
    groups = {group: seeds[group] for group in args.groups}
    scores = evaluate(groups, args.orders, args.dir, dbt_vars=args.vars, reuse=args.reuse)
    print(format_report(scores, args.max_delay))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from flows.serve import serve_schedules

    serve_schedules(port=args.port)
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "demo": cmd_demo,
    "run": cmd_run,
    "ingest": cmd_ingest,
    "transform": cmd_transform,
    "brief": cmd_brief,
    "check-intent": cmd_check_intent,
    "check-exports": cmd_check_exports,
    "init": cmd_init,
    "doctor": cmd_doctor,
    "eval-signals": cmd_eval_signals,
    "serve": cmd_serve,
}


# Loggers of libraries that would otherwise fill the log with their steps: each Prefect
# API call (httpx), each WeasyPrint step, and fontTools' font subsetting (when HarfBuzz's
# subsetter is missing, WeasyPrint subsets fonts with fontTools, which tells every table
# it prunes: more than half of a demo run's lines).
NOISY_LOGGERS = ("httpx", "httpcore", "weasyprint", "weasyprint.progress", "fontTools")


def silence_libraries() -> None:
    """Keep only the warnings of NOISY_LOGGERS, even with --verbose."""
    for noisy in NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
        stream=sys.stderr,
    )
    silence_libraries()
    user_errors = _user_errors(args.command)
    checked = {"run", "ingest", "transform"}
    for name in ("prefect.flow_runs", "prefect.task_runs"):
        logging.getLogger(name).addFilter(_HideUserErrorTracebacks(user_errors))
    try:
        if args.command in checked:
            _check_inputs(args)
        return COMMANDS[args.command](args)
    except user_errors as error:
        print(f"terrain {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            f"terrain {args.command}: interrupted at {dt.datetime.now():%H:%M:%S}", file=sys.stderr
        )
        return 130


if __name__ == "__main__":
    sys.exit(main())
