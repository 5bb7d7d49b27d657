with

source_freshness as (
    select * from {{ ref('fct_source_freshness') }}
),

final as (
    select
        source,
        is_stale,
        last_loaded_at,
        failing_since,
        last_attempt_at,
        last_error
    from source_freshness
)

select * from final
