{%- set min_evidence = var('gap_min_evidence') -%}

with

use_mix as (
    select * from {{ ref('fct_offer_use_mix') }}
),

final as (
    -- each use (theme of kind adapt or transform) outside the offer's intended uses,
    -- against the tolerance
    select
        'use' as dimension,
        offer_id,
        month,
        'use' as gap_type,
        'unintended_use_share' as metric,
        theme_id as subject_id,
        'tolerance' as comparison,
        'max' as target_kind,
        tolerance as expected_value,
        evidence_share as actual_value,
        offer_evidence_items as sample_size,
        {{ min_evidence }} as min_sample_size,
        z_score,
        'fct_offer_use_mix' as source_model,
        offer_theme_month_id as source_id,
        evidence_ids,
        account_ids
    from use_mix
    where is_use_theme
        and not is_intended_use
)

select * from final
