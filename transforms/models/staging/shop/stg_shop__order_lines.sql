with

source as (
    select * from {{ source('raw_shop', 'order_lines') }}
    where _deleted_at is null  -- rows deleted in the source stay in raw, marked
),

renamed as (
    select
        {{ clean_text('order_id') }} || '-' || cast(line_number as varchar) as order_line_id,
        {{ clean_text('order_id') }} as order_id,
        cast(line_number as bigint) as line_number,
        {{ clean_text('sku') }} as sku,
        {{ clean_text('product_id') }} as product_id,
        cast(quantity as bigint) as quantity,
        cast(unit_price as double) as unit_price,
        cast(quantity as bigint) * cast(unit_price as double) as line_amount
    from source
),

final as (
    select * from renamed
)

select * from final
