with

source as (
    select * from {{ source('raw_health', 'test_warnings') }}
),

renamed as (
    select
        {{ clean_text('test_id') }} as test_id,
        {{ clean_text('test_name') }} as test_name,
        {{ clean_text('model') }} as model,
        cast(failing_rows as bigint) as failing_rows,
        {{ clean_text('message') }} as message,
        {{ to_utc('warned_at') }} as warned_at
    from source
),

final as (
    select * from renamed
)

select * from final
