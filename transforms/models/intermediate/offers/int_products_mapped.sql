with

products as (
    select * from {{ ref('stg_shop__products') }}
),

offers as (
    select * from {{ ref('stg_intent__offers') }}
),

offer_products as (
    select * from {{ ref('stg_intent__offer_products') }}
),

patterns as (
    select
        offer_products.offer_id,
        offer_products.match_type,
        offer_products.pattern,
        offers.offer_position
    from offer_products
    inner join offers
        on offer_products.offer_id = offers.offer_id
),

candidate_matches as (
    -- glob patterns (* and ? wildcards), compared case-insensitively
    select
        products.product_id,
        patterns.offer_id,
        patterns.match_type,
        patterns.pattern,
        patterns.offer_position
    from products
    inner join patterns
        on (
            patterns.match_type = 'sku'
            and lower(products.sku) glob lower(patterns.pattern)
        )
        or (
            patterns.match_type = 'category'
            and lower(products.category) glob lower(trim(patterns.pattern))
        )
),

first_matches as (
    -- a product belongs to at most one offer: the first by position wins
    select *
    from candidate_matches
    qualify
        row_number() over (
            partition by product_id
            order by offer_position, match_type desc, pattern
        ) = 1
),

final as (
    select
        products.product_id,
        products.sku,
        products.category,
        first_matches.offer_id,
        first_matches.match_type as matched_by,
        first_matches.pattern as matched_pattern
    from products
    left join first_matches
        on products.product_id = first_matches.product_id
)

select * from final
