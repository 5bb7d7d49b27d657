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
from flows.ingest.rejects import MAX_REASON_CHARS, MAX_VALUE_CHARS, QUOTED_CHARS

_TYPES = {
    contract.TEXT: "any text; trimmed of surrounding spaces, blank is empty",
    contract.INTEGER: "a whole number: `3`, `-2`, `1 200`",
    contract.DECIMAL: "a number in the file's decimal mark: `12.5`, or `12,5` with a decimal comma",
    contract.TIMESTAMP: "a date-time, or a date alone (midnight), in the file's date format",
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
        _VALUES.format(min_year=contract.MIN_YEAR, max_year=contract.MAX_YEAR),
        _ranges(),
        _multi_valued(),
        _export_settings(),
        _DELETED.format(suffix=DELETES_SUFFIX, deleted_at=DELETED_AT),
        _REJECTS.format(
            max_chars=MAX_VALUE_CHARS,
            quoted=QUOTED_CHARS,
            reason_chars=MAX_REASON_CHARS,
            rejects=settings.REJECTS_TABLE,
        ),
        _BOUNDARY,
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
"""


def _types() -> str:
    rows = [
        f"| {name} | {_TYPES[name]} | {DUCKDB_TYPES[name].upper()} |"
        for name in (contract.TEXT, contract.INTEGER, contract.DECIMAL, contract.TIMESTAMP)
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
- **JSONL**: one JSON object per line (blank lines are skipped); numbers may be JSON
  numbers or text; a nested value is kept as JSON text.
- **Parquet**: typed columns are read as they are (a text column as text); lists and
  structs are kept as JSON text.
- **CSV**: the first non-blank line is the header, and must not repeat a column name;
  values may be quoted with `"` (a quoted value may span several lines); a line with
  more or fewer values than the header is rejected.
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
            "",
            "```yaml",
            'defaults: {delimiter: ";", decimal: ","}',
            "systems:",
            '  support: {date_format: "%d/%m/%Y %H:%M", timezone: Europe/Paris}',
            "files:",
            '  support/tickets: {date_format: "%d/%m/%Y"}',
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
stored. A refused export file or system folder counts as a file not loaded (one reject
without a line, and the run ends with an error after loading the others); a refused
entry with another name is reported and skipped.
"""


_REJECTS = """\
## Rejected rows

A row with a value that breaks the rules above (or an empty required value, or a
primary key already loaded) is not loaded: each value at fault becomes one row of
`raw_<system>.{rejects}`, with the file, the line, the column, the value as written
(cut to {max_chars} characters) and the reason in plain words (quoting at most
{quoted} characters of the value, at most {reason_chars} characters in all). Values and
reasons are redacted before they are stored: secret assignments (`API_KEY=...`),
credentials in URLs and long key-like strings become `[secret]` or `[token]`, and
personal data (e-mails, phones, bank details, cards, addresses, names) the tokens of
the customer-voice redactor (`[email]`, `[phone]`...). Lines are the file's
lines as an editor shows them (CSV: the line where the record starts; the header is
line 1 unless blank lines precede it); Parquet has no lines: the row's position, first
row = 1. A file missing a required column, or that cannot be read at all (wrong
encoding, broken Parquet), is one reject without a line, and the run ends with an
error listing such files after loading the others. An extra column whose stored name
(snake_case, as dlt names columns) would be that of another column is dropped with a
warning and one reject; the rest of the file loads.
"""
