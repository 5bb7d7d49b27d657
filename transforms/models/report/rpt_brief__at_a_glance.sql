{%- set max_findings = var('at_a_glance_max_findings') -%}

with

gaps as (
    select * from {{ ref('rpt_brief__gaps') }}
),

signals as (
    select * from {{ ref('rpt_brief__signals') }}
),

gap_findings as (
    -- breached targets and significant off-target segments, most important first
    select
        report_month,
        'gap' as finding_type,
        row_number() over (partition by report_month order by gap_rank) as type_rank,
        offer_id,
        offer_name,
        cast(null as varchar) as theme_id,
        cast(null as varchar) as theme_label_fr,
        cast(null as varchar) as theme_label_en,
        segment_id,
        segment_label_fr,
        segment_label_en,
        metric,
        case when gap_type = 'segment_mix' then 'off_target' else 'breach' end as classification,
        actual_value as headline_value,
        expected_value as comparison_value,
        gap_score as finding_score
    from gaps
    where is_breach
),

signal_findings as (
    -- rising themes, strongest evidence first
    select
        report_month,
        'signal' as finding_type,
        row_number() over (
            partition by report_month
            order by
                case when rising_scope = 'top_offer' then offer_z_score else z_score end desc,
                theme_id
        ) as type_rank,
        top_offer_id as offer_id,
        cast(null as varchar) as offer_name,
        theme_id,
        theme_label_fr,
        theme_label_en,
        cast(null as varchar) as segment_id,
        cast(null as varchar) as segment_label_fr,
        cast(null as varchar) as segment_label_en,
        -- the figures of the test that made the theme rise
        case when rising_scope = 'top_offer' then 'recent_offer_share' else 'recent_share' end as metric,
        classification,
        case
            when rising_scope = 'top_offer' then offer_recent_share else recent_share
        end as headline_value,
        case
            when rising_scope = 'top_offer' then offer_baseline_share else baseline_share
        end as comparison_value,
        case when rising_scope = 'top_offer' then offer_z_score else z_score end
            as finding_score
    from signals
    where classification = 'rising'
),

findings as (
    select * from gap_findings
    union all
    select * from signal_findings
),

ranked as (
    -- alternate the two kinds (gap first), so neither crowds the other out
    select
        *,
        row_number() over (
            partition by report_month
            order by type_rank, case finding_type when 'gap' then 0 else 1 end
        ) as finding_rank
    from findings
    qualify finding_rank <= {{ max_findings }}
),

final as (
    select
        strftime(report_month, '%Y-%m') || ':' || finding_rank as finding_id,
        report_month,
        finding_rank,
        finding_type,
        offer_id,
        offer_name,
        theme_id,
        theme_label_fr,
        theme_label_en,
        segment_id,
        segment_label_fr,
        segment_label_en,
        metric,
        classification,
        headline_value,
        comparison_value,
        finding_score
    from ranked
)

select * from final
