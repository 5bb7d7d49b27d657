with

offers as (
    select * from {{ ref('dim_offers') }}
),

products as (
    select * from {{ ref('dim_products') }}
),

experiments as (
    select * from offers
    where offer_kind = 'experiment'
),

final as (
    -- an experiment is judged on its own items against the core range
    select
        experiments.offer_id || ':' || products.product_id as experiment_product_id,
        experiments.offer_id as experiment_offer_id,
        products.product_id,
        products.sku,
        products.product_name,
        product_offers.offer_kind = 'experiment' and products.offer_id = experiments.offer_id
            as is_experiment
    from experiments
    cross join products
    inner join offers as product_offers
        on products.offer_id = product_offers.offer_id
    where product_offers.offer_kind = 'core'
        or products.offer_id = experiments.offer_id
)

select * from final
