"""docs/input-contract.md, written from the contract and the parsing rules in code.

`input_contract()` renders the page: every file, column, type, required flag,
enumeration, range and multi-valued column of `flows.ingest.contract`, and the rules
the readers and casts apply (delimiters, decimal marks, dates, encodings), quoting
the constants the code uses. `python -m flows.docs` writes it; a test fails when the
committed page differs from what this module renders, so the page cannot drift.
"""

from __future__ import annotations

from flows import settings
from flows.ingest import contract
from flows.ingest.contract import Column, Entity
from flows.ingest.deleted import DELETED_AT, DELETES_SUFFIX
from flows.ingest.export_settings import (
    DATE_DIRECTIVES,
    DECIMALS,
    DELIMITERS,
    INCREMENT,
    ISO,
    SNAPSHOT,
    FileFormat,
)
from flows.ingest.raw_layer import DUCKDB_TYPES
from flows.ingest.readers import EXTENSIONS
from flows.ingest.rejects import MAX_REASON_CHARS, MAX_VALUE_CHARS, QUOTED_CHARS, REASON_CODES

_TYPES = {
    contract.TEXT: "any text; trimmed of surrounding spaces, blank is empty",
    contract.INTEGER: "a whole number: `3`, `-2`, `1 200`",
    contract.DECIMAL: "a number in the file's decimal mark: `12.5`, or `12,5` with a decimal comma",
    contract.TIMESTAMP: "a date-time, or a date alone (midnight), in the file's date format",
    contract.DATE: "a calendar date in the file's date format, taken as written (no time zone)",
}


def input_contract() -> str:
    """The text of docs/input-contract.md."""
    parts = [
        _INTRO.format(
            extensions="|".join(extension.lstrip(".") for extension in EXTENSIONS),
            systems=", ".join(f"`{s}`" for s in settings.SYSTEMS),
            settings_file=settings.EXPORT_SETTINGS_FILE,
        ),
        _types(),
        *(_entity(entity) for entity in contract.ENTITIES),
        _VALUES.format(
            min_year=contract.MIN_YEAR,
            max_year=contract.MAX_YEAR,
            events=", ".join(
                f"{system}/{entity}.{contract.DATE_COLUMNS[(system, entity)]}"
                for system, entity in contract.EVENT_ENTITIES
            ),
            currencies=", ".join(f"{s}/{e}.{c}" for s, e, c in contract.CURRENCY_COLUMNS),
            earliest=contract.DEFAULT_EARLIEST_YEAR,
            settings_file=settings.EXPORT_SETTINGS_FILE,
        ),
        _ranges(),
        _multi_valued(),
        _EXCHANGE_RATES,
        _export_settings(),
        _DELETED.format(suffix=DELETES_SUFFIX, deleted_at=DELETED_AT),
        _REJECTS.format(
            max_chars=MAX_VALUE_CHARS,
            quoted=QUOTED_CHARS,
            reason_chars=MAX_REASON_CHARS,
            rejects=settings.REJECTS_TABLE,
            files=settings.FILES_TABLE,
        ),
        _reason_codes(),
        _BOUNDARY,
        _health(),
    ]
    return "\n".join(part.rstrip() + "\n" for part in parts)


_INTRO = """\
# Input contract: the canonical export files

<!-- Generated from flows/ingest/contract.py and the parsing rules of flows/ingest/ by
`python -m flows.docs`; edit the code, not this page (tests/test_docs.py compares them). -->

Besides its API connectors, Terrain reads a folder of export files that any company
can produce, in one documented shape:

    <exports>/<system>/<entity>.({extensions})

- Systems: {systems}. An absent system or file is simply not loaded (its raw table
  still exists, empty).
- Folder, file and extension names are matched whatever their case
  (`Shop/Orders.CSV` is `shop/orders`). Other files in a system folder are ignored, and
  reported as such.
- An entity may have several files (`orders.csv` and `orders.jsonl`): they are read in
  name order, and a primary key already loaded from an earlier file is rejected in the
  later ones.
- Column names are matched whatever their case and surrounding spaces. Columns marked
  required must be in the file, and filled on every row. Unknown extra columns are
  kept, as text, in the raw layer, and ignored downstream.
- How the files are written (delimiter, decimal mark, date format, encoding, time
  zone) is told by an optional `<exports>/{settings_file}`; see the end of this page.
- Files exported by Shopify, WooCommerce, HubSpot, Zendesk, Judge.me, Yotpo or
  Trustpilot are read as those tools write them, under any name, at the top of the
  folder or in a system folder: see [vendor-formats.md](vendor-formats.md).
  `terrain check-exports <exports>` says what a folder would load, writing nothing.
"""


