"""The intent file: what each offer was designed for.

`load_intent` reads `intent.yaml`, validates it completely (unknown keys, wrong
types, dangling references, duplicate ids) and reports every problem at once with
its line and key path. `write_intent_tables` exposes the validated file as the
`raw_intent` tables that the dbt project reads (docs/architecture.md, section 3).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb
import yaml

from flows.ingest.contract import ACCOUNT_TYPES, ORDER_CHANNELS
from flows.settings import INTENT_DATASET, LANGUAGES

# The five verbs of customer signals (adapt, work around, suggest, transform, reject).
SIGNAL_KINDS = ("adapt", "circumvent", "suggest", "transform", "reject")
OFFER_KINDS = ("core", "experiment", "service")
TARGET_METRICS = (
    "monthly_units",
    "monthly_revenue",
    "return_rate_max",
    "repeat_rate_min",
    "tickets_per_100_orders_max",
    "csat_min",
    "rating_min",
)
WATCH_METRICS = (
    "units",
    "revenue",
    "return_rate",
    "repeat_rate",
    "tickets_per_100_orders",
    "csat",
    "rating",
)
SEGMENT_MATCH_KEYS = ("account_type", "industry", "size_band", "country", "customer_tag")


class IntentError(ValueError):
    """The intent file is invalid; `problems` lists every error with line and key path."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        listing = "\n".join(f"  - {p}" for p in problems)
        super().__init__(
            f"{path}: {len(problems)} problem(s) in the intent file:\n{listing}\n"
            "Fix them in the file (see examples/starter/intent.yaml) and run again."
        )


@dataclass(frozen=True)
class Segment:
    id: str
    label: dict[str, str]
    match: dict[str, list[str]]


@dataclass(frozen=True)
class Theme:
    id: str
    kind: str
    label: dict[str, str]
    terms: dict[str, list[str]]


@dataclass(frozen=True)
class Offer:
    id: str
    name: str
    kind: str
    skus: list[str]
    categories: list[str]
    since: dt.date | None
    until: dt.date | None
    segments: list[str]
    channels: list[str]
    uses: list[str]
    complements: list[str]
    targets: dict[str, float]


@dataclass(frozen=True)
class Decision:
    id: str
    date: dt.date
    offer: str
    theme: str | None
    summary: dict[str, str]
    watch: list[str]


@dataclass(frozen=True)
class Intent:
    company_name: str
    language: str
    currency: str
    timezone: str
    default_segment: str
    segments: list[Segment] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)


# --- reading YAML nodes with their line numbers ---------------------------------

_constructor = yaml.SafeLoader("")  # only used to turn scalar nodes into values


