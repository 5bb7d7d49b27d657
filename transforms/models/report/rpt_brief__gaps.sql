with

gaps as (
    select * from {{ ref('fct_intent_gaps') }}
),

offers as (
    select * from {{ ref('dim_offers') }}
),

segments as (
    select * from {{ ref('stg_intent__segments') }}
),

final as (
    select
        gaps.gap_month_id,
        gaps.gap_id,
        gaps.month as report_month,
        gaps.offer_id,
        offers.offer_name,
        gaps.gap_type,
        gaps.metric,
        gaps.segment_id,
        segments.label_fr as segment_label_fr,
        segments.label_en as segment_label_en,
        gaps.expected_value,
        gaps.actual_value,
        gaps.gap_value,
        gaps.direction,
        gaps.is_breach,
        gaps.sample_size,
        gaps.z_score,
        gaps.revenue_share,
        gaps.gap_score,
        gaps.gap_rank
    from gaps
    inner join offers
        on gaps.offer_id = offers.offer_id
    left join segments
        on gaps.segment_id = segments.segment_id
)

select * from final
