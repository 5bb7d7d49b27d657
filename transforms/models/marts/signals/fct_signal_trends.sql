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
{%- set persistence_months = var('signal_persistence_months') -%}
{%- set spike_fdr = var('signal_spike_fdr') -%}
{%- set spike_min_ratio = var('signal_spike_min_ratio') -%}
{%- set seasonal_p = var('signal_seasonal_p') -%}
{%- set seasonal_share = var('signal_seasonal_share') -%}

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
        -- effect size: log of the source-pooled (Mantel-Haenszel) ratio of the recent
        -- voices to the baseline voices, {{ smoothing }} voice added to both windows
        tests.log_ratio,
        {{ two_proportion_z(
            'counts.recent_documents', 'counts.recent_total_documents',
            'counts.baseline_documents_total', 'counts.baseline_total_documents'
        ) }} as z_score,
        tests.* exclude (test_id, test_family, subject_month_id, log_ratio),  -- noqa: RF02
        -- a test is made when the windows hold enough evidence (else insufficient_data)
        counts.total_documents > 0
        and counts.baseline_months >= {{ min_baseline_months }}
        and greatest(counts.recent_documents, counts.baseline_documents_total) >= {{ min_documents }}
        and (counts.scope = 'all' or counts.baseline_total_documents >= {{ min_offer_evidence }})
        and tests.p_rise is not null
            as is_tested,
        -- the month against the months before it (all voice only: one family a month)
        counts.scope = 'all'
        and tests.reference_months >= {{ min_baseline_months }}
        and tests.p_spike is not null
            as is_spike_tested
    from counts
    left join tests
        on counts.theme_scope_month_id = tests.subject_month_id
),

-- Benjamini-Hochberg across the tests of the month: all voice is one family (does a
-- theme rise overall?), the offers' voices another (does it rise within one offer?), so
-- the many offer tests do not dilute the few all-voice ones. q values of the rises, then
-- of the falls; the spikes are a family of their own
rise_discoveries as (
    {{ benjamini_hochberg(
        'scored', 'p_rise', family='month, scope', tie_breaker='theme_scope_month_id',
        tested='is_tested', q_as='q_rise'
    ) }}
),

fall_discoveries as (
    {{ benjamini_hochberg(
        'rise_discoveries', 'p_fall', family='month, scope', tie_breaker='theme_scope_month_id',
        tested='is_tested', q_as='q_fall'
    ) }}
),

spike_discoveries as (
    {{ benjamini_hochberg(
        'fall_discoveries', 'p_spike', family='month', tie_breaker='theme_scope_month_id',
        tested='is_tested and is_spike_tested', q_as='q_spike'
    ) }}
),

