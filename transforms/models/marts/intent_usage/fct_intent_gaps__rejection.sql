{%- set rejection_min_sample = var('gap_rejection_min_sample') -%}
{%- set z_threshold = var('gap_z_threshold') -%}

with

return_reasons as (
    select * from {{ ref('fct_offer_return_reasons') }}
),

rejection as (
    select * from {{ ref('fct_offer_rejection_monthly') }}
),

return_reason_rates as (
    -- each return reason's rate of the trailing window against the offer's own baseline
    select
        offer_id,
        month,
        'return_reason_rate' as metric,
        reason_code as subject_id,
        baseline_reason_return_rate as expected_value,
        reason_return_rate as actual_value,
        least(window_lines_sold, baseline_lines_sold) as sample_size,
        z_score,
        'fct_offer_return_reasons' as source_model,
        offer_reason_month_id as source_id,
        evidence_ids,
        window_returns + baseline_returns as events,
        {{ confident_rise_size('window_returns', 'window_lines_sold',
            'baseline_returns', 'baseline_lines_sold', z_threshold) }} as confident_size
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

rate_comparisons as (
    select
        offer_id,
        month,
        metric,
        expected_value,
        actual_value,
        sample_size,
        z_score,
        'fct_offer_rejection_monthly' as source_model,
        offer_month_id as source_id,
        evidence_ids,
        account_ids,
        events,
        confident_size
    from rejection_rates
    where actual_value is not null
        and expected_value is not null
),

final as (
    -- events: what the two rates rest on; confident_size: the rise against the offer's
    -- past one can be confident of (see macro confident_rise_size)
    select
        'rejection' as dimension,
        'rejection' as gap_type,
        'baseline' as comparison,
        'max' as target_kind,
        {{ rejection_min_sample }} as min_sample_size,
        *
    from (
        select * from return_reason_rates
        union all by name
        select * from rate_comparisons
    ) as gaps
)

select * from final
