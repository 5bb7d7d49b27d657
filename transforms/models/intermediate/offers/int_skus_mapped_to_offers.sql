with

products as (
    select * from {{ ref('int_products_mapped') }}
),

final as (
    -- several products may share a sku: the smallest offer id among theirs
    select
        sku,
        min(offer_id) as offer_id
    from products
    where sku is not null
    group by all
)

select * from final
