{%- set max_findings = var('at_a_glance_max_findings') -%}

with

gaps as (
    select * from {{ ref('rpt_brief__gaps') }}
),

signals as (
    select * from {{ ref('rpt_brief__signals') }}
),

experiments as (
    select * from {{ ref('rpt_brief__experiments') }}
),

decisions as (
    select * from {{ ref('rpt_brief__decisions') }}
),

signal_classes as (
    select * from {{ ref('signal_classes') }}
),

experiment_recommendations as (
    select * from {{ ref('experiment_recommendations') }}
),

decision_statuses as (
    select * from {{ ref('decision_statuses') }}
),

gap_findings as (
    -- significant gaps of every dimension, most important first (gap_rank)
    select
        report_month,
        'gap' as finding_type,
        row_number() over (partition by report_month order by gap_rank) as type_rank,
        offer_id,
        offer_name,
        -- a use gap is about a theme
        case when gap_type = 'use' then subject_id end as theme_id,
        case when gap_type = 'use' then subject_label_fr end as theme_label_fr,
        case when gap_type = 'use' then subject_label_en end as theme_label_en,
        segment_id,
        segment_label_fr,
        segment_label_en,
        subject_id,
        gap_id,
        metric,
        case
            when gap_type in ('segment_mix', 'channel_mix') then 'off_target'
            when gap_type = 'target' then 'breach'
            else 'significant'
        end as classification,
        actual_value as headline_value,
        expected_value as comparison_value,
        gap_score as finding_score
    from (
        -- one headline per offer and dimension: its most important significant gap
        select *
        from gaps
        where is_significant
        qualify
            row_number() over (
                partition by report_month, offer_id, dimension order by gap_rank
            ) = 1
    ) as headline_gaps
),

signal_findings as (
    -- significantly rising themes (strong, emerging: seed signal_classes), strongest evidence first
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
    where
        classification in (
            select signal_classes.signal_class_id
            from signal_classes
            where signal_classes.direction = 'rise' and signal_classes.is_significant
        )
),

experiment_findings as (
    -- experiment items to promote or retire (headline recommendations), clearest verdict first
    select
        report_month,
        'experiment' as finding_type,
        row_number() over (
            partition by report_month
            order by abs(reception_score) desc, item_id
        ) as type_rank,
        offer_id,
        item_id,
        item_name,
        'avg_rating' as metric,
        recommendation as classification,
        avg_rating as headline_value,
        core_avg_rating as comparison_value,
        reception_score as finding_score
    from experiments
    where scope = 'item'
        and recommendation in (
            select experiment_recommendations.recommendation_id
            from experiment_recommendations
            where experiment_recommendations.is_headline
        )
),

decision_findings as (
    -- decisions whose watched figures moved beyond the other offers' trend
    select
        report_month,
        'decision' as finding_type,
        row_number() over (
            partition by report_month
            order by abs(z_score) desc, decision_id, metric
        ) as type_rank,
        offer_id,
        offer_name,
        decision_id,
        theme_id,
        theme_label_fr,
        theme_label_en,
        metric,
        status as classification,
        after_value as headline_value,
        before_value as comparison_value,
        z_score as finding_score
    from decisions
    where
        status in (
            select decision_statuses.decision_status_id
            from decision_statuses
            where decision_statuses.is_headline
        )
),

findings as (
    -- by name: each kind brings the columns it has, the others are NULL
    select * from gap_findings
    union all by name
    select * from signal_findings
    union all by name
    select * from experiment_findings
    union all by name
    select * from decision_findings
),

ranked as (
    -- interleave the kinds so none crowds the others out, gaps most often: a gap every
    -- other line, a signal every third, an experiment and a decision every fourth
    -- (g1 s1 g2 e1 g3 s2 d1 g4 ...)
    select
        *,
        row_number() over (
            partition by report_month
            order by
                case finding_type
                    when 'gap' then (type_rank - 1) * 2
                    when 'signal' then (type_rank - 1) * 3 + 1
                    when 'experiment' then (type_rank - 1) * 4 + 3
                    else (type_rank - 1) * 4 + 5
                end,
                case finding_type
                    when 'gap' then 0 when 'signal' then 1 when 'experiment' then 2 else 3
                end
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
        subject_id,
        gap_id,
        item_id,
        item_name,
        decision_id,
        metric,
        classification,
        headline_value,
        comparison_value,
        finding_score
    from ranked
)

select * from final
