{%- set min_sample = var('gap_target_min_sample') -%}

with

targets as (
    select * from {{ ref('fct_offer_targets') }}
),

metrics as (
    select * from {{ ref('metrics') }}
),

figure_states as (
    select * from {{ ref('fct_offer_figure_states') }}
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
        targets.evidence_ids,
        -- a target is judged only on a measured figure (no input, or below its floor: not)
        coalesce(figure_states.state = 'measured', false) as is_measured
    from targets
    left join metrics
        on targets.metric = metrics.metric_id
    left join figure_states
        on targets.offer_id = figure_states.offer_id
        and targets.month = figure_states.month
        and targets.metric = figure_states.metric
    where targets.actual_value is not null
)

select * from final
