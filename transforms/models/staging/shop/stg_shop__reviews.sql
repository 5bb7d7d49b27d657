with

source as (
    select * from {{ source('raw_shop', 'reviews') }}
    where _deleted_at is null  -- rows deleted in the source stay in raw, marked
),

renamed as (
    select
        {{ clean_text('review_id') }} as review_id,
        {{ clean_text('sku') }} as sku,
        {{ clean_text('product_id') }} as product_id,
        {{ clean_text('customer_id') }} as customer_id,
        {{ to_utc('created_at') }} as created_at,
        -- title and body: redacted in stg_voice__texts (never read here)
        cast(rating as bigint) as rating
    from source
),

final as (
    select * from renamed
)

select * from final