flagged as (
    select
        *,
        -- a rise: large enough, significant after false-discovery control, said by
        -- enough customers, and seen in most recent months (not one month's shock)
        is_tested
        and log_ratio >= ln({{ min_ratio }})
        and q_rise <= {{ fdr }}
        and recent_documents >= {{ min_documents }}
        and recent_customers >= {{ min_customers }}
        and months_above >= {{ persistence_months }} as is_significant_rise,
        is_tested
        and recent_documents >= {{ strong_min_documents }}
        and coalesce(trend_p_rise <= {{ trend_p }}, false) as is_sustained_at_volume,
        is_tested
        and log_ratio >= ln({{ min_ratio }})
        and p_rise <= {{ weak_p }}
        and recent_documents >= {{ weak_min_documents }}
        and recent_customers >= {{ min_customers }}
        and months_above >= {{ persistence_months }} as is_weak_rise,
        is_tested
        and log_ratio <= -ln({{ min_ratio }})
        and q_fall <= {{ fdr }}
        and baseline_documents_total >= {{ min_documents }}
        and baseline_customers >= {{ min_customers }}
        and months_below >= {{ persistence_months }} as is_significant_fall,
        is_tested
        and is_spike_tested
        and spike_log_ratio >= ln({{ spike_min_ratio }})
        and q_spike <= {{ spike_fdr }}
        and documents >= {{ min_documents }}
        and customers >= {{ min_customers }} as is_spike,
        -- seasonal: the same months a year earlier already made the move (at least var
        -- signal_seasonal_share of it from the current baseline or usual level, on the log
        -- scale) and this year does not significantly go beyond them
        coalesce(
            year_ago_months >= {{ var('signal_recent_months') - 1 }}
            and year_ago_log_ratio >= {{ seasonal_share }} * log_ratio
            and p_yoy_rise > {{ seasonal_p }},
            false
        ) as is_seasonal_rise,
        coalesce(
            year_ago_months >= {{ var('signal_recent_months') - 1 }}
            and year_ago_log_ratio <= {{ seasonal_share }} * log_ratio
            and p_yoy_fall > {{ seasonal_p }},
            false
        ) as is_seasonal_fall,
        coalesce(
            year_ago_month_months >= 1
            and year_ago_month_log_ratio >= {{ seasonal_share }} * spike_log_ratio
            and p_yoy_spike > {{ seasonal_p }},
            false
        ) as is_seasonal_spike
    from spike_discoveries
),

episodes as (
    -- established: the recent window still stands above the old level (the baseline of
    -- the first month of the rise episode), and the episode holds significant rises in
    -- var signal_established_min_rise_months months (one month's rise may be a season or
    -- a shock, not a shift)
    select
        *,
        anchor_month is not null
        and coalesce(count(*) filter (where is_significant_rise and not is_seasonal_rise) over (
            partition by theme_id, scope_key, anchor_month
            order by month
            rows between unbounded preceding and current row
        ), 0) >= {{ var('signal_established_min_rise_months') }} as has_significant_rise
    from flagged
),

kept as (
    -- an established shift: the episode held a significant rise, the theme still stands
    -- above its old level, with enough customers; not when the same months a year
    -- earlier already stood as high and the episode is younger than a year (a season
    -- comes back down within the year, a shift does not)
    select
        *,
        is_tested
        and has_significant_rise
        and is_above_old_level
        and recent_customers >= {{ min_customers }}
        and not (
            is_seasonal_rise
            and date_diff('month', anchor_month, month) < 12
        ) as is_established
    from episodes
),

classified as (
    select
        *,
        case
            when not is_tested then 'insufficient_data'
            when is_significant_rise and not is_seasonal_rise and is_sustained_at_volume
                then 'strong'
            when is_significant_rise and not is_seasonal_rise then 'emerging'
            when is_spike and not is_seasonal_spike then 'spike'
            when is_established then 'established'
            when is_significant_rise or is_spike then 'seasonal'
            when is_weak_rise and not is_seasonal_rise then 'weak'
            when is_significant_fall and is_seasonal_fall then 'seasonal'
            when is_significant_fall then 'fading'
            else 'stable'
        end as classification
    from kept
),

final as (
    select
        theme_scope_month_id,
        theme_id,
        signal_kind,
        scope,
        offer_id,
        scope_key,
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
        baseline_customers,
        recent_share / nullif(baseline_share, 0) as share_ratio,
        log_ratio,
        exp(log_ratio) as smoothed_ratio,
        z_score,
        p_rise,
        q_rise,
        p_fall,
        q_fall,
        months_above,
        months_below,
        sigma2 as dispersion,
        sigma2_own as own_dispersion,
        dispersion_df,
        sigma2_spike as spike_dispersion,
        spike_log_ratio,
        exp(spike_log_ratio) as spike_ratio,
        p_spike,
        q_spike,
        year_ago_months,
        yoy_log_ratio,
        p_yoy_rise,
        p_yoy_fall,
        year_ago_log_ratio,
        yoy_month_log_ratio,
        p_yoy_spike,
        year_ago_month_log_ratio,
        anchor_month,
        established_log_ratio,
        exp(established_log_ratio) as established_ratio,
        p_established,
        exp(established_recent_log_ratio) as established_recent_ratio,
        is_above_old_level,
        trend_s,
        trend_p_rise,
        trend_p_fall,
        trend_slope,
        is_tested,
        is_significant_rise,
        is_weak_rise,
        is_significant_fall,
        is_spike,
        is_seasonal_rise,
        is_seasonal_fall,
        is_seasonal_spike,
        is_established,
        classification,
        trend_documents
    from classified
)

select * from final
