{%- set window_months = var('decision_window_months') -%}
{%- set z_threshold = var('gap_z_threshold') -%}
{%- set watched_metrics = seed_rows('metrics', 'is_watched') -%}

with

decisions as (
    select * from {{ ref('stg_intent__decisions') }}
),

watches as (
    select * from {{ ref('stg_intent__decision_watches') }}
),

offers as (
    select * from {{ ref('dim_offers') }}
),

months as (
    select * from {{ ref('int_months_spanned') }}
),

usage as (
    select * from {{ ref('fct_offer_usage_monthly') }}
),

metrics as (
    select * from {{ ref('metrics') }}
),

offer_kinds as (
    select * from {{ ref('offer_kinds') }}
),

decision_months as (
    -- every month from the decision's month on; the month of a decision taken after the
    -- 1st mixes before and after, so it belongs to neither window
    select
        decisions.decision_id,
        decisions.decision_date,
        decisions.offer_id,
        watches.metric,
        months.month,
        {{ month_of('decisions.decision_date') }} - interval {{ window_months }} month
            as before_start,
        {{ month_of('decisions.decision_date') }} - interval 1 month as before_end,
        case
            when day(decisions.decision_date) = 1 then {{ month_of('decisions.decision_date') }}
            else {{ month_of('decisions.decision_date') }} + interval 1 month
        end as after_start
    from decisions
    inner join watches
        on decisions.decision_id = watches.decision_id
    inner join months
        on months.month >= {{ month_of('decisions.decision_date') }}
),

windows as (
    select
        *,
        cast(greatest(after_start, month - interval {{ window_months - 1 }} month) as date)
            as window_after_start,
        greatest(date_diff('month', after_start, month) + 1, 0) as months_since_decision
    from decision_months
),

comparison_offers as (
    -- the other offers (not experiments) that run through both windows: the general trend
    -- of the period
    select
        windows.decision_id,
        windows.metric,
        windows.month,
        offers.offer_id
    from windows
    cross join offers
    where offers.offer_id <> windows.offer_id
        and offers.offer_kind in (
            select offer_kinds.offer_kind_id
            from offer_kinds
            where not offer_kinds.is_experiment
        )
        and coalesce(offers.since_date <= windows.before_start, true)
        and coalesce(offers.until_date >= windows.month, true)
),

observed as (
    -- usage of the decision's offer and of the comparison offers in both windows
    select
        windows.decision_id,
        windows.metric,
        windows.month,
        usage.offer_id = windows.offer_id as is_decision_offer,
        usage.month between windows.before_start and windows.before_end as is_before,
        usage.* exclude (offer_id, month, offer_month_id, segment_mix),  -- noqa: RF02
        usage.month as usage_month,
        usage.offer_id as usage_offer_id
    from windows
    inner join usage
        on usage.month between windows.before_start and windows.month
        and (
            usage.month between windows.before_start and windows.before_end
            or windows.window_after_start <= usage.month
        )
    left join comparison_offers
        on windows.decision_id = comparison_offers.decision_id
        and windows.metric = comparison_offers.metric
        and windows.month = comparison_offers.month
        and usage.offer_id = comparison_offers.offer_id
    where usage.offer_id = windows.offer_id
        or comparison_offers.offer_id is not null
),

sums as (
    select
        decision_id,
        metric,
        month,
        is_decision_offer,
        is_before,
        count(distinct usage_month) as months,
        sum(units) as units,
        {{ ordered_sum('revenue', 'usage_month, usage_offer_id') }} as revenue,
        sum(orders) as orders,
        sum(returned_units) as returned_units,
        sum(buyers) as buyers,
        sum(repeat_buyers) as repeat_buyers,
        sum(tickets) as tickets,
        sum(satisfaction_ratings) as satisfaction_ratings,
        sum(satisfied_ratings) as satisfied_ratings,
        sum(reviews) as reviews,
        sum(rating_sum) as rating_sum,
        sum(rating_sum_squares) as rating_sum_squares
    from observed
    group by all
),

valued as (
    -- the watched metric over one window, the variance of that estimate, and the
    -- observations behind it, by the metric's family (seed metrics, macros/metrics.sql)
    select
        *,
        case metric
            {% for watched in watched_metrics %}
                when '{{ watched["metric_id"] }}' then {{ metric_window_value(watched) }}
            {% endfor %}
        end as metric_value,
        case metric
            {% for watched in watched_metrics %}
                when '{{ watched["metric_id"] }}' then {{ metric_window_variance(watched) }}
            {% endfor %}
        end as metric_variance,
        case metric
            {% for watched in watched_metrics %}
                when '{{ watched["metric_id"] }}' then {{ metric_sample(watched) }}
            {% endfor %}
        end as sample_size
    from sums
),

