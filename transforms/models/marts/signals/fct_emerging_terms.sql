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
        ln(
            ((counts.recent_documents + {{ smoothing }}) / nullif(counts.recent_total_documents, 0))
            / ((counts.baseline_documents_total + {{ smoothing }})
                / nullif(counts.baseline_total_documents, 0))
        ) as log_ratio,
        tests.p_rise,
        -- only terms several customers use are tested (the others cannot emerge)
        counts.baseline_months >= {{ min_baseline_months }}
        and counts.recent_customers >= {{ min_customers }}
        and tests.p_rise is not null as is_tested
    from counts
    left join tests
        on counts.term_month_id = tests.subject_month_id
),

false_discovery as (
    -- Benjamini-Hochberg across the tested terms of the month
    select
        term_month_id,
        least(1.0, min(p_rise * tests_of_month / rise_rank) over (
            partition by month order by p_rise desc, term_month_id desc
            rows between unbounded preceding and current row
        )) as q_rise
    from (
        select
            term_month_id,
            month,
            p_rise,
            count(*) over (partition by month) as tests_of_month,
            row_number() over (partition by month order by p_rise, term_month_id) as rise_rank
        from scored
        where is_tested
    ) as ranked
),

final as (
    select
        scored.term_month_id,
        scored.term_key,
        scored.term,
        scored.word_count,
        scored.covering_theme_id,
        scored.theme_coverage,
        scored.month,
        scored.is_complete_month,
        scored.documents,
        scored.customers,
        scored.total_documents,
        scored.recent_documents,
        scored.recent_customers,
        scored.recent_total_documents,
        scored.recent_share,
        scored.baseline_months,
        scored.baseline_documents_total,
        scored.baseline_total_documents,
        scored.baseline_share,
        scored.log_ratio,
        exp(scored.log_ratio) as smoothed_ratio,
        scored.p_rise,
        false_discovery.q_rise,
        scored.is_tested,
        coalesce(
            scored.is_tested
            and false_discovery.q_rise <= {{ fdr }}
            and scored.log_ratio >= ln({{ min_ratio }})
            and scored.theme_coverage < {{ max_coverage }},
            false
        ) as is_emerging
    from scored
    left join false_discovery
        on scored.term_month_id = false_discovery.term_month_id
)

select * from final
