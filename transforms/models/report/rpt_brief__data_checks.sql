{{ config(materialized='view', tags=['coverage']) }}

-- A view: the transform's own check is recorded after the build, and the brief must
-- see it (flows/health/check.py).

with

checks as (
    select * from {{ ref('stg_health__checks') }}
),

failures as (
    select * from {{ ref('stg_health__check_failures') }}
),

latest_checks as (
    select *
    from checks
    qualify row_number() over (partition by stage order by checked_at desc) = 1
),

failure_lists as (
    select
        check_id,
        list(rule order by failure_number) as failure_rules,
        list(system || '/' || entity order by failure_number) as failure_entities,
        list(file order by failure_number) filter (where file is not null) as failure_files,
        list(message order by failure_number) as failure_messages
    from failures
    group by all
),

final as (
    select
        latest_checks.stage,
        latest_checks.check_id,
        latest_checks.checked_at,
        latest_checks.run_date,
        latest_checks.passed,
        latest_checks.allow_partial,
        not latest_checks.passed and latest_checks.allow_partial as is_partial,
        latest_checks.failure_count,
        coalesce(failure_lists.failure_rules, []) as failure_rules,
        coalesce(failure_lists.failure_entities, []) as failure_entities,
        coalesce(failure_lists.failure_files, []) as failure_files,
        coalesce(failure_lists.failure_messages, []) as failure_messages
    from latest_checks
    left join failure_lists
        on latest_checks.check_id = failure_lists.check_id
)

select * from final
