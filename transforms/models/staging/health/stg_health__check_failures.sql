with

source as (
    select * from {{ source('raw_health', 'check_failures') }}
),

renamed as (
    select
        {{ clean_text('check_id') }} || ':' || cast(failure_number as varchar) as check_failure_id,
        {{ clean_text('check_id') }} as check_id,
        cast(failure_number as bigint) as failure_number,
        {{ clean_enum('rule') }} as rule,
        {{ clean_enum('system') }} as system,
        {{ clean_enum('entity') }} as entity,
        {{ clean_text('file') }} as file,
        cast(rows_received as bigint) as rows_received,
        cast(rows_loaded as bigint) as rows_loaded,
        cast(rows_rejected as bigint) as rows_rejected,
        cast(rows_excluded as bigint) as rows_excluded,
        cast(share as double) as share,
        cast(threshold as double) as threshold,
        {{ clean_enum('top_reason_code') }} as top_reason_code,
        {{ clean_text('message') }} as message
    from source
),

final as (
    select * from renamed
)

select * from final
