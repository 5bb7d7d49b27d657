"""The intent file: validation errors name line and key path, all of them at once."""

from pathlib import Path

import pytest

from flows.intent.load import IntentError, load_intent
from flows.settings import EXAMPLES_DIR

STARTER = EXAMPLES_DIR / "starter" / "intent.yaml"

MINIMAL = """\
company: {name: Test, language: en, currency: EUR, default_segment: people}
segments:
  - id: pros
    match: {account_type: [b2b], industry: [crafts, construction]}
  - id: people
    label: {fr: Particuliers, en: People}
themes:
  - id: repair
    kind: adapt
    terms: {fr: ["répar*"], en: ["repair*", "mend"]}
offers:
  - id: jeans
    name: Jeans
    kind: core
    products: {skus: ["J-*"]}
    since: 2024-01-01
    intent:
      segments: [people]
      channels: [web]
      uses: [repair]
      complements: [kit]
      targets: {return_rate_max: 0.08, rating_min: 4.2}
  - id: kit
    name: Kit
    kind: service
    products: {categories: [care]}
decisions:
  - id: repair-service
    date: 2025-03-01
    offer: jeans
    theme: repair
    summary: {fr: Service de réparation, en: Repair service}
    watch: [repeat_rate]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "intent.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(IntentError) as caught:
        load_intent(write(tmp_path, text))
    return caught.value.problems


def test_starter_intent_is_valid():
    intent = load_intent(STARTER)
    assert intent.language == "fr"
    assert {t.kind for t in intent.themes} == {
        "adapt",
        "circumvent",
        "suggest",
        "transform",
        "reject",
    }
    assert intent.offers[0].targets["return_rate_max"] == 0.08


def test_minimal_intent_loads_with_all_parts(tmp_path):
    intent = load_intent(write(tmp_path, MINIMAL))
    assert [s.id for s in intent.segments] == ["pros", "people"]
    assert intent.segments[0].match == {
        "account_type": ["b2b"],
        "industry": ["crafts", "construction"],
    }
    assert intent.themes[0].terms == {"fr": ["répar*"], "en": ["repair*", "mend"]}
    jeans = intent.offers[0]
    assert (jeans.since.isoformat(), jeans.until) == ("2024-01-01", None)
    assert jeans.targets == {"return_rate_max": 0.08, "rating_min": 4.2}
    assert intent.decisions[0].watch == ["repeat_rate"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("kind: adapt", "kind: adopt", "line 9: themes[0].kind: 'adopt' is not one of"),
        (
            "channels: [web]",
            "channels: [web, shop]",
            "line 19: offers[0].intent.channels[1]: 'shop'",
        ),
        (
            "segments: [people]",
            "segments: [peeple]",
            "line 18: offers[0].intent.segments[0]: unknown segment 'peeple'",
        ),
        (
            "complements: [kit]",
            "complements: [kits]",
            "line 21: offers[0].intent.complements[0]: unknown offer 'kits'",
        ),
        (
            "return_rate_max: 0.08",
            "return_rate_max: 8",
            "line 22: offers[0].intent.targets.return_rate_max: 8.0 is out of range",
        ),
        (
            "rating_min: 4.2",
            "rating_min: high",
            "line 22: offers[0].intent.targets.rating_min: expected a number",
        ),
        (
            "date: 2025-03-01",
            "date: 2025-13-01",
            "line 29: decisions[0].date: invalid value '2025-13-01'",
        ),
        ("- id: kit", "- id: jeans", "line 23: offers[1].id: duplicate offer id 'jeans'"),
        (
            "    since: 2024-01-01",
            "    since: 2024-01-01\n    colour: blue",
            "line 17: offers[0].colour: unknown key",
        ),
        (
            "theme: repair\n",
            "theme: repairs\n",
            "line 31: decisions[0].theme: unknown theme 'repairs'",
        ),
        ("[b2b]", "[b2z]", "line 4: segments[0].match.account_type[0]: 'b2z' is not one of"),
        ('"mend"]', '"*"]', "line 10: themes[0].terms.en[1]: '*' has no letter or digit"),
        # a key an item cannot do without, left empty: the item used to vanish silently
        ("  - id: pros", "  - id: ~", "line 3: segments[0].id: is empty: give a value"),
        ("  - id: repair", "  - id:", "line 8: themes[0].id: is empty: give a value"),
        ("kind: adapt", "kind: ~", "line 9: themes[0].kind: is empty: give a value (one of: a"),
        ("  - id: kit", "  - id: null", "line 23: offers[1].id: is empty: give a value"),
        ("  - id: repair-service", "  - id: ~", "line 28: decisions[0].id: is empty"),
        ("date: 2025-03-01", "date: ~", "line 29: decisions[0].date: is empty: give a value (YYYY"),
        ("offer: jeans", "offer: ~", "line 30: decisions[0].offer: is empty: give a value"),
        ("name: Test,", "name: ~,", "line 1: company.name: is empty: give a value"),
        ("language: en,", "language: ~,", "line 1: company.language: is empty: give a value"),
        ("currency: EUR,", "currency:,", "line 1: company.currency: is empty: give a value"),
    ],
)
def test_each_error_names_line_and_key_path(tmp_path, old, new, expected):
    assert old in MINIMAL
    problems = problems_of(tmp_path, MINIMAL.replace(old, new, 1))
    assert any(p.startswith(expected) for p in problems), problems


def test_all_problems_reported_at_once_in_line_order(tmp_path):
    text = MINIMAL.replace("kind: adapt", "kind: adopt").replace(
        "channels: [web]", "channels: [fax]"
    )
    problems = problems_of(tmp_path, text)
    assert len(problems) == 2
    assert problems[0].startswith("line 9:") and problems[1].startswith("line 19:")


def test_duplicate_keys_and_unknown_tags_are_problems_like_the_others(tmp_path):
    text = MINIMAL.replace("    kind: core\n", "    kind: core\n    kind: service\n").replace(
        "uses: [repair]", "uses: [!theme repair]"
    )
    problems = problems_of(tmp_path, text)
    assert problems == [
        "line 15: offers[0].kind: duplicate key",
        "line 21: offers[0].intent.uses[0]: invalid value 'repair': "
        "could not determine a constructor for the tag '!theme'",
    ]


def test_missing_file_and_bad_yaml_are_clear(tmp_path):
    with pytest.raises(IntentError, match="does not exist"):
        load_intent(tmp_path / "nope.yaml")
    problems = problems_of(tmp_path, "company: [unclosed\n")
    assert "not valid YAML" in problems[0]


def test_a_choice_left_empty_says_what_to_choose(tmp_path):
    problems = problems_of(tmp_path, MINIMAL.replace("kind: adapt", "kind: ~"))
    assert problems == [
        "line 9: themes[0].kind: is empty: give a value "
        "(one of: adapt, circumvent, suggest, transform, reject)"
    ]


def test_optional_keys_left_empty_keep_their_defaults(tmp_path):
    text = MINIMAL.replace("kind: core", "kind: ~").replace("theme: repair\n", "theme: ~\n")
    intent = load_intent(write(tmp_path, text.replace("default_segment: people", "timezone: ~")))
    assert (intent.timezone, intent.default_segment) == ("UTC", "people")
    assert intent.offers[0].kind == "core"
    assert intent.decisions[0].theme is None


@pytest.mark.parametrize(
    ("target", "note"),
    [
        ("monthly_units: -5", "(a count, 0 or more)"),
        ("monthly_revenue: -1", "(an amount in the company currency, 0 or more)"),
        ("tickets_per_100_orders_max: -2", "(a number per 100 orders, 0 or more)"),
        ("rating_min: -1", "(ratings are 1 to 5)"),
        ("rating_min: 6", "(ratings are 1 to 5)"),
        ("csat_min: 1.5", "(rates are fractions, 0.08 = 8%)"),
    ],
)
def test_a_target_out_of_range_is_explained_in_its_own_unit(tmp_path, target, note):
    text = MINIMAL.replace("{return_rate_max: 0.08, rating_min: 4.2}", "{" + target + "}")
    problems = problems_of(tmp_path, text)
    metric, value = target.split(": ")
    assert problems == [
        f"line 22: offers[0].intent.targets.{metric}: {float(value)} is out of range {note}"
    ]


@pytest.mark.parametrize(
    ("key", "written"),
    [
        ("since", '"20240101"'),
        ("since", '"2024-W01-1"'),
        ("until", "'2024-001'"),
        ("date", '"20250301"'),
    ],
)
def test_quoted_dates_are_only_yyyy_mm_dd(tmp_path, key, written):
    old = {"since": "since: 2024-01-01", "until": "since: 2024-01-01", "date": "date: 2025-03-01"}
    new = {
        "since": f"since: {written}",
        "until": f"since: 2024-01-01\n    until: {written}",
        "date": f"date: {written}",
    }
    problems = problems_of(tmp_path, MINIMAL.replace(old[key], new[key], 1))
    assert (
        len(problems) == 1
        and f"expected a date as YYYY-MM-DD, got {written[1:-1]!r}" in (problems[0])
    ), problems
    # the same date written as YYYY-MM-DD, quoted or not, is a date
    intent = load_intent(
        write(tmp_path, MINIMAL.replace(old[key], new[key].replace(written, '"2025-03-01"'), 1))
    )
    assert "2025-03-01" in {
        str(day)
        for day in (intent.offers[0].since, intent.offers[0].until, intent.decisions[0].date)
    }
