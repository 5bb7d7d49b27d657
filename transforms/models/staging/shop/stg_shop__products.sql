with

source as (
    select * from {{ source('raw_shop', 'products') }}
    where _deleted_at is null  -- rows deleted in the source stay in raw, marked
),

renamed as (
    select
        {{ clean_text('product_id') }} as product_id,
        {{ clean_text('sku') }} as sku,
        {{ clean_text('name') }} as product_name,
        {{ clean_enum('category') }} as category,
        cast(unit_price as double) as unit_price,
        upper({{ clean_text('currency') }}) as currency,
        {{ clean_enum('status') }} as product_status,
        {{ to_utc('launched_at') }} as launched_at,
        {{ split_list('tags', '[|,]', lower=true) }} as tag_list
    from source
),

final as (
    select * from renamed
)

select * from final
