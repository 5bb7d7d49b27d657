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

metrics as (
    select * from {{ ref('metrics') }}
),

figure_states as (
    select * from {{ ref('fct_offer_figure_states') }}
),

stated as (
    -- a target's state is its figure's; another gap is measured on enough observations
    -- (its floor, the dbt var the seed metrics names) and insufficient_data below them
    select
        gaps.*,
        case
            when gaps.gap_type = 'target' then coalesce(figure_states.state, 'no_data')
            when gaps.has_sample then 'measured'
            else 'insufficient_data'
        end as state,
        figure_states.input,
        figure_states.no_data_reason,
        case
            when gaps.gap_type = 'target' then figure_states.floor_name
            else metrics.floor_var
        end as floor_name,
        case
            when gaps.gap_type = 'target' then figure_states.floor_value
            else cast(gaps.min_sample_size as double)
        end as floor_value,
        case
            when gaps.gap_type = 'target' then figure_states.observed_value
            else cast(gaps.sample_size as double)
        end as observed_value,
        -- the period the gap's figures cover: the month, or its trailing window
        case metrics.window_var
            {% for window in seed_rows('metrics', 'window_var is not null') | map(attribute='window_var') | unique -%}
                when '{{ window }}' then {{ var(window) }}
            {% endfor -%}
            else 1
        end as period_months
    from gaps
    left join metrics
        on gaps.metric = metrics.metric_id
    left join figure_states
        on gaps.gap_type = 'target'
        and gaps.offer_id = figure_states.offer_id
        and gaps.month = figure_states.month
        and gaps.metric = figure_states.metric
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
        gaps.account_ids,
        gaps.state,
        gaps.input,
        gaps.no_data_reason,
        gaps.floor_name,
        gaps.floor_value,
        gaps.observed_value,
        cast(gaps.month - to_months(gaps.period_months - 1) as date) as period_start,
        last_day(gaps.month) as period_end
    from stated as gaps
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
