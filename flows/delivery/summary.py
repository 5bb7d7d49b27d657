"""The brief in a few lines, for the e-mail that carries it and the Prefect artifact.

Written from the findings JSON in the brief's language, with the brief's own wording
(flows/brief/i18n.py) and number formats (flows/brief/formatting.py): the month, what
the data could not support (an incomplete month, stale sources, a partial run, sources
absent), then the month at a glance. Markdown, which reads as plain text in a mail.
Nothing in it is personal data: findings hold offers, themes and figures, not people.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flows.brief.formatting import Formatter
from flows.brief.i18n import Translator


@dataclass(frozen=True)
class Summary:
    subject: str
    markdown: str


def _label(labels: dict[str, Any], key: str | None, lang: str) -> str:
    """A theme or segment label ({id: {fr, en}}) or an offer label ({id: name})."""
    if key is None:
        return ""
    value = labels.get(key, key)
    return value.get(lang) or key if isinstance(value, dict) else str(value)


def _subject(item: dict[str, Any], labels: dict[str, Any], lang: str) -> str:
    """What an at-a-glance line is about: its theme for a signal, else its offer, then its
    segment, item or decision."""
    if item["finding_type"] == "signal" and item.get("theme_id"):
        parts = [_label(labels["themes"], item["theme_id"], lang)]
    else:
        parts = [_label(labels["offers"], item.get("offer_id"), lang)]
    if item.get("segment_id"):
        parts.append(_label(labels["segments"], item["segment_id"], lang))
    if item.get("item_id"):
        parts.append(_label(labels["items"], item["item_id"], lang))
    if item.get("decision_id") and item["decision_id"] in labels["decisions"]:
        parts.append(labels["decisions"][item["decision_id"]][lang])
    return " · ".join(part for part in parts if part)


def warnings(findings: dict[str, Any], t: Translator, fmt: Formatter) -> list[str]:
    """What the data could not support this month, as the brief's cover says it."""
    lines = []
    if not findings["is_complete_month"]:
        lines.append(t("incomplete_month", date=fmt.date(findings["company"]["last_data_date"])))
    for stale in findings["stale_sources"]:
        source = t.code("system", stale["source"])
        if stale["last_loaded_at"]:
            lines.append(t("stale_source", source=source, since=fmt.date(stale["last_loaded_at"])))
        else:
            lines.append(t("stale_source_never", source=source))
    health = findings["data_health"]
    if health["partial"]:
        rules: list[str] = []
        for check in health["checks"]:
            if check["is_partial"]:
                rules += [rule for rule in check["failure_rules"] or [] if rule not in rules]
        lines.append(t("health_partial", problems="; ".join(t(f"rule_{rule}") for rule in rules)))
    if health["missing_sources"]:
        lines.append(t("health_missing", sources=", ".join(health["missing_sources"])))
    return lines


def brief_summary(findings: dict[str, Any], lang: str, files: list[str]) -> Summary:
    """The subject and the Markdown summary of the brief of `findings` in `lang`."""
    t = Translator(lang)
    fmt = Formatter(lang, findings["company"]["currency"] or "EUR")
    month = fmt.month(findings["month"])
    company = findings["company"]["name"]
    lines = [f"# {t('mail_subject', company=company, month=month)}", ""]
    lines += [f"> {line}" for line in warnings(findings, t, fmt)]
    lines += ["", f"## {t('glance_title')}", ""]
    for item in findings["at_a_glance"]:
        lines.append(
            t(
                "summary_item",
                rank=item["rank"],
                subject=_subject(item, findings["labels"], lang),
                status=t.code("class", item["classification"]),
                value=fmt.metric(item["headline_value"], item["metric"]),
                metric=t.code("metric", item["metric"]),
            )
        )
    if not findings["at_a_glance"]:
        partial = findings["data_health"]["not_assessed"] or findings["data_health"]["partial"]
        lines.append(t("glance_empty_partial") if partial else t("glance_empty"))
    lines += ["", t("mail_files", files=", ".join(files))]
    return Summary(
        subject=t("mail_subject", company=company, month=month),
        markdown="\n".join(lines).replace("\n\n\n", "\n\n") + "\n",
    )
