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

themes as (
    select * from {{ ref('stg_intent__themes') }}
),

final as (
    select
        gaps.gap_month_id,
        gaps.gap_id,
        gaps.month as report_month,
        gaps.offer_id,
        offers.offer_name,
        gaps.dimension,
        gaps.gap_type,
        gaps.metric,
        gaps.subject_id,
        -- what the subject id names, in both languages where it comes from the intent file
        coalesce(subject_segments.label_fr, subject_themes.label_fr, partner_offers.offer_name)
            as subject_label_fr,
        coalesce(subject_segments.label_en, subject_themes.label_en, partner_offers.offer_name)
            as subject_label_en,
        gaps.segment_id,
        segments.label_fr as segment_label_fr,
        segments.label_en as segment_label_en,
        gaps.comparison,
        gaps.expected_value,
        gaps.actual_value,
        gaps.gap_value,
        gaps.direction,
        gaps.is_breach,
        gaps.is_significant,
        -- what the brief shows: significant gaps, and every target of the offer
        gaps.is_significant or gaps.gap_type = 'target' as is_reported,
        gaps.is_beyond,
        gaps.has_sample,
        gaps.sample_size,
        gaps.min_sample_size,
        gaps.z_score,
        gaps.revenue_share,
        gaps.gap_size,
        gaps.significance,
        gaps.business_weight,
        gaps.revenue_at_stake,
        gaps.gap_score,
        gaps.gap_rank,
        gaps.type_rank,
        gaps.source_model,
        gaps.source_id,
        gaps.evidence_ids,
        gaps.account_ids
    from gaps
    inner join offers
        on gaps.offer_id = offers.offer_id
    left join segments
        on gaps.segment_id = segments.segment_id
    left join segments as subject_segments
        on gaps.gap_type = 'segment_mix'
        and gaps.subject_id = subject_segments.segment_id
    left join themes as subject_themes
        on gaps.gap_type = 'use'
        and gaps.subject_id = subject_themes.theme_id
    left join offers as partner_offers
        on gaps.gap_type = 'bundle'
        and gaps.subject_id = partner_offers.offer_id
)

select * from final
