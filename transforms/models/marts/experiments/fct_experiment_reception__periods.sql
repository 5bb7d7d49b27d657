with

offers as (
    select * from {{ ref('dim_offers') }}
),

months as (
    select * from {{ ref('int_months_spanned') }}
),

experiments as (
    -- each experiment offer, judged every month from its launch month on
    select
        offers.offer_id,
        {{ month_of('offers.since_date') }} as launch_month,
        {{ month_of('offers.until_date') }} as end_month,
        months.month
    from offers
    inner join months
        on months.month >= coalesce({{ month_of('offers.since_date') }}, months.month)
    where offers.offer_kind = 'experiment'
),

final as (
    -- the period each experiment month is judged on: from its launch (or the first month
    -- with data) to the month, not past its end
    select
        offer_id || ':' || strftime(month, '%Y-%m') as offer_month_id,
        offer_id,
        month,
        coalesce(launch_month, (select min(months.month) from months)) as period_start,
        least(month, coalesce(end_month, month)) as period_end
    from experiments
)

select * from final
