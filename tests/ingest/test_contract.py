"""The export contract is consistent: every rule names a real column of the right type."""

from __future__ import annotations

import pytest

from flows.ingest import contract


@pytest.mark.parametrize(
    ("rules", "types"),
    [
        (contract.RANGE_RULES, {contract.INTEGER, contract.DECIMAL}),
        (contract.ENUMERATIONS, {contract.TEXT}),
        (contract.MULTI_VALUED, {contract.TEXT}),
    ],
    ids=["ranges", "enumerations", "multi-valued"],
)
def test_rules_name_real_columns_of_the_right_type(rules: dict, types: set[str]) -> None:
    for system, entity, column in rules:
        columns = contract.ENTITIES_BY_KEY[(system, entity)].column_types
        assert columns.get(column) in types, (system, entity, column)


def test_every_entity_has_its_key_among_its_required_columns() -> None:
    for entity in contract.ENTITIES:
        assert set(entity.primary_key) <= set(entity.required_columns), entity.name
        for group in entity.one_of:
            assert set(group) <= set(entity.column_types), entity.name
