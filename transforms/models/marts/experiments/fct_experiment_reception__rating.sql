with

periods as (
    select * from {{ ref('fct_experiment_reception__periods') }}
),

compared_products as (
    select * from {{ ref('fct_experiment_reception__compared_products') }}
),

reviews as (
    select * from {{ ref('stg_shop__reviews') }}
),

final as (
    -- reviews of each product over the period, by sku (or by product id without sku)
    select
        periods.offer_id as experiment_offer_id,
        periods.month,
        compared_products.is_experiment,
        compared_products.product_id,
        count(*) as reviews,
        sum(reviews.rating) as rating_sum,
        sum(reviews.rating * reviews.rating) as rating_sum_squares
    from periods
    inner join reviews
        on {{ month_of('reviews.created_at') }} between periods.period_start and periods.period_end
    inner join compared_products
        on periods.offer_id = compared_products.experiment_offer_id
        and (
            coalesce(reviews.sku, '') = coalesce(compared_products.sku, '-')
            or (reviews.sku is null and reviews.product_id = compared_products.product_id)
        )
    group by all
)

select * from final
