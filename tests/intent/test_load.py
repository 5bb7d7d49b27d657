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
