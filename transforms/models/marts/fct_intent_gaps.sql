{%- set tolerance = var('gap_off_target_tolerance') -%}
{%- set min_buyers = var('gap_min_buyers') -%}
{%- set z_threshold = var('gap_z_threshold') -%}
{%- set min_sample = var('gap_target_min_sample') -%}

with

usage as (
    select * from {{ ref('fct_offer_usage_monthly') }}
),

segment_mix as (
    select * from {{ ref('fct_offer_segment_mix') }}
),

offer_targets as (
    select * from {{ ref('stg_intent__offer_targets') }}
),

segment_gaps as (
    -- one row per off-target segment with buyers in the trailing window: its share of
    -- buyers against the tolerance, tested one-sided (normal approximation of the binomial)
    select
        segment_mix.offer_id,
        segment_mix.month,
        'segment_mix' as gap_type,
        'off_target_share' as metric,
        segment_mix.segment_id,
        {{ tolerance }} as expected_value,
        segment_mix.buyer_share as actual_value,
        segment_mix.revenue_share,
        segment_mix.window_buyers as sample_size,
        {{ one_proportion_z('segment_mix.buyer_share', 'segment_mix.window_buyers', tolerance) }}
            as z_score,
        'max' as target_kind
    from segment_mix
    inner join usage
        on segment_mix.offer_id = usage.offer_id
        and segment_mix.month = usage.month
    where segment_mix.has_intended_segments
        and not segment_mix.is_intended
        and usage.is_active
),

target_actuals as (
    -- every declared target against the month's actual value and its sample size
    select
        usage.offer_id,
        usage.month,
        'target' as gap_type,
        offer_targets.metric,
        cast(null as varchar) as segment_id,
        offer_targets.target_value as expected_value,
        case offer_targets.metric
            when 'monthly_units' then usage.units
            when 'monthly_revenue' then usage.revenue
            when 'return_rate_max' then usage.return_rate
            when 'repeat_rate_min' then usage.repeat_rate
            when 'tickets_per_100_orders_max' then usage.tickets_per_100_orders
            when 'csat_min' then usage.csat
            when 'rating_min' then usage.avg_rating
        end as actual_value,
        cast(null as double) as revenue_share,
        case offer_targets.metric
            when 'monthly_units' then usage.orders
            when 'monthly_revenue' then usage.orders
            when 'return_rate_max' then usage.units
            when 'repeat_rate_min' then usage.buyers
            when 'tickets_per_100_orders_max' then usage.orders
            when 'csat_min' then usage.satisfaction_ratings
            when 'rating_min' then usage.reviews
        end as sample_size,
        cast(null as double) as z_score,
        -- volumes and *_min targets are floors; *_max targets are ceilings
        case when ends_with(offer_targets.metric, '_max') then 'max' else 'min' end as target_kind
    from usage
    inner join offer_targets
        on usage.offer_id = offer_targets.offer_id
    where usage.is_active
),

unioned as (
    select * from segment_gaps
    union all
    select * from target_actuals
    where actual_value is not null
),

judged as (
    select
        *,
        actual_value - expected_value as gap_value,
        case when actual_value >= expected_value then 'above' else 'below' end as direction,
        case
            when gap_type = 'segment_mix'
                then sample_size >= {{ min_buyers }} and z_score >= {{ z_threshold }}
            when metric in ('monthly_units', 'monthly_revenue')
                then actual_value < expected_value
            when target_kind = 'max'
                then sample_size >= {{ min_sample }} and actual_value > expected_value
            else sample_size >= {{ min_sample }} and actual_value < expected_value
        end as is_breach,
        -- size of the gap on a 0..1 scale, in the breaching direction only
        least(1.0, greatest(0.0, case
            when gap_type = 'segment_mix'
                then (actual_value - expected_value) / (1 - expected_value)
            when target_kind = 'max'
                then (actual_value - expected_value) / nullif(abs(expected_value), 0)
            else (expected_value - actual_value) / nullif(abs(expected_value), 0)
        end)) as relative_gap
    from unioned
),

final as (
    select
        offer_id || ':' || metric || ':' || coalesce(segment_id, '-') as gap_id,
        offer_id || ':' || metric || ':' || coalesce(segment_id, '-')
        || ':' || strftime(month, '%Y-%m') as gap_month_id,
        month,
        offer_id,
        gap_type,
        metric,
        segment_id,
        expected_value,
        actual_value,
        gap_value,
        direction,
        is_breach,
        sample_size,
        z_score,
        revenue_share,
        coalesce(relative_gap, 0) as gap_score,
        row_number() over (
            partition by month
            order by is_breach desc, coalesce(relative_gap, 0) desc, offer_id, metric, segment_id
        ) as gap_rank
    from judged
)

select * from final
