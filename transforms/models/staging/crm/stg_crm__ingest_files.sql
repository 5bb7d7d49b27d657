{{ config(tags=['coverage']) }}

-- One row per export file of the CRM system (body shared: macros/staged_rejects.sql).
{{ staged_ingest_files('crm') }}