def _types() -> str:
    rows = [
        f"| {name} | {_TYPES[name]} | {DUCKDB_TYPES[name].upper()} |"
        for name in (
            contract.TEXT,
            contract.INTEGER,
            contract.DECIMAL,
            contract.TIMESTAMP,
            contract.DATE,
        )
    ]
    return "\n".join(
        [
            "## Column types",
            "",
            "| type | written as | stored in the raw layer as |",
            "|---|---|---|",
            *rows,
            "",
            "Timestamps are stored in UTC. Extra columns are stored as VARCHAR.",
        ]
    )


def _entity(entity: Entity) -> str:
    lines = [
        f"## {entity.system}/{entity.name}",
        "",
        f"One row per {', '.join(f'`{k}`' for k in entity.primary_key)} (the primary key: "
        "rows are merged on it).",
    ]
    for group in entity.one_of:
        names = " or ".join(f"`{name}`" for name in group)
        lines.append(f"At least one of {names} must be in the file and filled on every row.")
    lines += ["", "| column | type | required | values |", "|---|---|---|---|"]
    for column in entity.columns:
        lines.append(
            f"| {column.name} | {column.type} | {'yes' if column.required else ''} "
            f"| {_values(entity, column)} |"
        )
    return "\n".join(lines)


def _values(entity: Entity, column: Column) -> str:
    key = (entity.system, entity.name, column.name)
    notes = []
    enumeration = contract.ENUMERATIONS.get(key)
    if enumeration is not None:
        text = ", ".join(f"`{value}`" for value in enumeration.values)
        notes.append(text + (f" ({enumeration.note})" if enumeration.note else ""))
    rule = contract.RANGE_RULES.get(key)
    if rule is not None:
        notes.append(rule.describe())
    separators = contract.MULTI_VALUED.get(key)
    if separators is not None:
        notes.append("several values, separated by " + _separators(separators))
    if key in contract.CURRENCY_COLUMNS:
        notes.append("an ISO 4217 code (`EUR`, `usd`...)")
    entity_key = (entity.system, entity.name)
    if entity_key in contract.EVENT_ENTITIES and contract.DATE_COLUMNS[entity_key] == column.name:
        notes.append("an event: not after the day of the run, not before `earliest_year`")
    if key in contract.FREE_TEXT:
        notes.append("free text: markup removed and personal data redacted before staging")
    for name in contract.PERSON_NAMES:
        if (name.system, name.entity, name.column) == key:
            where = ""
            if name.when is not None:
                values = " or ".join(f"`{value}`" for value in name.when[1])
                where = f" when {name.when[0]} is {values}"
            notes.append(f"a person's name{where}: removed from all free text, kept in raw only")
    return "; ".join(notes)


def _separators(separators: tuple[str, ...]) -> str:
    return " or ".join(f"`{s}`" if s != "|" else "`\\|`" for s in separators)


