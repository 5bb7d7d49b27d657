{%- set min_sample = var('gap_target_min_sample') -%}

with

targets as (
    select * from {{ ref('fct_offer_targets') }}
),

final as (
    -- each target of the intent file, every month with a value
    select
        'targets' as dimension,
        offer_id,
        month,
        'target' as gap_type,
        metric,
        'target' as comparison,
        target_kind,
        target_value as expected_value,
        actual_value,
        sample_size,
        -- a volume is a census of the month, not a sample
        case when metric in ('monthly_units', 'monthly_revenue') then 1 else {{ min_sample }} end
            as min_sample_size,
        z_score,
        'fct_offer_targets' as source_model,
        offer_target_month_id as source_id,
        evidence_ids
    from targets
    where actual_value is not null
)

select * from final
