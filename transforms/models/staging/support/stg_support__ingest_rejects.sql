{{ config(tags=['coverage']) }}

-- One row per rejected value of the support exports (body shared: macros/staged_rejects.sql).
{{ staged_ingest_rejects('support') }}
