"""The data health check: the rules, the message, and the three moments it runs.

Rules (docs/architecture.md, "Data health"):

- `file_refused`: a file refused whole (a required column missing, unreadable, a link or
  a device refused unread): nothing of it loaded, and when it could not be read its
  rows could not even be counted;
- `too_many_rejects`: a file whose share of rejected rows is above its limit
  (`max_reject_share` in export-settings.yaml, default 5 %);
- `required_entity_empty`: a required entity (`contract.REQUIRED_ENTITIES`: shop orders,
  order lines, products and customers) with no row loaded from its current files, or
  no file at all;
- `too_many_excluded` (after the transform): orders or deals whose amount is left out of
  every figure because no exchange rate converts it, counted with the entity's
  rejected rows against the same limit.

Besides failures, the ingestion check warns (it does not fail the run) about the
values vendor files' value maps could not map (`value_warnings`): a column of a vendor
file where values with no map entry took the default on more than the file's
`max_reject_share` of its rows, or where the default (`other`) is the most frequent
value. Shopify's app ids as order sources are the case in point: read as `other`, they
would make "an unplanned channel" of most sales. The warning names the values and the
line to add to `export-settings.yaml`.

`check_ingest` reads the raw layer (`raw_<system>.ingest_files` and `ingest_rejects`),
`check_transform` reads `report.rpt_brief__data_health` and `marts.fct_amount_exclusions`;
both record what they found (`flows.health.store`) and raise DataHealthError when
something failed and partial data is not allowed; the caller logs what they return.
`check_before_brief` refuses to render a brief from data whose latest checks failed
without being allowed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from flows import settings
from flows.health import DataHealthError
from flows.health.store import latest_checks, record_check
from flows.ingest import contract
from flows.ingest.rejects import COLUMN_DROPPED

FILE_REFUSED = "file_refused"
TOO_MANY_REJECTS = "too_many_rejects"
REQUIRED_ENTITY_EMPTY = "required_entity_empty"
TOO_MANY_EXCLUDED = "too_many_excluded"
RULES = (FILE_REFUSED, TOO_MANY_REJECTS, REQUIRED_ENTITY_EMPTY, TOO_MANY_EXCLUDED)

INGEST = "ingest"
TRANSFORM = "transform"

TOP_REASONS = 3  # reasons (with an example each) named per failing file

_ALLOW = (
    "or run with --allow-partial (or allow_partial: true in "
    f"{settings.EXPORT_SETTINGS_FILE}) to render the brief anyway: its cover will say so."
)


@dataclass(frozen=True)
class Reason:
    """One kind of reject (or exclusion) in a file: how many rows, and the first example."""

    code: str
    rows: int | None  # None: the whole file (a refusal)
    line: int | None
    column: str | None
    value: str | None
    text: str

    def describe(self) -> str:
        count = "the whole file" if self.rows is None else f"{self.rows} row(s)"
        where = ", ".join(
            part
            for part in (
                f"line {self.line}" if self.line is not None else "",
                f"column {self.column}" if self.column else "",
                f"value '{self.value}'" if self.value is not None else "",
            )
            if part
        )
        example = f"e.g. {where}: " if where else ""
        return f"{self.code}, {count}; {example}{self.text}"


@dataclass(frozen=True)
class Failure:
    """One problem the check found, with its counts, its reasons and its fix."""

    rule: str
    system: str
    entity: str
    file: str | None
    rows_received: int | None = None
    rows_loaded: int | None = None
    rows_rejected: int | None = None
    rows_excluded: int | None = None
    share: float | None = None
    threshold: float | None = None
    reasons: tuple[Reason, ...] = ()
    fix: str = ""

    @property
    def subject(self) -> str:
        return self.file or f"{self.system}/{self.entity}"

    def headline(self) -> str:
        if self.rule == FILE_REFUSED:
            if self.rows_received is None:
                return f"{self.subject}: refused whole; its rows could not be counted"
            return (
                f"{self.subject}: refused whole; all {self.rows_received} of its rows "
                "rejected, none loaded"
            )
        if self.rule == TOO_MANY_REJECTS:
            return (
                f"{self.subject}: {self.rows_rejected} of {self.rows_received} rows rejected "
                f"({_percent(self.share)}, above the {_percent(self.threshold)} allowed); "
                f"{self.rows_loaded} loaded"
            )
        if self.rule == TOO_MANY_EXCLUDED:
            return (
                f"{self.subject}: {self.rows_excluded} of the {self.rows_loaded} rows loaded "
                f"have an amount no exchange rate converts, left out of every figure; with "
                f"the {self.rows_rejected} rejected that is {_percent(self.share)} of the "
                f"{self.rows_received} received, above the {_percent(self.threshold)} allowed"
            )
        if self.file is None and not self.rows_received:
            return (
                f"{self.subject}: no file in the export folder, and the brief needs it "
                "(a required entity)"
            )
        return (
            f"{self.subject}: no row loaded ({self.rows_received or 0} received, "
            f"{self.rows_rejected or 0} rejected), and the brief needs it (a required entity)"
        )

    def message(self) -> str:
        lines = [self.headline()]
        lines += [f"  - {reason.describe()}" for reason in self.reasons]
        if self.fix:
            lines.append(f"  Fix: {self.fix}")
        return "\n".join(lines)


@dataclass
class HealthCheck:
    """What one check found."""

    stage: str
    run_date: dt.date
    allow_partial: bool
    failures: list[Failure] = field(default_factory=list)
    checked_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    check_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    # worth telling, not failing the run (vendor values no value map knows)
    warnings: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures

    def message(self) -> str:
        told = "".join(f"\nwarning: {w}" for w in self.warnings)
        if self.passed:
            return f"data health check ({self.stage}): passed{told}"
        allowed = (
            "going on, as partial data is allowed: the brief will say so on its cover"
            if self.allow_partial
            else "the run stops here"
        )
        return (
            "\n".join(
                [
                    f"data health check ({self.stage}) failed, {len(self.failures)} problem(s); "
                    f"{allowed}:",
                    *(failure.message() for failure in self.failures),
                ]
            )
            + told
        )


def _percent(share: float | None) -> str:
    if share is None:
        return "?"
    return f"{share * 100:.1f} %".replace(".0 %", " %")


# ------------------------------------------------------------------------ ingestion


@dataclass(frozen=True)
class FileRow:
    system: str
    entity: str
    file: str
    rows_received: int | None
    rows_loaded: int
    rows_rejected: int | None
    is_refused: bool
    refusal: str | None
    max_reject_share: float


def file_rows(con: duckdb.DuckDBPyConnection) -> list[FileRow]:
    """Every export file of the raw layer with its counts (`ingest_files` of each system)."""
    parts = " union all by name ".join(
        f"select '{system}' as system, entity, file, rows_received, rows_loaded, rows_rejected, "
        f"is_refused, refusal, max_reject_share "
        f"from {settings.raw_dataset(system)}.{settings.FILES_TABLE}"
        for system in settings.SYSTEMS
    )
    rows = con.execute(f"select * from ({parts}) order by system, entity, file").fetchall()
    return [
        FileRow(
            system,
            entity,
            file,
            received,
            loaded or 0,
            rejected,
            bool(refused),
            refusal,
            contract.DEFAULT_MAX_REJECT_SHARE if share is None else share,
        )
        for system, entity, file, received, loaded, rejected, refused, refusal, share in rows
    ]


def _reasons(con: duckdb.DuckDBPyConnection) -> dict[str, list[Reason]]:
    """file -> its kinds of rejects, most rows first, each with its first example."""
    parts = " union all by name ".join(
        f"select file, line, column_name, value, reason, reason_code "
        f"from {settings.raw_dataset(system)}.{settings.REJECTS_TABLE}"
        for system in settings.SYSTEMS
    )
    rows = con.execute(
        f"""
        select
            file,
            coalesce(reason_code, 'other') as code,
            -- rows, not values: a row may break several rules of one kind
            count(distinct line) filter (where line is not null) as rows,
            bool_or(line is null) as is_whole_file,
            min_by(struct_pack(line, column_name, value, reason), coalesce(line, 0)) as example
        from ({parts})
        -- a dropped extra column rejects no row: it is a warning of the ingestion
        where coalesce(reason_code, '') <> '{COLUMN_DROPPED}'
        group by all
        order by file, is_whole_file desc, rows desc, code
        """
    ).fetchall()
    found: dict[str, list[Reason]] = {}
    for file, code, count, whole_file, example in rows:
        found.setdefault(file, []).append(
            Reason(
                code,
                None if whole_file and not count else count,
                example["line"],
                example["column_name"],
                example["value"],
                example["reason"],
            )
        )
    return found


def _file_fix(row: FileRow, exports_dir: Path | None) -> str:
    rejects = f"{settings.raw_dataset(row.system)}.{settings.REJECTS_TABLE}"
    where = f" ({exports_dir / row.file})" if exports_dir else ""
    return (
        f"correct the file{where} or {settings.EXPORT_SETTINGS_FILE} as the reasons say and "
        f"run again (every rejected row is in {rejects}, with its line, column, value and "
        f"reason); or, if these rows may be left out, raise max_reject_share for "
        f"{row.system}/{row.entity} in {settings.EXPORT_SETTINGS_FILE}; {_ALLOW}"
    )


def ingest_failures(
    con: duckdb.DuckDBPyConnection, exports_dir: Path | None = None
) -> list[Failure]:
    """The problems of the raw layer as the last ingestion left it."""
    files = file_rows(con)
    reasons = _reasons(con)
    failures: list[Failure] = []
    for row in files:
        share = (row.rows_rejected or 0) / row.rows_received if row.rows_received else None
        common = dict(
            system=row.system,
            entity=row.entity,
            file=row.file,
            rows_received=row.rows_received,
            rows_loaded=row.rows_loaded,
            rows_rejected=row.rows_rejected,
            share=share,
            threshold=row.max_reject_share,
            reasons=tuple(reasons.get(row.file, [])[:TOP_REASONS]),
        )
        if row.is_refused:
            failures.append(Failure(FILE_REFUSED, fix=_file_fix(row, exports_dir), **common))
        elif share is not None and share > row.max_reject_share:
            failures.append(Failure(TOO_MANY_REJECTS, fix=_file_fix(row, exports_dir), **common))
    for system, entity in contract.REQUIRED_ENTITIES:
        of_entity = [row for row in files if (row.system, row.entity) == (system, entity)]
        if any(row.rows_loaded for row in of_entity):
            continue
        received = sum(row.rows_received or 0 for row in of_entity)
        where = exports_dir / system if exports_dir else f"{system}/"
        fix = (
            f"export {system}/{entity} (.csv, .jsonl or .parquet) into {where} and run again; "
            if not of_entity
            else "correct its files as said above and run again; "
        ) + _ALLOW
        failures.append(
            Failure(
                REQUIRED_ENTITY_EMPTY,
                system,
                entity,
                None,
                rows_received=received,
                rows_loaded=0,
                rows_rejected=sum(row.rows_rejected or 0 for row in of_entity),
                fix=fix,
            )
        )
    return failures


@dataclass(frozen=True)
class ValueMapping:
    """What a vendor file's value map made of one column's values."""

    file: str
    entity: str
    column: str  # canonical
    source: str  # the vendor's header
    map_name: str | None
    rows: int
    unmapped_rows: int
    unmapped: tuple[tuple[str, str | None, int], ...]  # (value, taken as, rows), most first
    top_value: str | None  # the most frequent canonical value
    top_rows: int
    is_default_top: bool  # the most frequent value is what unmapped values take


def value_mappings(con: duckdb.DuckDBPyConnection) -> list[ValueMapping]:
    """Per vendor file and enumerated column, the values mapped and not mapped."""
    parts = " union all by name ".join(
        f"select v.*, f.max_reject_share from {settings.raw_dataset(system)}."
        f"{settings.VALUES_TABLE} as v inner join {settings.raw_dataset(system)}."
        f"{settings.FILES_TABLE} as f on f.file = v.file"
        for system in settings.SYSTEMS
    )
    rows = con.execute(
        f"""
        select file, entity, column_name, any_value(source_column), any_value(value_map),
            sum(rows),
            coalesce(sum(rows) filter (where not is_mapped), 0),
            list((vendor_value, mapped_to, rows) order by rows desc, vendor_value)
                filter (where not is_mapped),
            list((mapped_to, rows) order by rows desc)
        from ({parts})
        group by all
        order by file, column_name
        """
    ).fetchall()
    found: list[ValueMapping] = []
    for file, entity, column, source, map_name, total, unmapped_rows, unmapped, mapped in rows:
        by_value: dict[str | None, int] = {}
        for value, count in mapped:
            by_value[value] = by_value.get(value, 0) + count
        top_value, top_rows = max(by_value.items(), key=lambda item: item[1])
        default = unmapped[0][1] if unmapped else None
        found.append(
            ValueMapping(
                file,
                entity,
                column,
                source,
                map_name,
                int(total),
                int(unmapped_rows),
                tuple((v, m, int(n)) for v, m, n in (unmapped or [])),
                top_value,
                int(top_rows),
                bool(unmapped) and top_value == default,
            )
        )
    return found


def value_warnings(
    mappings: list[ValueMapping], thresholds: dict[str, float] | None = None
) -> list[str]:
    """The warnings of `value_mappings`: unmapped values above the file's share, or the
    default value on top. `thresholds`: file -> max_reject_share (default 5 %)."""
    warnings = []
    for mapping in mappings:
        limit = (thresholds or {}).get(mapping.file, contract.DEFAULT_MAX_REJECT_SHARE)
        share = mapping.unmapped_rows / mapping.rows if mapping.rows else 0.0
        if not mapping.unmapped or not (share > limit or mapping.is_default_top):
            continue
        values = ", ".join(
            f"'{value}' ({rows} rows, read as {taken or 'empty'})"
            for value, taken, rows in mapping.unmapped[:5]
        )
        more = f" and {len(mapping.unmapped) - 5} more" if len(mapping.unmapped) > 5 else ""
        warnings.append(
            f"{mapping.file}: {mapping.unmapped_rows} of {mapping.rows} rows "
            f"({_percent(share)}) have a {mapping.source} the format does not know, read as "
            f"the default: {values}{more}. Say what they are in "
            f"{settings.EXPORT_SETTINGS_FILE}: value_map: {{{mapping.map_name}: "
            f'{{"{mapping.unmapped[0][0]}": <value>}}}} (terrain check-exports lists the '
            "values it accepts)."
        )
    return warnings


def _ingest_warnings(con: duckdb.DuckDBPyConnection) -> list[str]:
    try:
        mappings = value_mappings(con)
    except duckdb.CatalogException:  # a warehouse loaded before vendor files existed
        return []
    thresholds = {row.file: row.max_reject_share for row in file_rows(con) if row.max_reject_share}
    return value_warnings(mappings, thresholds)


# ------------------------------------------------------------------------ transform


def transform_failures(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """Orders and deals left without an exchange rate, against the entity's limit."""
    rows = con.execute(
        """
        select system, entity, rows_received, rows_loaded, rows_rejected, rows_excluded,
            max_reject_share
        from report.rpt_brief__data_health
        where rows_excluded > 0
        order by system, entity
        """
    ).fetchall()
    examples = {
        (system, entity): Reason(code, count, None, "currency", currency, reason)
        for system, entity, code, count, currency, reason in con.execute(
            """
            select system, entity, any_value(reason_code), count(*),
                min_by(currency, amount_date), min_by(reason, amount_date)
            from marts.fct_amount_exclusions
            group by all
            """
        ).fetchall()
    }
    failures = []
    for system, entity, received, loaded, rejected, excluded, threshold in rows:
        threshold = contract.DEFAULT_MAX_REJECT_SHARE if threshold is None else threshold
        share = ((rejected or 0) + excluded) / received if received else None
        if share is None or share <= threshold:
            continue
        failures.append(
            Failure(
                TOO_MANY_EXCLUDED,
                system,
                entity,
                None,
                rows_received=received,
                rows_loaded=loaded,
                rows_rejected=rejected,
                rows_excluded=excluded,
                share=share,
                threshold=threshold,
                reasons=tuple(r for r in [examples.get((system, entity))] if r),
                fix=(
                    "add the missing rates to shop/exchange_rates (date, currency, rate: the "
                    "value of one unit of the currency in the company's currency) and run "
                    f"again (every order or deal left out is in marts.fct_amount_exclusions); "
                    f"or raise max_reject_share for {system}/{entity}; {_ALLOW}"
                ),
            )
        )
    return failures


