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
        {{ smoothed_log_ratio(
            'counts.recent_documents', 'counts.recent_total_documents',
            'counts.baseline_documents_total', 'counts.baseline_total_documents', smoothing
        ) }} as log_ratio,
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

-- Benjamini-Hochberg across every test of the month (all themes, all scopes): q values
-- of the rises, then of the falls
rise_discoveries as (
    {{ benjamini_hochberg(
        'scored', 'p_rise', family='month', tie_breaker='theme_scope_month_id',
        tested='is_tested', q_as='q_rise'
    ) }}
),

fall_discoveries as (
    {{ benjamini_hochberg(
        'rise_discoveries', 'p_fall', family='month', tie_breaker='theme_scope_month_id',
        tested='is_tested', q_as='q_fall'
    ) }}
),

flagged as (
    select
        *,
        is_tested
        and log_ratio >= ln({{ min_ratio }})
        and q_rise <= {{ fdr }}
        and recent_documents >= {{ min_documents }}
        and recent_customers >= {{ min_customers }} as is_significant_rise,
        is_tested
        and recent_documents >= {{ strong_min_documents }}
        and coalesce(trend_p_rise <= {{ trend_p }}, false) as is_sustained_at_volume,
        is_tested
        and log_ratio >= ln({{ min_ratio }})
        and p_rise <= {{ weak_p }}
        and recent_documents >= {{ weak_min_documents }} as is_weak_rise,
        is_tested
        and log_ratio <= -ln({{ min_ratio }})
        and q_fall <= {{ fdr }}
        and baseline_documents_total >= {{ min_documents }} as is_significant_fall
    from fall_discoveries
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