class _Reader:
    """Walks the YAML node tree, converting values and collecting problems."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, node: yaml.Node | None, path: str, message: str) -> None:
        where = f"line {node.start_mark.line + 1}" if node is not None else "file"
        self.problems.append(f"{where}: {path or '(top level)'}: {message}")

    def mapping(
        self, node: yaml.Node, path: str, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> dict[str, yaml.Node]:
        """Return key -> value node; report unknown, duplicate and missing keys."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, path, "expected a mapping of keys to values")
            return {}
        result: dict[str, yaml.Node] = {}
        allowed = required + optional
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_path = f"{path}.{key}" if path else key
            if key in result:
                self.problem(key_node, key_path, "duplicate key")
            elif key not in allowed:
                self.problem(key_node, key_path, f"unknown key (allowed: {', '.join(allowed)})")
            else:
                result[key] = value_node
        for key in required:
            if key not in result:
                self.problem(node, path, f"missing required key '{key}'")
        return result

    def scalar(self, node: yaml.Node, path: str) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, path, "expected a single value")
            return None
        try:
            return _constructor.construct_object(node)
        except ValueError as error:  # e.g. 2025-13-01 looks like a date but is not one
            self.problem(node, path, f"invalid value {node.value!r}: {error}")
            return None

    def text(self, node: yaml.Node | None, path: str, choices: tuple[str, ...] = ()) -> str | None:
        if node is None:
            return None
        value = self.scalar(node, path)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(node, path, f"expected text, got {value!r}")
            return None
        if choices and value not in choices:
            self.problem(node, path, f"'{value}' is not one of: {', '.join(choices)}")
            return None
        return value.strip()

    def optional_text(self, node: yaml.Node | None, path: str) -> str | None:
        if node is None or (isinstance(node, yaml.ScalarNode) and self.scalar(node, path) is None):
            return None
        return self.text(node, path)

    def date(self, node: yaml.Node | None, path: str) -> dt.date | None:
        if node is None:
            return None
        value = self.scalar(node, path)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.problem(node, path, f"expected a date as YYYY-MM-DD, got {value!r}")
            return None

    def number(self, node: yaml.Node, path: str) -> float | None:
        value = self.scalar(node, path)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(node, path, f"expected a number, got {value!r}")
            return None
        return float(value)

    def text_list(
        self, node: yaml.Node | None, path: str, choices: tuple[str, ...] = ()
    ) -> list[str]:
        if node is None:
            return []
        if isinstance(node, yaml.ScalarNode) and self.scalar(node, path) is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, path, "expected a list, e.g. [a, b]")
            return []
        values = []
        for i, item in enumerate(node.value):
            value = self.text(item, f"{path}[{i}]", choices)
            if value is not None:
                values.append(value)
        return values

    def items(self, node: yaml.Node | None, path: str) -> list[tuple[str, yaml.Node]]:
        """The (path, node) of each element of an optional list."""
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, path, "expected a list of items (each starting with '- ')")
            return []
        return [(f"{path}[{i}]", item) for i, item in enumerate(node.value)]

    def language_map(self, node: yaml.Node | None, path: str) -> dict[str, yaml.Node]:
        """A mapping keyed by language code (any code is accepted)."""
        if node is None:
            return {}
        if not isinstance(node, yaml.MappingNode):
            self.problem(
                node, path, "expected a mapping keyed by language code, e.g. {fr: ..., en: ...}"
            )
            return {}
        result: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in result:
                self.problem(key_node, f"{path}.{key}", "duplicate key")
            result[key] = value_node
        return result


def _labels(reader: _Reader, node: yaml.Node | None, path: str) -> dict[str, str]:
    """A label: plain text (every language) or {language: text}."""
    if node is None:
        return {}
    if isinstance(node, yaml.ScalarNode):
        value = reader.text(node, path)
        return {lang: value for lang in LANGUAGES} if value else {}
    return {
        lang: text
        for lang, sub in reader.language_map(node, path).items()
        if (text := reader.text(sub, f"{path}.{lang}"))
    }


def _check_unique(reader: _Reader, ids: list[tuple[str, yaml.Node, str | None]], what: str) -> None:
    seen: set[str] = set()
    for path, node, value in ids:
        if value is None:
            continue
        if value in seen:
            reader.problem(node, path, f"duplicate {what} id '{value}'")
        seen.add(value)


def _check_refs(
    reader: _Reader, refs: list[tuple[str, yaml.Node, str]], known: set[str], what: str
) -> None:
    for path, node, value in refs:
        if value not in known:
            listing = ", ".join(sorted(known)) or "none declared"
            reader.problem(node, path, f"unknown {what} '{value}' (declared: {listing})")


# --- the intent file ---------------------------------------------------------------


