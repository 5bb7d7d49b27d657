{%- set min_baseline_months = var('signal_min_baseline_months') -%}
{%- set min_customers = var('term_min_customers') -%}
{%- set fdr = var('term_fdr') -%}
{%- set min_ratio = var('term_min_share_ratio') -%}
{%- set smoothing = var('signal_smoothing') -%}
{%- set max_coverage = var('term_max_theme_coverage') -%}

with

counts as (
    select * from {{ ref('int_term_months_counted') }}
),

tests as (
    select * from {{ ref('int_signal_tests_computed') }}
    where test_family = 'term'
),

scored as (
    select
        counts.*,
        {{ smoothed_log_ratio(
            'counts.recent_documents', 'counts.recent_total_documents',
            'counts.baseline_documents_total', 'counts.baseline_total_documents', smoothing
        ) }} as log_ratio,
        tests.p_rise,
        -- only terms several customers use are tested (the others cannot emerge)
        counts.baseline_months >= {{ min_baseline_months }}
        and counts.recent_customers >= {{ min_customers }}
        and tests.p_rise is not null as is_tested
    from counts
    left join tests
        on counts.term_source_month_id = tests.subject_month_id
),

-- Benjamini-Hochberg across the tested terms of the month, every source together
discoveries as (
    {{ benjamini_hochberg(
        'scored', 'p_rise', family='month', tie_breaker='term_source_month_id',
        tested='is_tested', q_as='q_rise'
    ) }}
),

final as (
    select
        term_source_month_id,
        term_key,
        evidence_source,
        term,
        word_count,
        covering_theme_id,
        theme_coverage,
        month,
        is_complete_month,
        documents,
        customers,
        total_documents,
        recent_documents,
        recent_customers,
        recent_total_documents,
        recent_share,
        baseline_months,
        baseline_documents_total,
        baseline_total_documents,
        baseline_share,
        log_ratio,
        exp(log_ratio) as smoothed_ratio,
        p_rise,
        q_rise,
        is_tested,
        coalesce(
            is_tested
            and q_rise <= {{ fdr }}
            and log_ratio >= ln({{ min_ratio }})
            and theme_coverage < {{ max_coverage }},
            false
        ) as is_emerging
    from discoveries
)

select * from final