_VALUES = """\
## Values

A value that breaks one of these rules rejects its row (see "Rejected rows" below).

- **Text** is trimmed of surrounding whitespace (inner text is kept); blank text is
  empty (NULL). A required column must not be empty.
- **Numbers** written as text use the file's decimal mark and may group thousands with
  spaces (`1 234,50`); a sign is allowed, an exponent is not (`1e3` is rejected). With a
  decimal comma, a dot is rejected (`1.234` could be a thousand or one). NaN and infinity
  are rejected, whatever the format.
- **Dates** must fall in the years {min_year} to {max_year}: a pattern's `%Y` needs
  the year with 4 digits (`05/03/24` read by `%d/%m/%Y` is the year 24, rejected). A
  date alone (`2024-03-31`, a pattern's date part, a Parquet `date` column) means
  midnight in the file's time zone, like a date-time written without an offset; a
  value with an offset (or a Parquet timestamp with a zone) keeps its own. An
  impossible date (`31/02/2024`) is rejected, not moved to March.
- **Event dates** ({events}) cannot be after the day of the run (in UTC: an event
  dated tomorrow has not happened) nor before the export's `earliest_year` (default
  {earliest}, settable in `{settings_file}`); either rejects the row with its reason.
- **Amounts** (prices, totals, discounts, deal amounts) are never negative: a refund is
  a row of shop/returns or an order status (`refunded`). See "Ranges".
- **Currencies** ({currencies}) are ISO 4217 codes, in any case (`eur` is `EUR`);
  `EURO`, `€` or an unknown code rejects the row. Amounts in another currency than the
  company's are converted with shop/exchange_rates (below).
- **JSONL**: one JSON object per line (blank lines are skipped); numbers may be JSON
  numbers or text; a nested value is kept as JSON text.
- **Parquet**: typed columns are read as they are (a text column as text); lists and
  structs are kept as JSON text.
- **CSV**: the first non-blank line is the header, and must not repeat a column name;
  values may be quoted with `"` (a quoted value may span several lines); a line with
  more or fewer values than the header is rejected.
- **Encoding**: a line (CSV, JSONL) holding bytes that are not valid in the file's
  encoding is rejected ("not valid utf-8", with its line) and the others load. A
  header that cannot be decoded refuses the whole file, and so does a bad byte in a
  file whose encoding does not end lines with a single byte (UTF-16, UTF-32).
- A file with no bytes, or only blanks, loads zero rows with a warning; a file missing
  a required column loads nothing (see "Rejected rows").
"""


def _ranges() -> str:
    rows = [
        f"| {system}/{entity} | {column} | {rule.describe()} | {rule.why} |"
        for (system, entity, column), rule in contract.RANGE_RULES.items()
    ]
    return "\n".join(
        [
            "## Ranges",
            "",
            "A number outside its column's range rejects its row.",
            "",
            "| file | column | range | why |",
            "|---|---|---|---|",
            *rows,
        ]
    )


def _multi_valued() -> str:
    rows = [
        f"| {system}/{entity} | {column} | {_separators(separators)} |"
        for (system, entity, column), separators in contract.MULTI_VALUED.items()
    ]
    return "\n".join(
        [
            "## Multi-valued columns",
            "",
            "These columns hold several values in one text; the raw layer keeps the text as",
            "written, and the warehouse splits it into trimmed values.",
            "",
            "| file | column | separated by |",
            "|---|---|---|",
            *rows,
        ]
    )


_EXCHANGE_RATES = """\
## Money in other currencies: shop/exchange_rates

Orders (and deal amounts) may be in any currency. The figures of the brief are in the
company's currency (`company.currency` in the intent file): an amount in another
currency is converted with the optional file `shop/exchange_rates`, whose `rate` is
the value of one unit of `currency` in the company's currency on `date`; an amount
takes the rate of its own date (in the company's time zone), or else of the latest
earlier date. An order no rate converts is left out of every figure (never summed
raw) and listed in `marts.fct_amount_exclusions` with its reason ("no exchange rate
for USD on or before 2025-03-02: add it to shop/exchange_rates"); it counts against
the orders' `max_reject_share` in the data health check. A deal without a currency is
in the company's.

```csv
date,currency,rate
2025-01-01,USD,0.92
2025-02-01,USD,0.95
```
"""


def _reason_codes() -> str:
    rows = [f"| `{code}` | {meaning} |" for code, meaning in REASON_CODES.items()]
    return "\n".join(
        [
            "### Reason codes",
            "",
            "Each reject's `reason_code`, by which the data health check counts them:",
            "",
            "| reason_code | what it counts |",
            "|---|---|",
            *rows,
        ]
    )


