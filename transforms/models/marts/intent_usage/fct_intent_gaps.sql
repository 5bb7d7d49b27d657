{%- set min_buyers = var('gap_min_buyers') -%}
{%- set min_sample = var('gap_target_min_sample') -%}
{%- set rejection_min_sample = var('gap_rejection_min_sample') -%}
{%- set rejection_min_events = var('gap_rejection_min_events') -%}
{%- set z_threshold = var('gap_z_threshold') -%}
{%- set false_discovery_rate = var('gap_false_discovery_rate') -%}
{%- set min_evidence = var('gap_min_evidence') -%}
{%- set psi_threshold = var('gap_psi_threshold') -%}
{%- set bundle_min_lift = var('gap_bundle_min_lift') -%}
{%- set bundle_min_co_orders = var('gap_bundle_min_co_orders') -%}

with

windowed as (
    select * from {{ ref('fct_offer_usage_windowed') }}
),

segment_mix as (
    select * from {{ ref('fct_offer_segment_mix') }}
),

audience as (
    select * from {{ ref('fct_offer_audience_monthly') }}
),

channel_mix as (
    select * from {{ ref('fct_offer_channel_mix') }}
),

use_mix as (
    select * from {{ ref('fct_offer_use_mix') }}
),

bundles as (
    select * from {{ ref('fct_offer_bundles') }}
),

rejection as (
    select * from {{ ref('fct_offer_rejection_monthly') }}
),

return_reasons as (
    select * from {{ ref('fct_offer_return_reasons') }}
),

targets as (
    select * from {{ ref('fct_offer_targets') }}
),

-- Every candidate gap in one shape. comparison says what expected_value is: a tolerance
-- (a share allowed outside the intent), a target, the offer's own baseline, a threshold,
-- or independence (lift 1). target_kind says which side of expected_value is the gap.

segment_gaps as (
    select
        offer_id,
        month,
        'segment_mix' as gap_type,
        'off_target_share' as metric,
        segment_id as subject_id,
        segment_id,
        'tolerance' as comparison,
        'max' as target_kind,
        tolerance as expected_value,
        buyer_share as actual_value,
        window_buyers as sample_size,
        {{ min_buyers }} as min_sample_size,
        z_score,
        revenue_share,
        'fct_offer_segment_mix' as source_model,
        offer_segment_month_id as source_id,
        evidence_ids,
        top_account_ids as account_ids,
        -- events behind a comparison of two rates (rejection gaps only)
        cast(null as bigint) as events,
        -- size of a rise against the offer's past one can be confident of (rejection only)
        cast(null as double) as confident_size
    from segment_mix
    where has_intended_segments
        and not is_intended
),

drift_gaps as (
    select
        offer_id,
        month,
        'segment_drift',
        'segment_drift',
        cast(null as varchar),
        cast(null as varchar),
        'threshold',
        'max',
        cast({{ psi_threshold }} as double),
        psi_vs_past,
        least(window_buyers, baseline_buyers),
        {{ min_buyers }},
        psi_vs_past_z,
        cast(null as double),
        'fct_offer_audience_monthly',
        offer_month_id,
        cast([] as varchar[]),
        cast([] as varchar[]),
        cast(null as bigint),
        cast(null as double)
    from audience
    where psi_vs_past is not null
),

channel_gaps as (
    select
        offer_id,
        month,
        'channel_mix',
        'off_target_channel_share',
        channel,
        cast(null as varchar),
        'tolerance',
        'max',
        tolerance,
        sales_share,
        window_sales,
        {{ min_buyers }},
        z_score,
        revenue_share,
        'fct_offer_channel_mix',
        offer_channel_month_id,
        cast([] as varchar[]),
        top_account_ids,
        cast(null as bigint),
        cast(null as double)
    from channel_mix
    where has_intended_channels
        and not is_intended
),

use_gaps as (
    select
        offer_id,
        month,
        'use',
        'unintended_use_share',
        theme_id,
        cast(null as varchar),
        'tolerance',
        'max',
        tolerance,
        evidence_share,
        offer_evidence_items,
        {{ min_evidence }},
        z_score,
        cast(null as double),
        'fct_offer_use_mix',
        offer_theme_month_id,
        evidence_ids,
        account_ids,
        cast(null as bigint),
        cast(null as double)
    from use_mix
    where is_use_theme
        and not is_intended_use
),

unplanned_bundle_gaps as (
    -- pairs bought together more than chance that neither offer plans (each pair once)
    select
        offer_id,
        month,
        'bundle',
        'unplanned_bundle',
        partner_offer_id,
        cast(null as varchar),
        'independence',
        'max',
        cast(1 as double),
        lift,
        co_orders,
        {{ bundle_min_co_orders }},
        -- a lift below the floor is not a finding, however significant
        case when lift >= {{ bundle_min_lift }} then z_score else least(z_score, 0) end,
        cast(null as double),
        'fct_offer_bundles',
        offer_pair_month_id,
        cast([] as varchar[]),
        account_ids,
        cast(null as bigint),
        cast(null as double)
    from bundles
    where not is_intended_complement
        and offer_id < partner_offer_id
        and co_orders > 0
),

