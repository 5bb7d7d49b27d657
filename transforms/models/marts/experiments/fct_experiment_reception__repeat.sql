with

lines as (
    select * from {{ ref('fct_experiment_reception__lines') }}
),

customer_items as (
    -- per buyer and item: how many distinct orders (2 or more: bought again)
    select
        experiment_offer_id,
        month,
        is_experiment,
        product_id,
        customer_key,
        count(distinct order_id) as item_orders
    from lines
    where customer_key is not null
    group by all
),

final as (
    select
        experiment_offer_id,
        month,
        is_experiment,
        product_id,
        count(*) as buyers,
        count(*) filter (where item_orders >= 2) as repeat_buyers
    from customer_items
    group by all
)

select * from final
