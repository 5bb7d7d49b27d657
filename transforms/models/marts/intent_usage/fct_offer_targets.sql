{%- set evidence_links = var('gap_evidence_links') -%}

with

usage as (
    select * from {{ ref('fct_offer_usage_monthly') }}
),

offer_targets as (
    select * from {{ ref('stg_intent__offer_targets') }}
),

evidence as (
    select * from {{ ref('fct_evidence') }}
),

reviews as (
    select * from {{ ref('stg_shop__reviews') }}
),

satisfaction as (
    select * from {{ ref('stg_support__satisfaction') }}
),

month_evidence as (
    -- the month's evidence behind each kind of target, latest first
    select
        evidence.offer_id,
        evidence.evidence_month as month,
        {{ latest_evidence_ids("evidence.evidence_source = 'return_reason'") }} as return_evidence_ids,
        {{ latest_evidence_ids("evidence.evidence_source = 'ticket'") }} as ticket_evidence_ids,
        {{ latest_evidence_ids('reviews.rating <= 2') }} as low_rating_evidence_ids,
        {{ latest_evidence_ids('not satisfaction.is_satisfied') }} as bad_satisfaction_evidence_ids
    from evidence
    left join reviews
        on evidence.evidence_source = 'review'
        and evidence.source_id = reviews.review_id
    left join satisfaction
        on evidence.evidence_source = 'satisfaction_comment'
        and evidence.source_id = satisfaction.rating_id
    where evidence.offer_id is not null
    group by all
),

actuals as (
    select
        usage.offer_id,
        usage.month,
        usage.is_active,
        offer_targets.metric,
        offer_targets.target_value,
        -- volumes and *_min targets are floors; *_max targets are ceilings
        case when ends_with(offer_targets.metric, '_max') then 'max' else 'min' end
            as target_kind,
        case offer_targets.metric
            when 'monthly_units' then usage.units
            when 'monthly_revenue' then usage.revenue
            when 'return_rate_max' then usage.return_rate
            when 'repeat_rate_min' then usage.repeat_rate
            when 'tickets_per_100_orders_max' then usage.tickets_per_100_orders
            when 'csat_min' then usage.csat
            when 'rating_min' then usage.avg_rating
        end as actual_value,
        case offer_targets.metric
            when 'monthly_units' then usage.orders
            when 'monthly_revenue' then usage.orders
            when 'return_rate_max' then usage.units
            when 'repeat_rate_min' then usage.buyers
            when 'tickets_per_100_orders_max' then usage.orders
            when 'csat_min' then usage.satisfaction_ratings
            when 'rating_min' then usage.reviews
        end as sample_size,
        usage.orders,
        usage.lines_sold,
        usage.tickets,
        -- spread of the month's ratings, floored at half a star so a handful of equal
        -- ratings does not look certain
        greatest(
            sqrt(greatest(
                usage.rating_sum_squares / nullif(usage.reviews, 0) - pow(usage.avg_rating, 2),
                0
            )),
            0.5
        ) as rating_stddev,
        case offer_targets.metric
            when 'return_rate_max' then month_evidence.return_evidence_ids
            when 'tickets_per_100_orders_max' then month_evidence.ticket_evidence_ids
            when 'csat_min' then month_evidence.bad_satisfaction_evidence_ids
            when 'rating_min' then month_evidence.low_rating_evidence_ids
        end as evidence_ids
    from usage
    inner join offer_targets
        on usage.offer_id = offer_targets.offer_id
    left join month_evidence
        on usage.offer_id = month_evidence.offer_id
        and usage.month = month_evidence.month
),

tested as (
    -- z of the gap in the breaching direction (positive: beyond the target)
    select
        *,
        case
            when metric in ('monthly_units', 'monthly_revenue')
                -- relative shortfall, with orders as the independent events behind the volume
                then (target_value - actual_value) / nullif(target_value, 0) * sqrt(orders)
            when metric = 'tickets_per_100_orders_max'
                -- tickets against the count the ceiling allows (normal approximation of a Poisson count)
                then (tickets - target_value / 100 * orders)
                    / nullif(sqrt(target_value / 100 * orders), 0)
            when metric = 'rating_min'
                then (target_value - actual_value) / (rating_stddev / sqrt(nullif(sample_size, 0)))
            when metric = 'return_rate_max'
                -- returns are events on order lines: lines, not units, are the trials
                then {{ one_proportion_z('actual_value', 'lines_sold', 'target_value') }}
            when target_kind = 'max'
                then {{ one_proportion_z('actual_value', 'sample_size', 'target_value') }}
            else -({{ one_proportion_z('actual_value', 'sample_size', 'target_value') }})
        end as z_score
    from actuals
),

final as (
    select
        offer_id || ':' || metric || ':' || strftime(month, '%Y-%m') as offer_target_month_id,
        offer_id,
        month,
        is_active,
        metric,
        target_kind,
        target_value,
        actual_value,
        actual_value - target_value as gap_value,
        case when actual_value >= target_value then 'above' else 'below' end as direction,
        case
            when target_kind = 'max' then actual_value > target_value
            else actual_value < target_value
        end as is_beyond_target,
        sample_size,
        z_score,
        coalesce(evidence_ids, [])[1:{{ evidence_links }}] as evidence_ids
    from tested
)

select * from final
