{%- set min_buyers = var('gap_min_buyers') -%}

with

channel_mix as (
    select * from {{ ref('fct_offer_channel_mix') }}
),

final as (
    -- each channel outside the offer's intended channels, against the tolerance
    select
        'channel' as dimension,
        offer_id,
        month,
        'channel_mix' as gap_type,
        'off_target_channel_share' as metric,
        channel as subject_id,
        'tolerance' as comparison,
        'max' as target_kind,
        tolerance as expected_value,
        sales_share as actual_value,
        window_sales as sample_size,
        {{ min_buyers }} as min_sample_size,
        z_score,
        revenue_share,
        'fct_offer_channel_mix' as source_model,
        offer_channel_month_id as source_id,
        top_account_ids as account_ids
    from channel_mix
    where has_intended_channels
        and not is_intended
)

select * from final
