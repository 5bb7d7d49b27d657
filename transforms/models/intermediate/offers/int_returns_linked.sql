with

returns as (
    select * from {{ ref('stg_shop__returns') }}
),

orders as (
    select * from {{ ref('int_orders_converted') }}
),

order_lines as (
    select * from {{ ref('int_order_lines_mapped') }}
),

sku_offers as (
    select * from {{ ref('int_skus_mapped_to_offers') }}
),

shop_keys as (
    select * from {{ ref('int_shop_customer_keys') }}
),

line_offers_by_sku as (
    -- the offer of the returned sku within its order
    select
        order_id,
        sku,
        min(offer_id) as offer_id
    from order_lines
    group by all
),

order_main_offers as (
    -- a return without sku stands for the offer with the largest amount in its order
    select
        order_id,
        arg_max(offer_id, line_amount) as offer_id
    from order_lines
    where offer_id is not null
    group by all
),

final as (
    select
        returns.return_id,
        returns.order_id,
        returns.sku,
        returns.returned_at,
        {{ month_of('returns.returned_at') }} as return_month,
        returns.quantity,
        returns.reason_code,
        shop_keys.customer_key,
        case
            when returns.sku is not null
                then coalesce(line_offers_by_sku.offer_id, sku_offers.offer_id)
            else order_main_offers.offer_id
        end as offer_id
    from returns
    left join orders
        on returns.order_id = orders.order_id
    left join shop_keys
        on orders.customer_id = shop_keys.customer_id
    left join line_offers_by_sku
        on returns.order_id = line_offers_by_sku.order_id
        and returns.sku = line_offers_by_sku.sku
    left join sku_offers
        on returns.sku = sku_offers.sku
    left join order_main_offers
        on returns.order_id = order_main_offers.order_id
    -- the return of an order left out of every figure (no exchange rate) is left out too
    where coalesce(orders.is_amount_converted, true)
)

select * from final
