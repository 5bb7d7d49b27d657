{{ config(tags=['coverage']) }}

-- One row per export file of the support system (body shared: macros/staged_rejects.sql).
{{ staged_ingest_files('support') }}
