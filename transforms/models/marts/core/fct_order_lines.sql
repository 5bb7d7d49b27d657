with

order_lines as (
    select * from {{ ref('int_order_lines_mapped') }}
),

orders as (
    -- orders no exchange rate converts are left out of every figure
    -- (listed in fct_amount_exclusions)
    select * from {{ ref('int_orders_converted') }}
    where is_amount_converted
),

shop_keys as (
    select * from {{ ref('int_shop_customer_keys') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

order_statuses as (
    select * from {{ ref('order_statuses') }}
),

joined as (
    select
        order_lines.order_line_id,
        order_lines.order_id,
        order_lines.line_number,
        orders.ordered_at,
        orders.order_month,
        orders.customer_id,
        shop_keys.customer_key,
        customers.segment_id,
        orders.channel,
        orders.order_status,
        -- a cancelled order never happened; every other status (or none) counts as a sale
        coalesce(order_statuses.is_counted, true) as is_counted,
        order_lines.product_id,
        order_lines.sku,
        order_lines.offer_id,
        order_lines.quantity,
        -- in the company's currency: never a sum of raw foreign amounts
        order_lines.unit_price * orders.exchange_rate as unit_price,
        order_lines.line_amount * orders.exchange_rate as line_amount,
        orders.currency,
        orders.exchange_rate
    from order_lines
    inner join orders
        on order_lines.order_id = orders.order_id
    left join shop_keys
        on orders.customer_id = shop_keys.customer_id
    left join customers
        on shop_keys.customer_key = customers.customer_key
    left join order_statuses
        on orders.order_status = order_statuses.order_status_id
),

final as (
    select
        *,
        -- the customer's first counted order of this offer, for repeat rates
        min(ordered_at) filter (where is_counted) over (
            partition by customer_key, offer_id
        ) as first_offer_ordered_at
    from joined
)

select * from final
