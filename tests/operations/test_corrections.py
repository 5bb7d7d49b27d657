"""Corrections propagate to the brief: a deleted order and an edit that kept size and time.

Reproduces issue 12: a row deleted from an export stayed in the warehouse forever (its
order lines stayed in the marts), and a same-size edit that kept the file's
modification time was skipped as unchanged.
"""

from __future__ import annotations

import json

import duckdb

from .conftest import Company, Reference


def _main_range(findings: bytes) -> tuple:
    offers = {o["offer_id"]: o["figures"] for o in json.loads(findings)["offers"]}
    main = offers["main-range"]
    return main["orders"], main["units"], main["revenue"]


def test_a_deleted_order_and_a_same_size_edit_reach_the_brief(
    baseline: Company, reference: Reference
) -> None:
    # February before: O2 (2 x 100), O3 (100), O4 (100)
    assert _main_range(baseline.findings.read_bytes()) == (3, 4, 400)
    # after: O3 deleted in the shop, O4's line now 150
    assert _main_range(reference.findings) == (2, 3, 350)

    with duckdb.connect(str(reference.company.warehouse), read_only=True) as con:
        # kept in raw, marked, with when it disappeared; gone from staging and marts
        [(deleted_at,)] = con.execute(
            "select _deleted_at from raw_shop.orders where order_id = 'O3'"
        ).fetchall()
        assert deleted_at is not None
        assert con.execute(
            "select count(*) from staging.stg_shop__orders where order_id = 'O3'"
        ).fetchone() == (0,)
        # its lines are still in the export, but an order line without its order is out
        assert con.execute(
            "select count(*) from marts.fct_order_lines where order_id = 'O3'"
        ).fetchone() == (0,)
