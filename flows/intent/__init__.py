"""Intent: the company's intent file (`intent.yaml`), validated and written as tables.

- `schema`: the file's pydantic models and JSON Schema (docs/intent.schema.json), built
  from the value types of `values`;
- `load`: `load_intent`, every problem reported at once with its line and key path;
- `model`: the validated `Intent` the rest of Terrain uses;
- `tables`: `write_intent_tables`, the `raw_intent` tables the dbt project reads.
"""
