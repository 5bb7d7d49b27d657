"""The shared lists: every seed file is documented for dbt and read the same by Python."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from flows import shared_lists
from flows.brief.formatting import Formatter
from flows.brief.i18n import LISTED_CODES, STRINGS, Translator

SEEDS_YML = shared_lists.SEEDS_DIR / "_seeds.yml"


def _documented() -> dict[str, dict]:
    return {seed["name"]: seed for seed in yaml.safe_load(SEEDS_YML.read_text())["seeds"]}


def test_every_seed_file_is_documented_with_its_columns_and_their_types() -> None:
    documented = _documented()
    files = {path.stem for path in shared_lists.SEEDS_DIR.glob("*.csv")}
    assert files == set(documented)
    for name, seed in documented.items():
        with (shared_lists.SEEDS_DIR / f"{name}.csv").open(encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        assert [column["name"] for column in seed["columns"]] == header, name
        # declared types: dbt does not guess a boolean or a number from the first rows
        assert list(seed["config"]["column_types"]) == header, name
        assert "One row per" in seed["description"], name


@pytest.mark.parametrize("name", sorted(set(_documented()) - {"stop_words"}))
def test_ids_are_unique_and_never_blank(name: str) -> None:
    ids = shared_lists.ids(name)
    assert ids and all(value.strip() == value and value for value in ids)
    assert len(set(ids)) == len(ids)


def test_every_label_column_has_a_text_in_every_language() -> None:
    languages = shared_lists.language_codes()
    assert languages
    for name in shared_lists.labelled_lists():
        for code, texts in shared_lists.labels(name).items():
            assert set(texts) == set(languages), (name, code)
            assert all(text.strip() for text in texts.values()), (name, code)


def test_the_brief_is_written_in_the_languages_of_the_seed() -> None:
    assert tuple(STRINGS) == shared_lists.language_codes()


def test_metrics_know_their_unit_direction_and_role() -> None:
    metrics = shared_lists.metrics_by_id()
    assert metrics["return_rate_max"].direction == "max"
    assert metrics["rating_min"].unit.minimum == 1 and metrics["rating_min"].unit.maximum == 5
    assert metrics["monthly_units"].unit.allows(0) and not metrics["monthly_units"].unit.allows(-1)
    targets = [metric.id for metric in shared_lists.target_metrics()]
    assert targets[:2] == ["monthly_units", "monthly_revenue"] and "rating_min" in targets
    assert "repeat_rate" in [metric.id for metric in shared_lists.watched_metrics()]
    assert not (set(targets) & {metric.id for metric in shared_lists.watched_metrics()})


# What each unit format looks like in English: a format the brief cannot show would fail
# here rather than be shown as a plain number.
SHOWN = {
    "number": "1.50",
    "money": "€2",
    "percent": "150%",
    "decimal": "1.5",
    "decimal2": "1.50",
    "ratio": "×\u202f1.5",
}


@pytest.mark.parametrize("metric", shared_lists.metrics(), ids=lambda metric: metric.id)
def test_every_metric_is_shown_the_way_of_its_unit(metric: shared_lists.Metric) -> None:
    assert Formatter("en", "EUR").metric(1.5, metric.id) == SHOWN[metric.unit.format]


def test_codes_are_labelled_from_the_seeds() -> None:
    fr, en = Translator("fr"), Translator("en")
    assert fr.code("metric", "return_rate_max") == "Taux de retour (max.)"
    assert en.code("metric", "units") == "Units per month"
    assert en.code("kind", "adapt") == "Adapt" and fr.code("kind", "core") == "Offre permanente"
    assert (
        fr.code("class", "strong") == "Fort" and en.code("class", "keep_testing") == "Keep testing"
    )
    assert fr.code("channel", "marketplace") == "places de marché"
    assert en.code("dim", "bundles") == "Bundles"
    assert fr.code("source", "crm_note") == "note CRM"
    # the brief's own classifications of gaps stay wording
    assert fr.code("class", "breach") == "Hors objectif"
    # a code this version does not know is shown as written
    assert en.code("metric", "new_metric") == "new metric"


def test_no_string_repeats_a_label_of_a_seed() -> None:
    for prefix, names in LISTED_CODES.items():
        for name in names:
            for code in shared_lists.ids(name):
                for strings in STRINGS.values():
                    assert f"{prefix}_{code}" not in strings, (prefix, code)


def test_signal_classes_come_in_the_order_of_their_rank() -> None:
    classes = shared_lists.signal_classes()
    assert [signal_class.id for signal_class in classes][:3] == ["strong", "emerging", "weak"]
    assert [signal_class.rank for signal_class in classes] == sorted(
        signal_class.rank for signal_class in classes
    )


@pytest.fixture
def other_seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Read the shared lists from `tmp_path` instead of transforms/seeds/."""
    monkeypatch.setattr(shared_lists, "SEEDS_DIR", tmp_path)
    shared_lists.clear_caches()
    yield tmp_path
    monkeypatch.undo()
    shared_lists.clear_caches()


def test_a_list_without_a_label_column_of_a_language_is_a_clear_error(other_seeds: Path) -> None:
    (other_seeds / "languages.csv").write_text(
        "language_id,locale,label\nfr,fr_FR,français\nde,de_DE,Deutsch\n", encoding="utf-8"
    )
    (other_seeds / "channels.csv").write_text(
        "channel_id,label_fr,label_en\nweb,site web,website\n", encoding="utf-8"
    )
    with pytest.raises(shared_lists.SharedListError, match="channels.csv has no column label_de"):
        shared_lists.labels("channels")


def test_a_flag_that_is_not_true_or_false_is_a_clear_error(other_seeds: Path) -> None:
    (other_seeds / "languages.csv").write_text(
        "language_id,locale,label\nen,en_GB,English\n", encoding="utf-8"
    )
    (other_seeds / "units.csv").write_text(
        "unit_id,format,minimum,maximum,range_note\ncount,number,0,,a count\n", encoding="utf-8"
    )
    (other_seeds / "metrics.csv").write_text(
        "metric_id,label_en,unit,direction,is_target,is_watched,description\n"
        "units,Units,count,min,yes,false,Units sold.\n",
        encoding="utf-8",
    )
    with pytest.raises(shared_lists.SharedListError, match="is_target is 'yes'"):
        shared_lists.metrics()


def test_every_signal_class_is_explained_in_the_method_appendix() -> None:
    # the appendix states each class's rule with the method's thresholds: wording, not
    # a label, so it stays in i18n.py; a class added to the seed needs its sentence
    for signal_class in shared_lists.signal_classes():
        for strings in STRINGS.values():
            assert strings.get(f"method_class_{signal_class.id}", "").strip(), signal_class.id


def test_flags_pick_their_rows_and_volumes_are_known() -> None:
    assert shared_lists.flagged("decision_statuses", "is_headline") == ("improved", "worsened")
    assert shared_lists.flagged("signal_kinds", "is_use") == ("adapt", "transform")
    volumes = [metric.id for metric in shared_lists.metrics() if metric.is_volume]
    assert volumes == ["monthly_units", "monthly_revenue", "units", "revenue"]
    assert shared_lists.ids_where("signal_classes", "direction", "rise") == (
        "strong",
        "emerging",
        "weak",
    )
