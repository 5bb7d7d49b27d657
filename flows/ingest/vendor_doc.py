"""docs/vendor-formats.md: the vendor formats Terrain reads, written from their YAML files."""

from __future__ import annotations

from flows import settings
from flows.ingest.vendor_format import ColumnRule, Output, VendorFormat, formats


def vendor_formats_doc() -> str:
    """The text of docs/vendor-formats.md."""
    parts = [_INTRO.format(settings_file=settings.EXPORT_SETTINGS_FILE), _summary()]
    parts += [_format(spec) for spec in formats().values()]
    return "\n".join(part.rstrip() + "\n" for part in parts)


_INTRO = """\
# Vendor formats: exports read as the vendors write them

<!-- Generated from flows/ingest/formats/*.yaml by `python -m flows.docs`; edit the YAML
files, not this page (tests/test_docs.py compares them). -->

Besides the canonical files ([input-contract.md](input-contract.md)), Terrain reads
files exported by the tools below as they are, at the top of the export folder or in
a system folder (`shop/`, `crm/`, `support/`), under any name. A file is recognised
from its header (every column of "recognised by" under one of its headers); when two
formats match, or to be explicit, its format is declared in `{settings_file}`:

```yaml
vendor_files:
  orders_export_1.csv: {{format: shopify-orders}}
  reviews/judgeme.csv: {{format: judgeme-reviews, rating_scale: 5}}
value_map:                    # vendor values the formats do not know
  channel: {{"5776891": marketplace}}
  deal_outcome: {{"Négociation": open, "Signé": won}}
```

A vendor file's block takes the keys of a file's block (`delimiter`, `date_format`,
`timezone`...) besides `format` and `rating_scale` (5, 10 or 100: ratings are brought
to 1-5). Its rows then go through the same parser and rules as a canonical file: a
bad value rejects its row (in `raw_<system>.ingest_rejects`, with the file line and the
vendor's header), and each file counts rows received = loaded + rejected per entity it
fills (a file filling several entities is named `<file>#<entity>` there). Rows an
output leaves out (a spam review, an image-only product row) are not rows of the
entity: they are counted in the ingestion's warnings and in `terrain check-exports`.

A value of an enumerated column goes through the format's value map, which the
company extends with `value_map:`; a value with no entry takes the map's default and
is counted in `raw_<system>.ingest_values`. The data health check warns when such
values pass the file's `max_reject_share` or when the default comes first, with the
line to add. A lookup resolves a value through another export of the folder (a review's
product handle through the products export): a value it cannot resolve rejects its
row (`unresolved_reference`), unless the lookup is optional (then the column stays
empty and the values are counted). Columns of the vendor file that no output uses are
not stored.

`terrain check-exports DIR` reads the folder this way and writes nothing; `terrain
init DIR` writes a commented `{settings_file}` with every vendor file it recognised.
"""


def _summary() -> str:
    lines = [
        "| format | vendor | file | fills | recognised by |",
        "|---|---|---|---|---|",
    ]
    for spec in formats().values():
        fills = ", ".join(spec.entities) or "(lookups only)"
        detect = ", ".join(f"`{spec.columns[c].headers[0]}`" for c in spec.detect)
        lines.append(
            f"| [`{spec.id}`](#{spec.id}) | {spec.vendor} | {spec.file.type} | {fills} | {detect} |"
        )
    return "\n".join(lines)


def _format(spec: VendorFormat) -> str:
    zone = spec.file.timezone or "the file's `timezone` (default UTC)"
    lines = [
        f"## {spec.id}",
        "",
        f"{spec.label} ({spec.vendor}), system `{spec.system}`: {spec.file.type.upper()}, "
        f"dates `{spec.file.date_format}`, times without an offset in {zone}.",
        "",
        "| column | headers | required |",
        "|---|---|---|",
    ]
    lines += [
        f"| {name} | {', '.join(f'`{h}`' for h in column.headers)} | "
        f"{'yes' if column.required else ''} |"
        for name, column in spec.columns.items()
    ]
    if spec.group_by:
        lines += ["", f"Rows sharing `{spec.columns[spec.group_by].headers[0]}` are one record."]
    for output in spec.outputs:
        lines += ["", _output(output)]
    for name, value_map in spec.value_maps.items():
        entries = ", ".join(f"`{k}` → `{v}`" for k, v in value_map.values.items())
        default = f"; anything else → `{value_map.default}`" if value_map.default else ""
        lines += ["", f"Value map `{name}`: {entries}{default}."]
    for name, lookup in spec.lookups.items():
        optional = "" if lookup.required else " (optional: unresolved values stay empty)"
        lines += [
            "",
            f"Lookup `{name}`: the {lookup.what} through the `{lookup.format}` file's "
            f"`{lookup.key}` → `{lookup.value}`{optional}.",
        ]
    return "\n".join(lines)


_ROWS = {
    "each": "one row per source row",
    "first_of_group": "one row per record, from its first row",
    "explode": "one row per element of `{explode}`",
    "distinct": "one row per key value",
}


def _output(output: Output) -> str:
    rows = _ROWS[output.rows].format(explode=output.explode)
    extra = ""
    for condition in output.only_when:
        extra += f", only when `{condition.column}` "
        if condition.in_:
            extra += f"is {' or '.join(condition.in_)}"
        elif condition.not_in:
            extra += f"is not {' or '.join(condition.not_in)}"
        elif condition.resolves:
            extra += f"is found through lookup {condition.resolves}"
        else:
            extra += "is filled"
    if output.unless_format:
        extra += f" (not when the folder has a {', '.join(output.unless_format)} file)"
    columns = "; ".join(f"{name} ← {_rule(rule)}" for name, rule in output.columns.items())
    return f"**{output.entity}**, {rows}{extra}: {columns}."


def _rule(rule: ColumnRule) -> str:
    if rule.row_number:
        return "position in the record"
    if rule.join:
        return "a key made of " + " + ".join(rule.join)
    text = " or ".join(rule.from_) if rule.from_ else f"`{rule.value}`"
    steps = [*rule.transform]
    if rule.from_group:
        steps.append("from the record's first row")
    if rule.aggregate == "min":
        steps.append("earliest")
    if rule.scale:
        steps.append(f"out of {rule.scale}")
    if rule.divide_by:
        steps.append(f"divided by {rule.divide_by}")
    if rule.lookup:
        steps.append(f"lookup {rule.lookup}")
    if rule.map:
        steps.append(f"map {rule.map}")
    if rule.when is not None:
        steps.append(f"`{rule.then}` when {rule.when.column} matches")
    return text + (f" ({', '.join(steps)})" if steps else "")
