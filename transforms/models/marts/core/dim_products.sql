with

products as (
    select * from {{ ref('stg_shop__products') }}
),

mapped as (
    select * from {{ ref('int_products_mapped') }}
),

final as (
    select
        products.product_id,
        products.sku,
        products.product_name,
        products.category,
        products.unit_price,
        products.currency,
        products.product_status,
        products.launched_at,
        products.tag_list,
        mapped.offer_id,
        mapped.matched_by,
        mapped.matched_pattern
    from products
    left join mapped
        on products.product_id = mapped.product_id
)

select * from final
