"""Ingest: load a folder of export files into the raw layer (dlt, one dataset per system).

`run.ingest_exports` is the entry point the flows and the CLI call. The modules, in the
order a file goes through them:

- `contract`: the canonical export files (entities, columns, types, rules);
- `export_settings`: how the files of a folder are written (`export-settings.yaml`);
- `folder`: which files of the folder are canonical export files;
- `file_state`: which of them changed since the last load;
- `readers`, `casting`, `rejects`, `export_file`: one file read into a typed table,
  with the rows it rejects and why;
- `source`, `raw_layer`: the dlt source and how the raw tables are typed;
- `report`, `run`: what a run did, and the run itself (one dlt pipeline per system);
- `contract_doc`: docs/input-contract.md, written from the contract.
"""