pivoted as (
    select
        decision_id,
        metric,
        month,
        max(metric_value) filter (where is_decision_offer and is_before) as before_value,
        max(metric_value) filter (where is_decision_offer and not is_before) as after_value,
        max(metric_value) filter (where not is_decision_offer and is_before)
            as others_before_value,
        max(metric_value) filter (where not is_decision_offer and not is_before)
            as others_after_value,
        max(metric_variance) filter (where is_decision_offer and is_before) as before_variance,
        max(metric_variance) filter (where is_decision_offer and not is_before)
            as after_variance,
        max(metric_variance) filter (where not is_decision_offer and is_before)
            as others_before_variance,
        max(metric_variance) filter (where not is_decision_offer and not is_before)
            as others_after_variance,
        max(sample_size) filter (where is_decision_offer and is_before) as before_sample_size,
        max(sample_size) filter (where is_decision_offer and not is_before) as after_sample_size,
        max(months) filter (where is_decision_offer and is_before) as before_months,
        max(months) filter (where is_decision_offer and not is_before) as after_months
    from valued
    group by all
),

measured as (
    select
        windows.decision_id,
        windows.decision_date,
        windows.offer_id,
        windows.metric,
        windows.month,
        windows.before_start,
        windows.before_end,
        windows.window_after_start,
        windows.months_since_decision,
        pivoted.before_value,
        pivoted.after_value,
        pivoted.others_before_value,
        pivoted.others_after_value,
        pivoted.before_sample_size,
        pivoted.after_sample_size,
        coalesce(pivoted.before_months, 0) as before_months,
        coalesce(pivoted.after_months, 0) as after_months,
        metrics.test = 'volume' as is_relative,
        metrics.direction = 'min' as is_higher_better,
        -- change within the offer and within the comparison offers; volumes as ratios
        case
            when metrics.test = 'volume'
                then pivoted.after_value / nullif(pivoted.before_value, 0) - 1
            else pivoted.after_value - pivoted.before_value
        end as change,
        case
            when metrics.test = 'volume'
                then pivoted.others_after_value / nullif(pivoted.others_before_value, 0) - 1
            else pivoted.others_after_value - pivoted.others_before_value
        end as others_change,
        -- difference in differences (on a log scale for volumes) and its standard error
        case
            when metrics.test = 'volume'
                then ln(pivoted.after_value / nullif(pivoted.before_value, 0))
                    - ln(pivoted.others_after_value / nullif(pivoted.others_before_value, 0))
            else (pivoted.after_value - pivoted.before_value)
                - (pivoted.others_after_value - pivoted.others_before_value)
        end as effect_estimate,
        sqrt(
            pivoted.before_variance + pivoted.after_variance
            + coalesce(pivoted.others_before_variance, 0)
            + coalesce(pivoted.others_after_variance, 0)
        ) as effect_standard_error
    from windows
    left join pivoted
        on windows.decision_id = pivoted.decision_id
        and windows.metric = pivoted.metric
        and windows.month = pivoted.month
    left join metrics
        on windows.metric = metrics.metric_id
),

final as (
    select
        decision_id || ':' || metric || ':' || strftime(month, '%Y-%m') as decision_metric_month_id,
        decision_id,
        decision_date,
        offer_id,
        metric,
        month,
        before_start,
        before_end,
        window_after_start as after_start,
        months_since_decision,
        before_months,
        after_months,
        before_value,
        after_value,
        others_before_value,
        others_after_value,
        before_sample_size,
        after_sample_size,
        change,
        others_change,
        -- the decision's effect: the offer's change beyond the comparison offers' change
        case
            when is_relative then exp(effect_estimate) - 1
            else effect_estimate
        end as effect,
        effect_estimate / nullif(effect_standard_error, 0) as z_score,
        is_higher_better,
        case
            when after_months < {{ window_months }} or before_months < {{ window_months }}
                or effect_estimate is null
                then 'too_early'
            when (case when is_higher_better then 1 else -1 end)
                * effect_estimate / nullif(effect_standard_error, 0) >= {{ z_threshold }}
                then 'improved'
            when (case when is_higher_better then 1 else -1 end)
                * effect_estimate / nullif(effect_standard_error, 0) <= -{{ z_threshold }}
                then 'worsened'
            else 'no_clear_effect'
        end as status
    from measured
)

select * from final