def _health() -> str:
    required = ", ".join(f"{system}/{entity}" for system, entity in contract.REQUIRED_ENTITIES)
    share = f"{contract.DEFAULT_MAX_REJECT_SHARE:.0%}".replace("%", " %")
    return "\n".join(
        [
            "## Data health: when a run fails",
            "",
            "After the load, a check (`flows/health/check.py`) decides whether the data can",
            "carry a brief. The run fails (exit code 2 from `terrain`, a Failed Prefect",
            "state, no brief) when:",
            "",
            f"- a required file has no row loaded, or is missing: {required};",
            "- a file is refused whole (a required column missing, a file that cannot be read);",
            f"- a file's share of rejected rows is above `max_reject_share` (default {share},",
            f"  settable per file, system or for every file in `{settings.EXPORT_SETTINGS_FILE}`);",
            "- after the transform, orders (or deals) rejected or left without an exchange",
            "  rate are together above the same share of the rows received.",
            "",
            "The message names each file with its counts, its most frequent reasons (an",
            "example each: line, column, value) and the fix. `--allow-partial` (on `terrain",
            "run`, `ingest`, `transform`, `brief`), the flows' `allow_partial` parameter, or",
            f"`allow_partial: true` at the top of `{settings.EXPORT_SETTINGS_FILE}` let the run",
            "go on: the checks are recorded as failed but allowed (`raw_health.checks`), and",
            "the brief says so on its cover. Every file's counts are in",
            f"`raw_<system>.{settings.FILES_TABLE}` and, per entity, in",
            "`report.rpt_brief__data_health`.",
        ]
    )


def _export_settings() -> str:
    defaults = FileFormat()
    directives = " ".join(f"`%{d}`" for d in sorted(DATE_DIRECTIVES - {"%"}))
    return "\n".join(
        [
            f"## How the files are written: `{settings.EXPORT_SETTINGS_FILE}`",
            "",
            f"Without `{settings.EXPORT_SETTINGS_FILE}`, every file is a standard CSV. With",
            "it, `defaults`, then `systems.<system>`, then `files.<system>/<entity>`",
            "override these keys one by one (its JSON Schema, for editors:",
            "[export-settings.schema.json](export-settings.schema.json)):",
            "",
            "| key | default | accepted |",
            "|---|---|---|",
            f"| delimiter | {_yaml(defaults.delimiter)} | {_delimiters()} |",
            f"| decimal | {_yaml(defaults.decimal)} | "
            + " or ".join(_yaml(d) for d in DECIMALS)
            + " |",
            f"| date_format | `{defaults.date_format}` | `{ISO}` (ISO 8601: `2024-03-31`, "
            "`2024-03-31T14:30:00`, `2024-03-31 14:30:00+02:00`, `...Z`), or a strftime "
            f"pattern made of {directives} that gives the year, month and day; a date-time "
            "pattern also accepts the date alone |",
            f"| encoding | `{defaults.encoding}` | any encoding Python knows: `utf-8` (a "
            "byte-order mark is accepted), `utf-8-sig`, `latin-1`, `cp1252`... |",
            f"| timezone | `{defaults.timezone}` | an IANA time zone name such as "
            "`Europe/Paris`: the zone of timestamps written without an offset |",
            f"| mode | `{defaults.mode}` | `{SNAPSHOT}`: the file holds every row of the "
            "entity, and a row missing from a new file is marked deleted (see Deleted "
            f"rows); `{INCREMENT}`: only rows added or changed since the previous export, "
            "deletions come in a deletes file |",
            f"| earliest_year | `{defaults.earliest_year}` | a year with 4 digits: event dates "
            "before it are rejected |",
            f"| max_reject_share | `{defaults.max_reject_share}` | a share from 0 to 1 (`0.05`) "
            "or a percentage (`5%`): above it, the data health check fails the run |",
            "",
            "At the top level, `allow_partial: true` (default `false`) lets a run whose data",
            'fails the health check go on and render its brief, which says so (see "Data',
            'health" below).',
            "",
            "```yaml",
            'defaults: {delimiter: ";", decimal: ","}',
            "systems:",
            '  support: {date_format: "%d/%m/%Y %H:%M", timezone: Europe/Paris}',
            "files:",
            '  support/tickets: {date_format: "%d/%m/%Y"}',
            "  shop/orders: {earliest_year: 2015, max_reject_share: 2%}",
            "```",
        ]
    )


def _yaml(written: str) -> str:
    """How a value is written in the YAML file, in Markdown."""
    if written == "\t":
        return '`"\\t"`'  # a tab: double quotes read the escape
    if written == "\\t":
        return "`'\\t'`"  # single quotes keep the backslash: read as a tab too
    return f"`{written}`" if written.isalpha() else f'`"{written}"`'