missing_complement_gaps as (
    -- complements the offer declares that customers do not buy with it more than chance
    select
        offer_id,
        month,
        'bundle',
        'missing_complement',
        partner_offer_id,
        cast(null as varchar),
        'independence',
        'min',
        cast(1 as double),
        lift,
        offer_orders,
        {{ min_buyers }},
        -z_score,
        cast(null as double),
        'fct_offer_bundles',
        offer_pair_month_id,
        cast([] as varchar[]),
        account_ids,
        cast(null as bigint),
        cast(null as double)
    from bundles
    where is_declared_by_offer
),

return_reason_gaps as (
    select
        offer_id,
        month,
        'rejection',
        'return_reason_rate',
        reason_code,
        cast(null as varchar),
        'baseline',
        'max',
        baseline_reason_return_rate,
        reason_return_rate,
        least(window_lines_sold, baseline_lines_sold),
        {{ rejection_min_sample }},
        z_score,
        cast(null as double),
        'fct_offer_return_reasons',
        offer_reason_month_id,
        evidence_ids,
        cast([] as varchar[]),
        window_returns + baseline_returns,
        {{ confident_rise_size('window_returns', 'window_lines_sold',
            'baseline_returns', 'baseline_lines_sold', z_threshold) }}
    from return_reasons
    where window_returns > 0
),

rejection_rates as (
    -- each rejection rate of the trailing window against the offer's own baseline
    select
        offer_id,
        month,
        offer_month_id,
        unnest([
            {
                'metric': 'cancellation_rate',
                'confident_size': {{ confident_rise_size(
                    'window_cancelled_orders', 'window_placed_orders',
                    'baseline_cancelled_orders', 'baseline_placed_orders', z_threshold
                ) }},
                'events': window_cancelled_orders + baseline_cancelled_orders,
                'expected_value': baseline_cancellation_rate,
                'actual_value': cancellation_rate,
                'sample_size': least(window_placed_orders, baseline_placed_orders),
                'z_score': cancellation_rate_z,
                'evidence_ids': cast([] as varchar[]),
                'account_ids': cast([] as varchar[])
            },
            {
                'metric': 'low_rating_share',
                'confident_size': {{ confident_rise_size(
                    'window_low_ratings', 'window_reviews',
                    'baseline_low_ratings', 'baseline_reviews', z_threshold
                ) }},
                'events': window_low_ratings + baseline_low_ratings,
                'expected_value': baseline_low_rating_share,
                'actual_value': low_rating_share,
                'sample_size': least(window_reviews, baseline_reviews),
                'z_score': low_rating_share_z,
                'evidence_ids': low_rating_evidence_ids,
                'account_ids': cast([] as varchar[])
            },
            {
                'metric': 'bad_satisfaction_share',
                'confident_size': {{ confident_rise_size(
                    'window_bad_ratings', 'window_satisfaction_ratings',
                    'baseline_bad_ratings', 'baseline_satisfaction_ratings', z_threshold
                ) }},
                'events': window_bad_ratings + baseline_bad_ratings,
                'expected_value': baseline_bad_satisfaction_share,
                'actual_value': bad_satisfaction_share,
                'sample_size': least(window_satisfaction_ratings, baseline_satisfaction_ratings),
                'z_score': bad_satisfaction_share_z,
                'evidence_ids': bad_satisfaction_evidence_ids,
                'account_ids': cast([] as varchar[])
            },
            {
                'metric': 'lost_deal_rate',
                'confident_size': {{ confident_rise_size(
                    'window_lost_deals', 'window_closed_deals',
                    'baseline_lost_deals', 'baseline_closed_deals', z_threshold
                ) }},
                'events': window_lost_deals + baseline_lost_deals,
                'expected_value': baseline_lost_deal_rate,
                'actual_value': lost_deal_rate,
                'sample_size': least(window_closed_deals, baseline_closed_deals),
                'z_score': lost_deal_rate_z,
                'evidence_ids': lost_deal_evidence_ids,
                'account_ids': lost_account_ids
            }
        ], recursive := true)
    from rejection
),

rejection_gaps as (
    select
        offer_id,
        month,
        'rejection',
        metric,
        cast(null as varchar),
        cast(null as varchar),
        'baseline',
        'max',
        expected_value,
        actual_value,
        sample_size,
        {{ rejection_min_sample }},
        z_score,
        cast(null as double),
        'fct_offer_rejection_monthly',
        offer_month_id,
        evidence_ids,
        account_ids,
        events,
        confident_size
    from rejection_rates
    where actual_value is not null
        and expected_value is not null
),

