"""`terrain init DIR`: a commented export-settings.yaml and an intent file, from the data.

The folder is read as `terrain check-exports` reads it (`check_exports.check_exports`:
the ingestion code, nothing written to a warehouse), then two files are written for
the company to edit, never over an existing one:

- `DIR/export-settings.yaml`: every vendor file with the format recognised, the time
  zone of times written without an offset, and, commented out, the vendor values no
  value map knows, each with its row count and the values it may take;
- the intent file (`intent.yaml` beside the folder by default): the starter file's
  segments and themes (examples/starter/intent.yaml), the company's currency and
  language guessed from the data, and one offer per product category with the channels
  seen in the orders.

Both are validated with the models runs use before `init` says it wrote them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from pathlib import Path

from flows import settings
from flows.ingest.check_exports import ExportsCheck, check_exports
from flows.ingest.export_settings import parse_export_settings
from flows.ingest.vendor_format import formats

_FRENCH = {"le", "la", "les", "de", "des", "du", "et", "pour", "très", "avec", "une", "est"}
_ENGLISH = {"the", "and", "for", "with", "very", "is", "it", "of", "to", "was", "my"}
# channels taking less than this share of orders are left out of an offer's intent
_CHANNEL_FLOOR = 0.05


def init_folder(exports_dir: Path, intent_path: Path | None = None) -> list[str]:
    """Write the two files (those that do not exist yet); returns what was done, in words."""
    exports_dir = Path(exports_dir).resolve()
    if not exports_dir.is_dir():
        raise FileNotFoundError(f"{exports_dir} is not a folder")
    result = check_exports(exports_dir)
    told: list[str] = []
    settings_path = exports_dir / settings.EXPORT_SETTINGS_FILE
    if settings_path.exists():
        told.append(f"{settings_path}: already there, left as it is")
    else:
        text = export_settings_text(result)
        parse_export_settings(text, settings_path)  # what runs will read
        settings_path.write_text(text, encoding="utf-8")
        told.append(f"wrote {settings_path}")
    intent = intent_path or exports_dir.parent / "intent.yaml"
    if intent.exists():
        told.append(f"{intent}: already there, left as it is")
    else:
        from flows.intent.load import load_intent

        intent.write_text(intent_text(result), encoding="utf-8")
        try:
            load_intent(intent)
        except Exception:
            intent.unlink()
            raise
        told.append(f"wrote {intent}")
    told.append(
        f"next: edit them, then `terrain check-exports {exports_dir}` and `terrain run "
        f"--exports {exports_dir} --intent {intent}`"
    )
    return told


def export_settings_text(result: ExportsCheck) -> str:
    """A commented export-settings.yaml for the folder `result` describes."""
    schema = settings.PROJECT_DIR / "docs" / "export-settings.schema.json"
    lines = [
        f"# yaml-language-server: $schema={schema}",
        f"# How the files of this export folder are written (terrain init, {dt.date.today()}).",
        "# Check the folder with `terrain check-exports` after every change; every key is",
        "# described in docs/input-contract.md.",
        "",
        "# Times written without an offset (HubSpot, the Zendesk CSV, WooCommerce) are in",
        "# this time zone; say yours, such as Europe/Paris or America/Toronto.",
        "defaults:",
        "  timezone: UTC",
    ]
    vendor: dict[str, tuple[str, str, list[str]]] = {}
    every = formats()
    for check in result.files:
        if check.format == "canonical":
            continue
        label = check.label.split("#")[0]
        spec = every[check.format]
        vendor.setdefault(label, (spec.id, spec.label, []))[2].append(check.entity)
    for label, format_id in result.lookup_files:
        spec = every[format_id]
        vendor.setdefault(label, (spec.id, spec.label, ["(read for lookups)"]))
    if vendor:
        lines += [
            "",
            "# Files exported by your tools, recognised from their headers:",
            "vendor_files:",
        ]
        for label, (format_id, name, entities) in vendor.items():
            lines.append(
                f"  {_yaml_key(label)}: {{format: {format_id}}}  # {name} -> {', '.join(entities)}"
            )
    unmapped: dict[str, list[str]] = {}
    allowed: dict[str, tuple[str, ...]] = {}
    for check in result.files:
        for value in check.values:
            if value.is_mapped:
                continue
            allowed[value.map_name] = value.allowed
            unmapped.setdefault(value.map_name, []).append(
                f'#     "{value.value}": <value>  # {value.rows} rows of '
                f"{check.label.split('#')[0]} ({value.source}), read as "
                f"{value.mapped_to or 'empty'} for now"
            )
    if unmapped:
        lines += [
            "",
            "# Values your tools wrote that their format does not know: say what each one",
            "# is (uncomment, and write one of the values listed).",
            "# value_map:",
        ]
        for name, entries in unmapped.items():
            lines.append(f"#   {name}:  # {', '.join(allowed[name])}")
            lines += entries
    return "\n".join(lines) + "\n"


def _yaml_key(label: str) -> str:
    return label if re.fullmatch(r"[\w./-]+", label) else '"' + label.replace('"', '\\"') + '"'


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "offer"


def _column(result: ExportsCheck, entity: str, column: str) -> list[object]:
    values: list[object] = []
    for table in result.tables.get(entity, []):
        if column in table.column_names:
            values += table[column].to_pylist()
    return values


def _language(result: ExportsCheck) -> str:
    words = Counter(
        word
        for column in (
            ("shop/products", "name"),
            ("shop/reviews", "body"),
            ("support/tickets", "description"),
        )
        for text in _column(result, *column)
        if isinstance(text, str)
        for word in re.findall(r"[a-zà-ÿ']+", text.lower())
    )
    french = sum(words[w] for w in _FRENCH)
    english = sum(words[w] for w in _ENGLISH)
    return "fr" if french > english else "en"


def intent_text(result: ExportsCheck) -> str:
    """An intent file skeleton from the data `result` read."""
    starter = (settings.EXAMPLES_DIR / "starter" / "intent.yaml").read_text("utf-8")
    segments_and_themes = starter[starter.index("# Segments") : starter.index("# Offers")]
    currencies = Counter(str(c).upper() for c in _column(result, "shop/orders", "currency") if c)
    currency = currencies.most_common(1)[0][0] if currencies else "EUR"
    channels = Counter(c or "other" for c in _column(result, "shop/orders", "channel"))
    total = sum(channels.values())
    seen = [c for c, n in channels.most_common() if total and n / total >= _CHANNEL_FLOOR]
    ordered = [d for d in _column(result, "shop/orders", "ordered_at") if d is not None]
    since = min(ordered).date().replace(day=1) if ordered else dt.date.today().replace(day=1)
    categories = Counter(c for c in _column(result, "shop/products", "category") if c)
    language = _language(result)
    lines = [
        "# Terrain intent file, written by `terrain init` from your exports: edit it.",
        "# Check it with:   terrain check-intent path/to/intent.yaml",
        "",
        "company:",
        "  name: My company               # shown on the brief's cover",
        f"  language: {language}                   # language of the brief: fr | en (guessed from your texts)",
        f"  currency: {currency}                  # the currency of most orders",
        "  timezone: UTC                  # months are counted in this zone: say yours",
        "  default_segment: consumers     # segment of customers that match no rule below",
        "",
        segments_and_themes.rstrip(),
        "",
        "# Offers: one per product category found in your products export. Merge, rename",
        "# and describe them the way each was designed; the channels are those of at least",
        f"# {_CHANNEL_FLOOR:.0%} of your orders.",
        "offers:",
    ]
    for category, count in categories.most_common() or [("*", 0)]:
        offer_id = _slug(category) if category != "*" else "all-products"
        products = (
            f'{{skus: [], categories: ["{category}"]}}'
            if category != "*"
            else '{skus: ["*"], categories: []}'
        )
        lines += [
            f"  - id: {offer_id}",
            f'    name: "{category if category != "*" else "All products"}"',
            f"    kind: core                   # core | experiment | service ({count} products)",
            f"    products: {products}",
            f"    since: {since.isoformat()}",
            "    intent:",
            "      segments: [consumers]",
            f"      channels: [{', '.join(seen or ['web'])}]",
            "      uses: []",
        ]
    lines += ["", "decisions: []", ""]
    return "\n".join(lines)
