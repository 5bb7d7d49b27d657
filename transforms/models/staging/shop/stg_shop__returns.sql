with

source as (
    select * from {{ source('raw_shop', 'returns') }}
    where _deleted_at is null  -- rows deleted in the source stay in raw, marked
),

renamed as (
    select
        {{ clean_text('return_id') }} as return_id,
        {{ clean_text('order_id') }} as order_id,
        {{ clean_text('sku') }} as sku,
        {{ to_utc('returned_at') }} as returned_at,
        -- a return without quantity is one unit
        coalesce(cast(quantity as bigint), 1) as quantity,
        -- reason_text: redacted in stg_voice__texts (never read here)
        {{ clean_enum('reason_code') }} as reason_code
    from source
),

final as (
    select * from renamed
)

select * from final
