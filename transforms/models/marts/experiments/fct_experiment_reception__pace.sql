with

lines as (
    select * from {{ ref('fct_experiment_reception__lines') }}
),

final as (
    -- sell-through: units and months with sales of each product over the period
    select
        experiment_offer_id,
        month,
        is_experiment,
        product_id,
        sum(quantity) as units,
        count(distinct order_month) as selling_months
    from lines
    group by all
)

select * from final
