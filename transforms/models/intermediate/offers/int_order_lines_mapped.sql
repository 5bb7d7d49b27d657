with

order_lines as (
    select * from {{ ref('stg_shop__order_lines') }}
),

products as (
    select * from {{ ref('int_products_mapped') }}
),

products_by_sku as (
    select *
    from products
    where sku is not null
    qualify row_number() over (partition by sku order by product_id) = 1
),

resolved as (
    -- a line names its product by sku, or by product_id when the export has no sku
    select
        order_lines.order_line_id,
        order_lines.order_id,
        order_lines.line_number,
        coalesce(products_by_sku.product_id, products_by_id.product_id) as product_id,
        coalesce(order_lines.sku, products_by_id.sku) as sku,
        coalesce(products_by_sku.offer_id, products_by_id.offer_id) as offer_id,
        order_lines.quantity,
        order_lines.unit_price,
        order_lines.line_amount
    from order_lines
    left join products_by_sku
        on order_lines.sku = products_by_sku.sku
    left join products as products_by_id
        on order_lines.sku is null
        and order_lines.product_id = products_by_id.product_id
),

final as (
    select * from resolved
)

select * from final
