with

periods as (
    select * from {{ ref('fct_experiment_reception__periods') }}
),

compared_products as (
    select * from {{ ref('fct_experiment_reception__compared_products') }}
),

order_lines as (
    select * from {{ ref('fct_order_lines') }}
),

final as (
    -- experiment lines, and core-range lines of the same period as the reference
    select
        periods.offer_id as experiment_offer_id,
        periods.month,
        compared_products.is_experiment,
        order_lines.order_line_id,
        order_lines.product_id,
        order_lines.order_id,
        order_lines.order_month,
        order_lines.customer_key,
        order_lines.quantity
    from periods
    inner join order_lines
        on order_lines.order_month between periods.period_start and periods.period_end
    inner join compared_products
        on periods.offer_id = compared_products.experiment_offer_id
        and order_lines.product_id = compared_products.product_id
    where order_lines.is_counted
)

select * from final