def _delimiters() -> str:
    """The accepted delimiters, grouped by the character each one means."""
    groups: dict[str, list[str]] = {}
    for written, meant in DELIMITERS.items():
        groups.setdefault(meant, []).append(_yaml(written))
    return ", ".join(
        " or ".join(forms) if meant != "\t" else "a tab: " + ", ".join(forms)
        for meant, forms in groups.items()
    )


_DELETED = """\
## Deleted rows: snapshots and increments

A file is a snapshot (`mode: snapshot`, the default: it holds every row of its entity)
or an increment (`mode: increment`: only rows added or changed since the previous
export), set in `export-settings.yaml` per file, per system or for all. A raw row is
never removed: `{deleted_at}` (UTC) says when it was deleted, NULL while it is in the
exports, and the warehouse models leave deleted rows out.

- Snapshot: when an entity's files are read again, a row loaded earlier and in none of
  them is marked deleted; if it comes back in a later file it is live again. A row
  rejected for a bad value is still in the export: it is not deleted (its last good
  version stays). Nothing is marked deleted when a file of the entity is empty (no
  bytes), misses required columns, cannot be read, has lines that cannot be split into
  values, or when every file of the entity is gone: such exports prove nothing about
  which rows went. A header without rows is an empty snapshot.
- Deletes file, for increments (honoured for snapshots too):
  `<system>/<entity>{suffix}.csv|.jsonl|.parquet` lists the primary key of each
  deleted row (same columns as the entity's key, required) and optionally
  `deleted_at` (when; the load time otherwise). It is read when it changes and
  whenever a file of its entity is read, and wins over the data files: a row it lists
  stays deleted while it lists it. Its bad lines are rejects like any other.

Change detection is by content: a file is read again when the SHA-256 of its bytes (and
of its export settings) changed. Its size, modification time, inode and change time
(ctime, which a user cannot set back) only let an unchanged file be skipped without
hashing it; a file edited in place with its old size and modification time is read
again.
"""


_BOUNDARY = """\
## The export folder is a boundary

Only regular files inside the export folder are read. A symbolic link (even to a file
inside the folder), a device, a named pipe or a socket, whether a system folder, an
export file or `export-settings.yaml`, is refused unread: nothing of it is read or
stored. A refused export file counts as a file not loaded (one reject without a line,
reason code `refused_file`, a row of `ingest_files` whose rows are not counted), and the
data health check fails the run for it after the others load; a refused system folder
is a source that could not be loaded (the other systems load, then the run fails and
the brief shows that source as stale); a refused entry with another name is reported
and skipped.
"""


_REJECTS = """\
## Rejected rows

A row with a value that breaks the rules above (or an empty required value, or a
primary key already loaded) is not loaded: each value at fault becomes one row of
`raw_<system>.{rejects}`, with the file, the line, the column, the value as written
(cut to {max_chars} characters), the reason in plain words (quoting at most {quoted}
characters of the value, at most {reason_chars} characters in all) and its
`reason_code`. Values and reasons are redacted before they are stored: secret
assignments (`API_KEY=...`), credentials in URLs and long key-like strings become
`[secret]` or `[token]`, and personal data (e-mails, phones, bank details, cards,
addresses, names) the tokens of the customer-voice redactor (`[email]`, `[phone]`...).
Lines are the file's lines as an editor shows them (CSV: the line where the record
starts; the header is line 1 unless blank lines precede it; a line that cannot be
decoded is named itself); Parquet has no lines: the row's position, first row = 1. A
file missing a required column, that cannot be read at all (broken Parquet, an
undecodable header) or that is refused unread (a link, a device, a path outside the
export folder: see "The export folder is a boundary"), is one reject without a line
and loads nothing; the others load, and the data health check then fails the run
(below). An extra column whose stored name
(snake_case, as dlt names columns) would be that of another column is dropped with a
warning and one reject; the rest of the file loads.

Every file read has one row in `raw_<system>.{files}`: rows received, loaded and
rejected (received = loaded + rejected: a file refused whole counts all its rows as
rejected, and has no counts, said so, when it could not even be read), its first and
last date, and the limits it is checked against.
"""
