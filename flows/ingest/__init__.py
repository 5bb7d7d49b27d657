"""Ingest: load a folder of export files into the raw layer (dlt, one dataset per system).

`flows.ingest.run.ingest_exports` is the entry point the flows and the CLI call.
"""
