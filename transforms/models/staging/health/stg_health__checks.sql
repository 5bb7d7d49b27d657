with

source as (
    select * from {{ source('raw_health', 'checks') }}
),

renamed as (
    select
        {{ clean_text('check_id') }} as check_id,
        {{ clean_enum('stage') }} as stage,
        {{ to_utc('checked_at') }} as checked_at,
        cast(run_date as date) as run_date,
        coalesce(cast(allow_partial as boolean), false) as allow_partial,
        cast(passed as boolean) as passed,
        cast(failure_count as bigint) as failure_count,
        {{ clean_text('message') }} as message
    from source
),

final as (
    select * from renamed
)

select * from final
