"""The brief in a few lines (mail body, Prefect artifact): it says what the data could not
support before any figure, in the brief's language."""

from __future__ import annotations

import copy

from flows.delivery.summary import brief_summary


def test_a_month_the_data_cannot_fully_support_says_so_first(demo_run) -> None:
    findings = copy.deepcopy(demo_run.findings)
    findings["is_complete_month"] = False
    findings["stale_sources"] = [
        {
            "source": "crm",
            "last_loaded_at": "2026-10-20T02:00:00+00:00",
            "failing_since": None,
            "last_error": None,
        },
        {"source": "support", "last_loaded_at": None, "failing_since": None, "last_error": None},
    ]
    findings["data_health"]["partial"] = True
    findings["data_health"]["checks"] = [
        {"stage": "ingest", "is_partial": True, "failure_rules": ["too_many_rejects"]}
    ]
    findings["data_health"]["missing_sources"] = ["shop/returns"]
    findings["at_a_glance"] = []
    summary = brief_summary(findings, "en", ["brief.pdf", "brief.json"])
    text = summary.markdown
    warnings = [line for line in text.splitlines() if line.startswith("> ")]
    assert len(warnings) == 5, text
    assert "Stale source: CRM, last loaded on 20 October 2026" in text
    assert "Source never loaded: Support." in text
    assert "too many rows rejected" in text and "shop/returns" in text
    # nothing at a glance on partial data is not "nothing notable"
    assert "No notable finding this month." not in text
    assert text.index("> ") < text.index("## The month at a glance")
    assert summary.subject == f"{findings['company']['name']} · strategy brief · October 2026"


def test_the_demo_month_in_french(demo_run) -> None:
    summary = brief_summary(demo_run.findings, "fr", ["a.pdf", "a.json"])
    lines = summary.markdown.splitlines()
    assert (
        lines[0] == f"# {demo_run.findings['company']['name']} · brief stratégique · octobre 2026"
    )
    items = [line for line in lines if line[:1].isdigit()]
    assert len(items) == len(demo_run.findings["at_a_glance"]) >= 3
    # French typography: a narrow no-break space before % and before the colon
    assert any("\u202f%" in line for line in items)
    assert all(") : " in line for line in items)
    assert "En pièces jointes : a.pdf, a.json." in lines
