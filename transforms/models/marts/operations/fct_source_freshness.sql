-- How fresh each source is: its last successful load, its last attempt, and whether the
-- latest ingestion run loaded it. A source the latest run did not load (its load failed,
-- or its folder was not there) is stale: its data are those of its last successful load.

with

source_loads as (
    select * from {{ ref('stg_ingest__source_loads') }}
),

runs as (
    select
        run_id,
        min(started_at) as run_started_at
    from source_loads
    group by all
),

latest_run as (
    select run_id
    from runs
    order by run_started_at desc, run_id desc
    limit 1
),

per_source as (
    select
        source,
        max(finished_at) filter (where load_status = 'loaded') as last_loaded_at,
        max(started_at) as last_attempt_at,
        arg_max(load_status, started_at) as last_attempt_status,
        arg_max(error, started_at) as last_error,
        count(*) as attempts
    from source_loads
    group by all
),

loaded_in_latest_run as (
    select distinct source_loads.source
    from source_loads
    inner join latest_run
        on source_loads.run_id = latest_run.run_id
    where source_loads.load_status = 'loaded'
),

-- the first failed attempt after the last successful load
failing as (
    select
        source_loads.source,
        min(source_loads.started_at) as failing_since
    from source_loads
    inner join per_source
        on source_loads.source = per_source.source
    where
        source_loads.load_status = 'failed'
        and (
            per_source.last_loaded_at is null
            or source_loads.started_at > per_source.last_loaded_at
        )
    group by all
),

final as (
    select
        per_source.source,
        per_source.last_loaded_at,
        per_source.last_attempt_at,
        per_source.last_attempt_status,
        failing.failing_since,
        per_source.attempts,
        loaded_in_latest_run.source is null as is_stale,
        case
            when per_source.last_attempt_status = 'failed' then per_source.last_error
        end as last_error
    from per_source
    left join failing
        on per_source.source = failing.source
    left join loaded_in_latest_run
        on per_source.source = loaded_in_latest_run.source
)

select * from final