def load_intent(path: Path) -> Intent:
    """Read and validate an intent file; raise IntentError listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise IntentError(path, ["file: the intent file does not exist"]) from None
    except IsADirectoryError:
        raise IntentError(path, ["file: this is a folder; give the path of intent.yaml"]) from None
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise IntentError(
            path, [f"line {line}: not UTF-8 text ({error.reason}); save the file as UTF-8"]
        ) from None
    except OSError as error:
        raise IntentError(path, [f"file: cannot be read ({error.strerror})"]) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "file"
        raise IntentError(path, [f"{where}: not valid YAML: {error}"]) from None
    if root is None:
        raise IntentError(path, ["file: the intent file is empty"])

    r = _Reader()
    top = r.mapping(root, "", ("company", "offers"), ("segments", "themes", "decisions"))
    refs: dict[str, list[tuple[str, yaml.Node, str]]] = {"segment": [], "theme": [], "offer": []}

    company = (
        r.mapping(
            top.get("company", root),
            "company",
            ("name", "language", "currency"),
            ("timezone", "default_segment"),
        )
        if "company" in top
        else {}
    )
    name = r.text(company.get("name"), "company.name") or ""
    language = r.text(company.get("language"), "company.language", LANGUAGES) or "en"
    currency = r.text(company.get("currency"), "company.currency") or "EUR"
    if currency and (len(currency) != 3 or not currency.isalpha()):
        r.problem(
            company.get("currency"), "company.currency", "expected an ISO 4217 code such as EUR"
        )
    timezone = r.text(company.get("timezone"), "company.timezone") or "UTC"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        r.problem(
            company.get("timezone"),
            "company.timezone",
            f"unknown time zone '{timezone}' (e.g. Europe/Paris)",
        )
    default_segment = r.text(company.get("default_segment"), "company.default_segment")
    if default_segment and "default_segment" in company:
        refs["segment"].append(
            ("company.default_segment", company["default_segment"], default_segment)
        )

    segments: list[Segment] = []
    segment_ids = []
    for spath, snode in r.items(top.get("segments"), "segments"):
        keys = r.mapping(snode, spath, ("id",), ("label", "match"))
        sid = r.text(keys.get("id"), f"{spath}.id")
        segment_ids.append((f"{spath}.id", keys.get("id", snode), sid))
        match: dict[str, list[str]] = {}
        if "match" in keys:
            mkeys = r.mapping(keys["match"], f"{spath}.match", (), SEGMENT_MATCH_KEYS)
            for key, vnode in mkeys.items():
                choices = ACCOUNT_TYPES if key == "account_type" else ()
                values = r.text_list(vnode, f"{spath}.match.{key}", choices)
                if not values:
                    r.problem(vnode, f"{spath}.match.{key}", "give at least one value")
                match[key] = values
        if sid:
            segments.append(Segment(sid, _labels(r, keys.get("label"), f"{spath}.label"), match))
    _check_unique(r, segment_ids, "segment")

    themes: list[Theme] = []
    theme_ids = []
    for tpath, tnode in r.items(top.get("themes"), "themes"):
        keys = r.mapping(tnode, tpath, ("id", "kind", "terms"), ("label",))
        tid = r.text(keys.get("id"), f"{tpath}.id")
        theme_ids.append((f"{tpath}.id", keys.get("id", tnode), tid))
        kind = r.text(keys.get("kind"), f"{tpath}.kind", SIGNAL_KINDS)
        terms: dict[str, list[str]] = {}
        for lang, lnode in r.language_map(keys.get("terms"), f"{tpath}.terms").items():
            terms[lang] = r.text_list(lnode, f"{tpath}.terms.{lang}")
            for i, term in enumerate(terms[lang]):
                if not any(ch.isalnum() for ch in term):
                    r.problem(
                        lnode.value[i],
                        f"{tpath}.terms.{lang}[{i}]",
                        f"'{term}' has no letter or digit and would match nothing useful",
                    )
        if "terms" in keys and not any(terms.values()):
            r.problem(keys["terms"], f"{tpath}.terms", "give at least one term")
        if tid and kind:
            themes.append(Theme(tid, kind, _labels(r, keys.get("label"), f"{tpath}.label"), terms))
    _check_unique(r, theme_ids, "theme")

    offers: list[Offer] = []
    offer_ids = []
    complement_refs: list[tuple[str, yaml.Node, str]] = []
    for opath, onode in r.items(top.get("offers"), "offers"):
        keys = r.mapping(
            onode, opath, ("id", "name", "kind", "products"), ("since", "until", "intent")
        )
        oid = r.text(keys.get("id"), f"{opath}.id")
        offer_ids.append((f"{opath}.id", keys.get("id", onode), oid))
        prods = (
            r.mapping(keys["products"], f"{opath}.products", (), ("skus", "categories"))
            if "products" in keys
            else {}
        )
        skus = r.text_list(prods.get("skus"), f"{opath}.products.skus")
        categories = r.text_list(prods.get("categories"), f"{opath}.products.categories")
        if "products" in keys and not skus and not categories:
            r.problem(
                keys["products"], f"{opath}.products", "give at least one sku pattern or category"
            )
        since = r.date(keys.get("since"), f"{opath}.since")
        until = r.date(keys.get("until"), f"{opath}.until")
        if since and until and until < since:
            r.problem(keys["until"], f"{opath}.until", f"ends ({until}) before it starts ({since})")
        ikeys = (
            r.mapping(
                keys["intent"],
                f"{opath}.intent",
                (),
                ("segments", "channels", "uses", "complements", "targets"),
            )
            if "intent" in keys
            else {}
        )
        ipath = f"{opath}.intent"
        seg_list = r.text_list(ikeys.get("segments"), f"{ipath}.segments")
        refs["segment"] += _list_refs(ikeys.get("segments"), f"{ipath}.segments", seg_list)
        channels = r.text_list(ikeys.get("channels"), f"{ipath}.channels", ORDER_CHANNELS)
        uses = r.text_list(ikeys.get("uses"), f"{ipath}.uses")
        refs["theme"] += _list_refs(ikeys.get("uses"), f"{ipath}.uses", uses)
        complements = r.text_list(ikeys.get("complements"), f"{ipath}.complements")
        complement_refs += _list_refs(ikeys.get("complements"), f"{ipath}.complements", complements)
        targets: dict[str, float] = {}
        if "targets" in ikeys:
            tkeys = r.mapping(ikeys["targets"], f"{ipath}.targets", (), TARGET_METRICS)
            for metric, vnode in tkeys.items():
                value = r.number(vnode, f"{ipath}.targets.{metric}")
                if value is None:
                    continue
                if value < 0 or (
                    metric.endswith(("_rate_max", "_rate_min", "csat_min")) and value > 1
                ):
                    r.problem(
                        vnode,
                        f"{ipath}.targets.{metric}",
                        f"{value} is out of range (rates are fractions, 0.08 = 8%)",
                    )
                elif metric == "rating_min" and not 1 <= value <= 5:
                    r.problem(
                        vnode,
                        f"{ipath}.targets.{metric}",
                        f"{value} is out of range (ratings are 1 to 5)",
                    )
                else:
                    targets[metric] = value
        if oid:
            offers.append(
                Offer(
                    oid,
                    r.text(keys.get("name"), f"{opath}.name") or oid,
                    r.text(keys.get("kind"), f"{opath}.kind", OFFER_KINDS) or "core",
                    skus,
                    categories,
                    since,
                    until,
                    seg_list,
                    channels,
                    uses,
                    complements,
                    targets,
                )
            )
    _check_unique(r, offer_ids, "offer")
    if "offers" in top and not offer_ids:
        r.problem(top["offers"], "offers", "declare at least one offer")

    decisions: list[Decision] = []
    decision_ids = []
    for dpath, dnode in r.items(top.get("decisions"), "decisions"):
        keys = r.mapping(dnode, dpath, ("id", "date", "offer", "summary"), ("theme", "watch"))
        did = r.text(keys.get("id"), f"{dpath}.id")
        decision_ids.append((f"{dpath}.id", keys.get("id", dnode), did))
        date = r.date(keys.get("date"), f"{dpath}.date")
        offer = r.text(keys.get("offer"), f"{dpath}.offer")
        if offer:
            refs["offer"].append((f"{dpath}.offer", keys["offer"], offer))
        theme = r.optional_text(keys.get("theme"), f"{dpath}.theme")
        if theme:
            refs["theme"].append((f"{dpath}.theme", keys["theme"], theme))
        watch = r.text_list(keys.get("watch"), f"{dpath}.watch", WATCH_METRICS)
        if did and date and offer:
            decisions.append(
                Decision(
                    did,
                    date,
                    offer,
                    theme,
                    _labels(r, keys.get("summary"), f"{dpath}.summary"),
                    watch,
                )
            )
    _check_unique(r, decision_ids, "decision")

    # References are checked against every declared id, even of an item that has
    # its own problem, so one mistake is reported once rather than cascading.
    def declared(ids: list[tuple[str, yaml.Node, str | None]]) -> set[str]:
        return {value for _, _, value in ids if value}

    _check_refs(r, refs["segment"], declared(segment_ids), "segment")
    _check_refs(r, refs["theme"], declared(theme_ids), "theme")
    _check_refs(r, refs["offer"] + complement_refs, declared(offer_ids), "offer")
    if not default_segment and segments:
        default_segment = segments[-1].id
    if r.problems:
        raise IntentError(path, sorted(r.problems, key=_line_number))
    return Intent(
        name,
        language,
        currency,
        timezone,
        default_segment or "all",
        segments,
        themes,
        offers,
        decisions,
    )


def _line_number(problem: str) -> int:
    """Sort key: problems read top to bottom, whole-file ones first."""
    head = problem.split(":", 1)[0]
    return int(head.removeprefix("line ")) if head.startswith("line ") else 0


def _list_refs(
    node: yaml.Node | None, path: str, values: list[str]
) -> list[tuple[str, yaml.Node, str]]:
    if not isinstance(node, yaml.SequenceNode):
        return []
    return [
        (f"{path}[{i}]", item, v)
        for i, (item, v) in enumerate(zip(node.value, values, strict=False))
    ]


# --- exposing the intent as tables ---------------------------------------------------


def _label(labels: dict[str, str], lang: str, fallback: str) -> str:
    return labels.get(lang) or next(iter(labels.values()), fallback)


def intent_tables(intent: Intent) -> dict[str, tuple[str, list[tuple[Any, ...]]]]:
    """Table name -> (column DDL, rows): the raw_intent layout of docs/architecture.md."""

    def lab(labels: dict[str, str], fallback: str) -> tuple[str, str]:
        return _label(labels, "fr", fallback), _label(labels, "en", fallback)

    return {
        "company": (
            "name varchar, language varchar, currency varchar, timezone varchar, default_segment varchar",
            [
                (
                    intent.company_name,
                    intent.language,
                    intent.currency,
                    intent.timezone,
                    intent.default_segment,
                )
            ],
        ),
        "segments": (
            "segment_id varchar, position integer, label_fr varchar, label_en varchar",
            [(s.id, i, *lab(s.label, s.id)) for i, s in enumerate(intent.segments)],
        ),
        "segment_rules": (
            "segment_id varchar, match_key varchar, match_value varchar",
            [(s.id, k, v) for s in intent.segments for k, vs in s.match.items() for v in vs],
        ),
        "themes": (
            "theme_id varchar, kind varchar, label_fr varchar, label_en varchar",
            [(t.id, t.kind, *lab(t.label, t.id)) for t in intent.themes],
        ),
        "theme_terms": (
            "theme_id varchar, language varchar, term varchar",
            [
                (t.id, lang, term)
                for t in intent.themes
                for lang, terms in t.terms.items()
                for term in terms
            ],
        ),
        "offers": (
            "offer_id varchar, name varchar, kind varchar, since date, until date, position integer",
            [(o.id, o.name, o.kind, o.since, o.until, i) for i, o in enumerate(intent.offers)],
        ),
        "offer_products": (
            "offer_id varchar, match_type varchar, pattern varchar",
            [(o.id, "sku", p) for o in intent.offers for p in o.skus]
            + [(o.id, "category", p) for o in intent.offers for p in o.categories],
        ),
        "offer_segments": (
            "offer_id varchar, segment_id varchar",
            [(o.id, s) for o in intent.offers for s in o.segments],
        ),
        "offer_channels": (
            "offer_id varchar, channel varchar",
            [(o.id, c) for o in intent.offers for c in o.channels],
        ),
        "offer_uses": (
            "offer_id varchar, theme_id varchar",
            [(o.id, t) for o in intent.offers for t in o.uses],
        ),
        "offer_complements": (
            "offer_id varchar, complement_offer_id varchar",
            [(o.id, c) for o in intent.offers for c in o.complements],
        ),
        "offer_targets": (
            "offer_id varchar, metric varchar, target_value double",
            [(o.id, m, v) for o in intent.offers for m, v in o.targets.items()],
        ),
        "decisions": (
            "decision_id varchar, decision_date date, offer_id varchar, theme_id varchar, "
            "summary_fr varchar, summary_en varchar",
            [(d.id, d.date, d.offer, d.theme, *lab(d.summary, d.id)) for d in intent.decisions],
        ),
        "decision_watches": (
            "decision_id varchar, metric varchar",
            [(d.id, m) for d in intent.decisions for m in d.watch],
        ),
    }


def write_intent_tables(
    intent: Intent, warehouse: Path, progress: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Replace the raw_intent tables in one transaction; return rows per table."""
    counts: dict[str, int] = {}
    Path(warehouse).parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("begin transaction")
        con.execute(f"create schema if not exists {INTENT_DATASET}")
        for table, (ddl, rows) in intent_tables(intent).items():
            con.execute(f"create or replace table {INTENT_DATASET}.{table} ({ddl})")
            if rows:
                placeholders = ", ".join("?" for _ in rows[0])
                con.executemany(
                    f"insert into {INTENT_DATASET}.{table} values ({placeholders})", rows
                )
            counts[table] = len(rows)
        con.execute("commit")
    if progress:
        progress(
            f"intent: {counts['offers']} offers, {counts['themes']} themes, "
            f"{counts['segments']} segments, {counts['decisions']} decisions loaded"
        )
    return counts
