{%- set min_baseline_months = var('signal_min_baseline_months') -%}
{%- set min_documents = var('signal_min_documents') -%}
{%- set min_offer_evidence = var('signal_min_offer_baseline_evidence') -%}
{%- set fdr = var('signal_fdr') -%}
{%- set weak_p = var('signal_weak_p') -%}
{%- set min_ratio = var('signal_min_share_ratio') -%}
{%- set smoothing = var('signal_smoothing') -%}
{%- set weak_min_documents = var('signal_weak_min_documents') -%}
{%- set min_customers = var('signal_min_customers') -%}
{%- set strong_min_documents = var('signal_strong_min_documents') -%}
{%- set trend_p = var('signal_trend_p') -%}

with

counts as (
    select * from {{ ref('int_theme_months_counted') }}
),

tests as (
    select * from {{ ref('int_signal_tests_computed') }}
    where test_family = 'theme'
),

scored as (
    select
        counts.*,
        -- effect size: log of the ratio of the recent share to the baseline share, with
        -- {{ smoothing }} document added to both windows so an empty baseline stays finite
        ln(
            ((counts.recent_documents + {{ smoothing }}) / nullif(counts.recent_total_documents, 0))
            / ((counts.baseline_documents_total + {{ smoothing }})
                / nullif(counts.baseline_total_documents, 0))
        ) as log_ratio,
        {{ two_proportion_z(
            'counts.recent_documents', 'counts.recent_total_documents',
            'counts.baseline_documents_total', 'counts.baseline_total_documents'
        ) }} as z_score,
        tests.p_rise,
        tests.p_fall,
        tests.trend_s,
        tests.trend_p_rise,
        tests.trend_p_fall,
        tests.trend_slope,
        -- a test is made when the windows hold enough evidence (else insufficient_data)
        counts.total_documents > 0
        and counts.baseline_months >= {{ min_baseline_months }}
        and greatest(counts.recent_documents, counts.baseline_documents_total) >= {{ min_documents }}
        and (counts.scope = 'all' or counts.baseline_total_documents >= {{ min_offer_evidence }})
        and tests.p_rise is not null
            as is_tested
    from counts
    left join tests
        on counts.theme_scope_month_id = tests.subject_month_id
),

false_discovery as (
    -- Benjamini-Hochberg across every test of the month (all themes, all scopes):
    -- q = min over larger p of p x tests / rank
    select
        theme_scope_month_id,
        least(1.0, min(p_rise * tests_of_month / rise_rank) over (
            partition by month order by p_rise desc, theme_scope_month_id desc
            rows between unbounded preceding and current row
        )) as q_rise,
        least(1.0, min(p_fall * tests_of_month / fall_rank) over (
            partition by month order by p_fall desc, theme_scope_month_id desc
            rows between unbounded preceding and current row
        )) as q_fall
    from (
        select
            theme_scope_month_id,
            month,
            p_rise,
            p_fall,
            count(*) over (partition by month) as tests_of_month,
            row_number() over (partition by month order by p_rise, theme_scope_month_id)
                as rise_rank,
            row_number() over (partition by month order by p_fall, theme_scope_month_id)
                as fall_rank
        from scored
        where is_tested
    ) as ranked
),

flagged as (
    select
        scored.*,
        false_discovery.q_rise,
        false_discovery.q_fall,
        scored.is_tested
        and scored.log_ratio >= ln({{ min_ratio }})
        and false_discovery.q_rise <= {{ fdr }}
        and scored.recent_documents >= {{ min_documents }}
        and scored.recent_customers >= {{ min_customers }} as is_significant_rise,
        scored.is_tested
        and scored.recent_documents >= {{ strong_min_documents }}
        and coalesce(scored.trend_p_rise <= {{ trend_p }}, false) as is_sustained_at_volume,
        scored.is_tested
        and scored.log_ratio >= ln({{ min_ratio }})
        and scored.p_rise <= {{ weak_p }}
        and scored.recent_documents >= {{ weak_min_documents }} as is_weak_rise,
        scored.is_tested
        and scored.log_ratio <= -ln({{ min_ratio }})
        and false_discovery.q_fall <= {{ fdr }}
        and scored.baseline_documents_total >= {{ min_documents }} as is_significant_fall
    from scored
    left join false_discovery
        on scored.theme_scope_month_id = false_discovery.theme_scope_month_id
),

classified as (
    select
        *,
        case
            when not is_tested then 'insufficient_data'
            when is_significant_rise and is_sustained_at_volume then 'strong'
            when is_significant_rise then 'emerging'
            when is_weak_rise then 'weak'
            when is_significant_fall then 'fading'
            else 'stable'
        end as classification
    from flagged
),

final as (
    select
        theme_scope_month_id,
        theme_id,
        signal_kind,
        scope,
        offer_id,
        month,
        is_complete_month,
        documents,
        customers,
        total_documents,
        share,
        recent_documents,
        recent_customers,
        recent_total_documents,
        recent_share,
        baseline_months,
        baseline_documents,
        baseline_documents_total,
        baseline_total_documents,
        baseline_share,
        recent_share / nullif(baseline_share, 0) as share_ratio,
        log_ratio,
        exp(log_ratio) as smoothed_ratio,
        z_score,
        p_rise,
        q_rise,
        p_fall,
        q_fall,
        trend_s,
        trend_p_rise,
        trend_p_fall,
        trend_slope,
        is_tested,
        classification,
        trend_documents
    from classified
)

select * from final
