with

periods as (
    select * from {{ ref('fct_experiment_reception__periods') }}
),

compared_products as (
    select * from {{ ref('fct_experiment_reception__compared_products') }}
),

returns as (
    select * from {{ ref('int_returns_linked') }}
),

final as (
    -- units of each product returned over the period (returns known by the month judged,
    -- whatever month the order was in)
    select
        periods.offer_id as experiment_offer_id,
        periods.month,
        compared_products.is_experiment,
        compared_products.product_id,
        sum(coalesce(returns.quantity, 1)) as returned_units
    from periods
    inner join returns
        on returns.return_month between periods.period_start and periods.period_end
    inner join compared_products
        on periods.offer_id = compared_products.experiment_offer_id
        and returns.sku = compared_products.sku
    group by all
)

select * from final
