{%- set min_buyers = var('gap_min_buyers') -%}
{%- set psi_threshold = var('gap_psi_threshold') -%}

with

segment_mix as (
    select * from {{ ref('fct_offer_segment_mix') }}
),

audience as (
    select * from {{ ref('fct_offer_audience_monthly') }}
),

off_target_segments as (
    -- each segment outside the offer's intended segments, against the tolerance
    select
        offer_id,
        month,
        'segment_mix' as gap_type,
        'off_target_share' as metric,
        segment_id as subject_id,
        segment_id,
        'tolerance' as comparison,
        'max' as target_kind,
        tolerance as expected_value,
        buyer_share as actual_value,
        window_buyers as sample_size,
        {{ min_buyers }} as min_sample_size,
        z_score,
        revenue_share,
        'fct_offer_segment_mix' as source_model,
        offer_segment_month_id as source_id,
        evidence_ids,
        top_account_ids as account_ids
    from segment_mix
    where has_intended_segments
        and not is_intended
),

segment_drift as (
    -- the trailing window's segment mix against the offer's own past
    select
        offer_id,
        month,
        'segment_drift' as gap_type,
        'segment_drift' as metric,
        'threshold' as comparison,
        'max' as target_kind,
        cast({{ psi_threshold }} as double) as expected_value,
        psi_vs_past as actual_value,
        least(window_buyers, baseline_buyers) as sample_size,
        {{ min_buyers }} as min_sample_size,
        psi_vs_past_z as z_score,
        'fct_offer_audience_monthly' as source_model,
        offer_month_id as source_id
    from audience
    where psi_vs_past is not null
),

final as (
    select
        'audience' as dimension,
        *
    from (
        select * from off_target_segments
        union all by name
        select * from segment_drift
    ) as gaps
)

select * from final