target_gaps as (
    select
        offer_id,
        month,
        'target',
        metric,
        cast(null as varchar),
        cast(null as varchar),
        'target',
        target_kind,
        target_value,
        actual_value,
        sample_size,
        -- a volume is a census of the month, not a sample
        case when metric in ('monthly_units', 'monthly_revenue') then 1 else {{ min_sample }} end,
        z_score,
        cast(null as double),
        'fct_offer_targets',
        offer_target_month_id,
        evidence_ids,
        cast([] as varchar[]),
        cast(null as bigint),
        cast(null as double)
    from targets
    where actual_value is not null
),

unioned as (
    select * from segment_gaps
    union all select * from drift_gaps
    union all select * from channel_gaps
    union all select * from use_gaps
    union all select * from unplanned_bundle_gaps
    union all select * from missing_complement_gaps
    union all select * from return_reason_gaps
    union all select * from rejection_gaps
    union all select * from target_gaps
),

judged as (
    select
        unioned.*,
        windowed.window_revenue as revenue_at_stake,
        windowed.window_revenue_share,
        case
            when unioned.target_kind = 'max' then unioned.actual_value > unioned.expected_value
            else unioned.actual_value < unioned.expected_value
        end as is_beyond,
        coalesce(unioned.sample_size, 0) >= unioned.min_sample_size
        -- two rates are only compared once they rest on enough events (rare events make
        -- the normal approximation unreliable)
        and coalesce(unioned.events, {{ rejection_min_events }}) >= {{ rejection_min_events }}
            as has_sample
    from unioned
    inner join windowed
        on unioned.offer_id = windowed.offer_id
        and unioned.month = windowed.month
    where windowed.is_active
        and unioned.expected_value is not null
        and unioned.actual_value is not null
),

tested as (
    select
        *,
        -- one-sided p-value of the gap (from its z), for the false discovery control
        1 - {{ normal_cdf('coalesce(z_score, 0)') }} as p_value,
        is_beyond and has_sample as is_candidate
    from judged
),

discoveries as (
    -- Benjamini-Hochberg over the month's candidates: many gaps are tested at once, so
    -- a gap is significant only if its p-value is under its rank's share of the rate
    {{ benjamini_hochberg(
        'tested', 'p_value', family='month', tie_breaker='offer_id, metric, subject_id',
        tested='is_candidate', fdr=false_discovery_rate, discovery_as='is_significant'
    ) }}
),

scored as (
    select
        *,
        -- size: how many times the reference the actual value is, in the gap's direction,
        -- on a log scale where four times (or a quarter) is the whole scale
        case
            when not is_beyond then 0.0
            -- against the offer's own past: the rise one can be confident of, so a rare
            -- reason doubling on a handful of returns does not outrank a frequent one
            when confident_size is not null then confident_size
            when expected_value <= 0 or actual_value <= 0 then 1.0
            else least(1.0,
                abs(ln(actual_value / expected_value)) / ln(4)
            )
        end as gap_size,
        -- significance: the one-sided confidence that the gap is real, 0 below the sample floor
        case when has_sample then 1 - p_value else 0.0 end
            as significance,
        -- business weight: square root of the offer's share of company revenue in the window
        sqrt(coalesce(window_revenue_share, 0)) as business_weight
    from discoveries
),

final as (
    select
        offer_id || ':' || metric || ':' || coalesce(subject_id, '-') as gap_id,
        offer_id || ':' || metric || ':' || coalesce(subject_id, '-')
        || ':' || strftime(month, '%Y-%m') as gap_month_id,
        month,
        offer_id,
        case
            when gap_type in ('segment_mix', 'segment_drift') then 'audience'
            when gap_type = 'channel_mix' then 'channel'
            when gap_type = 'use' then 'use'
            when gap_type = 'bundle' then 'bundles'
            when gap_type = 'rejection' then 'rejection'
            else 'targets'
        end as dimension,
        gap_type,
        metric,
        subject_id,
        segment_id,
        comparison,
        target_kind,
        expected_value,
        actual_value,
        actual_value - expected_value as gap_value,
        case when actual_value >= expected_value then 'above' else 'below' end as direction,
        -- targets keep their plain reading (beyond the target, with a sample floor on
        -- rates); every other gap is a breach only when significant
        case when gap_type = 'target' then is_beyond and has_sample else is_significant end
            as is_breach,
        is_significant,
        is_beyond,
        has_sample,
        sample_size,
        min_sample_size,
        z_score,
        p_value,
        revenue_share,
        gap_size,
        significance,
        business_weight,
        revenue_at_stake,
        gap_size * significance * business_weight as gap_score,
        source_model,
        source_id,
        coalesce(evidence_ids, []) as evidence_ids,
        coalesce(account_ids, []) as account_ids,
        row_number() over (
            partition by month
            order by
                is_significant desc,
                gap_size * significance * business_weight desc,
                z_score desc nulls last,
                offer_id,
                metric,
                subject_id
        ) as gap_rank,
        row_number() over (
            partition by month, gap_type
            order by
                is_significant desc,
                gap_size * significance * business_weight desc,
                z_score desc nulls last,
                offer_id,
                metric,
                subject_id
        ) as type_rank
    from scored
)

select * from final