# ---------------------------------------------------------------------- the checks


def _conclude(warehouse: Path, check: HealthCheck) -> HealthCheck:
    with duckdb.connect(str(warehouse)) as con:
        record_check(con, check)
    if not check.passed and not check.allow_partial:
        raise DataHealthError(check.message())
    return check


def check_ingest(
    warehouse: Path,
    allow_partial: bool = False,
    exports_dir: Path | None = None,
    today: dt.date | None = None,
) -> HealthCheck:
    """Check the raw layer after ingestion and record it; raise DataHealthError when it
    failed and partial data is not allowed. `exports_dir` only helps word the fixes."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        failures = ingest_failures(con, exports_dir)
        warnings = _ingest_warnings(con)
    check = HealthCheck(
        INGEST, today or settings.run_date(), allow_partial, failures, warnings=warnings
    )
    return _conclude(warehouse, check)


def check_transform(
    warehouse: Path, allow_partial: bool = False, today: dt.date | None = None
) -> HealthCheck:
    """Check the amounts left out by the transform and record it; partial data is
    allowed when `allow_partial` or when the latest ingestion check allowed it."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        failures = transform_failures(con)
        recorded = {c.stage: c for c in latest_checks(con)}
    ingest = recorded.get(INGEST)
    allowed = allow_partial or (ingest is not None and ingest.allow_partial)
    check = HealthCheck(TRANSFORM, today or settings.run_date(), allowed, failures)
    return _conclude(warehouse, check)


def check_before_brief(warehouse: Path, allow_partial: bool = False) -> list[str]:
    """Refuse (DataHealthError) to render from data whose latest checks failed without
    partial data being allowed; return the messages of the failed checks (allowed)."""
    if not Path(warehouse).exists():
        return []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        recorded = latest_checks(con)
    failed = [c for c in recorded if not c.passed]
    refused = [c for c in failed if not (c.allow_partial or allow_partial)]
    if refused:
        raise DataHealthError(
            "the warehouse's data failed its health check, so no brief is rendered from it "
            "(fix the data and run again, or render with --allow-partial):\n"
            + "\n".join(c.message for c in refused)
        )
    return [c.message for c in failed]
