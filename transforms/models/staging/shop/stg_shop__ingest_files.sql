{{ config(tags=['coverage']) }}

-- One row per export file of the shop system (body shared: macros/staged_rejects.sql).
{{ staged_ingest_files('shop') }}
