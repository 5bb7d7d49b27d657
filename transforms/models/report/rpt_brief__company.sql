with

company as (
    select * from {{ ref('stg_intent__company') }}
),

months as (
    select * from {{ ref('int_months_spanned') }}
),

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

evidence as (
    select * from {{ ref('fct_evidence') }}
),

activity as (
    select ordered_at as activity_at from orders
    union all
    select created_at from evidence
),

data_bounds as (
    -- dates in the company's time zone, like the months
    select
        {{ local_date_of('min(activity_at)') }} as first_data_date,
        {{ local_date_of('max(activity_at)') }} as last_data_date
    from activity
),

month_bounds as (
    select
        max(month) filter (where is_complete) as last_complete_month,
        max(month) as last_month
    from months
),

final as (
    select
        company.company_name,
        company.language,
        company.currency,
        company.timezone,
        company.default_segment_id,
        data_bounds.first_data_date,
        data_bounds.last_data_date,
        month_bounds.last_complete_month,
        month_bounds.last_month,
        -- who wrote a note or comment when the export does not say (docs/voice.md)
        {{ var('template_min_threads') }} as template_min_threads,
        '{{ var('note_default_author_role') }}' as note_default_author_role,
        '{{ var('comment_default_author_role') }}' as comment_default_author_role,
        -- the method's thresholds (dbt vars), for the brief's method appendix
        {{ var('signal_recent_months') }} as signal_recent_months,
        {{ var('signal_baseline_months') }} as signal_baseline_months,
        {{ var('signal_baseline_gap_months') }} as signal_baseline_gap_months,
        {{ var('signal_min_baseline_months') }} as signal_min_baseline_months,
        {{ var('signal_min_documents') }} as signal_min_documents,
        {{ var('signal_min_offer_baseline_evidence') }} as signal_min_offer_baseline_evidence,
        cast({{ var('signal_fdr') }} as double) as signal_fdr,
        cast({{ var('signal_weak_p') }} as double) as signal_weak_p,
        cast({{ var('signal_min_share_ratio') }} as double) as signal_min_share_ratio,
        {{ var('signal_weak_min_documents') }} as signal_weak_min_documents,
        {{ var('signal_min_customers') }} as signal_min_customers,
        {{ var('signal_strong_min_documents') }} as signal_strong_min_documents,
        {{ var('signal_trend_test_months') }} as signal_trend_test_months,
        cast({{ var('signal_trend_p') }} as double) as signal_trend_p,
        cast({{ var('signal_persistence_ratio') }} as double) as signal_persistence_ratio,
        {{ var('signal_persistence_months') }} as signal_persistence_months,
        {{ var('signal_dispersion_months') }} as signal_dispersion_months,
        {{ var('signal_spike_reference_months') }} as signal_spike_reference_months,
        cast({{ var('signal_spike_min_ratio') }} as double) as signal_spike_min_ratio,
        cast({{ var('signal_spike_fdr') }} as double) as signal_spike_fdr,
        cast({{ var('signal_seasonal_share') }} as double) as signal_seasonal_share,
        cast({{ var('signal_seasonal_p') }} as double) as signal_seasonal_p,
        {{ var('signal_established_min_rise_months') }} as signal_established_min_rise_months,
        cast({{ var('signal_established_min_ratio') }} as double) as signal_established_min_ratio,
        cast({{ var('signal_established_p') }} as double) as signal_established_p,
        {{ var('signal_established_window_months') }} as signal_established_window_months,
        {{ var('signal_trend_months') }} as signal_trend_months,
        cast({{ var('signal_smoothing') }} as double) as signal_smoothing,
        {{ var('term_min_customers') }} as term_min_customers,
        cast({{ var('term_fdr') }} as double) as term_fdr,
        cast({{ var('term_min_share_ratio') }} as double) as term_min_share_ratio,
        {{ var('gap_window_months') }} as gap_window_months,
        {{ var('gap_min_buyers') }} as gap_min_buyers,
        cast({{ var('gap_off_target_tolerance') }} as double) as gap_off_target_tolerance,
        cast({{ var('gap_z_threshold') }} as double) as gap_z_threshold,
        {{ var('gap_target_min_sample') }} as gap_target_min_sample,
        {{ var('repeat_min_history_months') }} as repeat_min_history_months,
        {{ var('gap_baseline_months') }} as gap_baseline_months,
        cast({{ var('gap_false_discovery_rate') }} as double) as gap_false_discovery_rate,
        {{ var('gap_rejection_min_sample') }} as gap_rejection_min_sample,
        {{ var('gap_rejection_min_events') }} as gap_rejection_min_events,
        cast({{ var('gap_channel_tolerance') }} as double) as gap_channel_tolerance,
        cast({{ var('gap_use_tolerance') }} as double) as gap_use_tolerance,
        {{ var('gap_min_evidence') }} as gap_min_evidence,
        cast({{ var('gap_psi_threshold') }} as double) as gap_psi_threshold,
        {{ var('gap_bundle_window_months') }} as gap_bundle_window_months,
        cast({{ var('gap_bundle_min_lift') }} as double) as gap_bundle_min_lift,
        {{ var('gap_bundle_min_co_orders') }} as gap_bundle_min_co_orders,
        {{ var('experiment_min_reviews') }} as experiment_min_reviews,
        {{ var('experiment_rating_prior_reviews') }} as experiment_rating_prior_reviews,
        cast({{ var('experiment_decision_score') }} as double) as experiment_decision_score,
        {{ var('decision_window_months') }} as decision_window_months,
        {{ var('verbatims_per_theme') }} as verbatims_per_theme,
        {{ var('verbatim_max_chars') }} as verbatim_max_chars
    from company
    cross join data_bounds
    cross join month_bounds
)

select * from final
