{%- set window_months = var('gap_window_months') -%}
{%- set baseline_months = var('gap_baseline_months') -%}
{%- set summed = [
    'orders', 'cancelled_orders', 'lines_sold', 'units', 'revenue', 'buyers', 'repeat_buyers', 'returns',
    'returned_units', 'tickets', 'satisfaction_ratings', 'satisfied_ratings', 'reviews',
    'rating_sum', 'rating_sum_squares', 'low_ratings', 'evidence_items',
] -%}
{%- set in_window = in_trailing_window('past.month', 'usage.month', window_months) -%}
{%- set in_baseline = in_trailing_window('past.month', 'usage.month', baseline_months, offset=window_months) -%}

with

usage as (
    select * from {{ ref('fct_offer_usage_monthly') }}
),

windowed as (
    -- each month's trailing window (the month and the months before it) and the
    -- baseline window that ends just before the trailing window starts
    select
        usage.offer_id,
        usage.month,
        usage.is_active,
        usage.is_complete_month,
        {% for column in summed %}
            {{ ordered_sum('past.' ~ column, 'past.month', in_window) }} as window_{{ column }},
            {{ ordered_sum('past.' ~ column, 'past.month', in_baseline) }} as baseline_{{ column }},
        {% endfor %}
        count(*) filter (where {{ in_window }} and past.is_active) as window_active_months,
        count(*) filter (where {{ in_baseline }} and past.is_active) as baseline_active_months
    from usage
    inner join usage as past
        on usage.offer_id = past.offer_id
        and {{ in_trailing_window('past.month', 'usage.month', window_months + baseline_months) }}
    group by all
),

company_revenue as (
    select
        month,
        {{ ordered_sum('window_revenue', 'offer_id') }} as company_window_revenue
    from windowed
    group by all
),

final as (
    select
        windowed.offer_id || ':' || strftime(windowed.month, '%Y-%m') as offer_month_id,
        windowed.*,
        company_revenue.company_window_revenue,
        windowed.window_revenue / nullif(company_revenue.company_window_revenue, 0)
            as window_revenue_share
    from windowed
    inner join company_revenue
        on windowed.month = company_revenue.month
)

select * from final
