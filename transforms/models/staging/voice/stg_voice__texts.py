"""Every free-text value of the raw layer, as plain text with its personal data redacted.

One row per free-text column value (flows/ingest/contract.py: FREE_TEXT) of one raw
row. The only model that reads raw free text: the staging views of those entities
leave their text columns out, and every later model reads this table. The work is
Python (flows/voice/texts.py: markup removal, then flows/voice/redaction.py with every
person name the raw layer holds), run once per build inside dbt; the result is a plain
table, so analysts read it without Python.
"""

from __future__ import annotations

from flows.voice.texts import voice_texts


def model(dbt, session):
    dbt.config(materialized="table")
    # dbt learns a Python model's sources from literal dbt.source calls, so each raw
    # table that holds free text or person names is named here
    # (tests/voice/test_texts.py checks this list against the contract).
    raw = {
        ("raw_shop", "customers"): dbt.source("raw_shop", "customers"),
        ("raw_shop", "reviews"): dbt.source("raw_shop", "reviews"),
        ("raw_shop", "returns"): dbt.source("raw_shop", "returns"),
        ("raw_crm", "accounts"): dbt.source("raw_crm", "accounts"),
        ("raw_crm", "contacts"): dbt.source("raw_crm", "contacts"),
        ("raw_crm", "deals"): dbt.source("raw_crm", "deals"),
        ("raw_crm", "notes"): dbt.source("raw_crm", "notes"),
        ("raw_support", "tickets"): dbt.source("raw_support", "tickets"),
        ("raw_support", "ticket_comments"): dbt.source("raw_support", "ticket_comments"),
        ("raw_support", "satisfaction"): dbt.source("raw_support", "satisfaction"),
    }
    return voice_texts(lambda source_name, entity: raw[(source_name, entity)])
