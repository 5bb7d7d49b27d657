{{ config(tags=['coverage']) }}

-- One row per rejected value of the crm exports (body shared: macros/staged_rejects.sql).
{{ staged_ingest_rejects('crm') }}
