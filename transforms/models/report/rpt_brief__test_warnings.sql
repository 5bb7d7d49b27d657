{{ config(materialized='view', tags=['coverage']) }}

-- A view: the warnings are those of the build that just ran, recorded once it ended
-- (flows/transform/dbt.py).

with

warnings as (
    select * from {{ ref('stg_health__test_warnings') }}
),

final as (
    select
        test_id,
        test_name,
        model,
        failing_rows,
        message,
        warned_at
    from warnings
)

select * from final
