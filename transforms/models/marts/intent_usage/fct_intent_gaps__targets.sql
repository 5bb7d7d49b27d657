{%- set min_sample = var('gap_target_min_sample') -%}

with

targets as (
    select * from {{ ref('fct_offer_targets') }}
),

metrics as (
    select * from {{ ref('metrics') }}
),

final as (
    -- each target of the intent file, every month with a value
    select
        'targets' as dimension,
        targets.offer_id,
        targets.month,
        'target' as gap_type,
        targets.metric,
        'target' as comparison,
        targets.target_kind,
        targets.target_value as expected_value,
        targets.actual_value,
        targets.sample_size,
        -- a volume is a census of the month, not a sample
        case when metrics.test = 'volume' then 1 else {{ min_sample }} end as min_sample_size,
        targets.z_score,
        'fct_offer_targets' as source_model,
        targets.offer_target_month_id as source_id,
        targets.evidence_ids
    from targets
    left join metrics
        on targets.metric = metrics.metric_id
    where targets.actual_value is not null
)

select * from final
