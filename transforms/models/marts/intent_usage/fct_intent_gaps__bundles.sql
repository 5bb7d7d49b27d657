{%- set min_buyers = var('gap_min_buyers') -%}
{%- set bundle_min_lift = var('gap_bundle_min_lift') -%}
{%- set bundle_min_co_orders = var('gap_bundle_min_co_orders') -%}

with

bundles as (
    select * from {{ ref('fct_offer_bundles') }}
),

unplanned_bundles as (
    -- pairs bought together more than chance that neither offer plans (each pair once)
    select
        offer_id,
        month,
        'unplanned_bundle' as metric,
        partner_offer_id as subject_id,
        'max' as target_kind,
        lift as actual_value,
        co_orders as sample_size,
        {{ bundle_min_co_orders }} as min_sample_size,
        -- a lift below the floor is not a finding, however significant
        case when lift >= {{ bundle_min_lift }} then z_score else least(z_score, 0) end as z_score,
        offer_pair_month_id as source_id,
        account_ids
    from bundles
    where not is_intended_complement
        and offer_id < partner_offer_id
        and co_orders > 0
),

missing_complements as (
    -- complements the offer declares that customers do not buy with it more than chance
    select
        offer_id,
        month,
        'missing_complement' as metric,
        partner_offer_id as subject_id,
        'min' as target_kind,
        lift as actual_value,
        offer_orders as sample_size,
        {{ min_buyers }} as min_sample_size,
        -z_score as z_score,
        offer_pair_month_id as source_id,
        account_ids
    from bundles
    where is_declared_by_offer
),

final as (
    -- both against independence (lift 1)
    select
        'bundles' as dimension,
        'bundle' as gap_type,
        'independence' as comparison,
        cast(1 as double) as expected_value,
        'fct_offer_bundles' as source_model,
        *
    from (
        select * from unplanned_bundles
        union all by name
        select * from missing_complements
    ) as gaps
)

select * from final
