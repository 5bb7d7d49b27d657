"""Intent: the company's intent file (`intent.yaml`), validated and written as tables.

`flows.intent.load.load_intent` validates the file; `flows.intent.tables` writes the
`raw_intent` tables the dbt project reads.
"""
