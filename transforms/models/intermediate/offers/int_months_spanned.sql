with

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

evidence as (
    select * from {{ ref('int_evidence_collected') }}
),

activity as (
    select ordered_at as activity_at from orders
    union all
    select created_at from evidence
),

bounds as (
    select
        {{ month_of('min(activity_at)') }} as first_month,
        {{ month_of('max(activity_at)') }} as last_month
    from activity
),

order_bounds as (
    -- completeness is the shop orders' alone (whichever other source reaches furthest),
    -- their dates taken in the company's time zone, like the months
    select max({{ local_date_of('ordered_at') }}) as last_order_date
    from orders
),

months as (
    select cast(unnest(generate_series(first_month, last_month, interval 1 month)) as date) as month
    from bounds
    where first_month is not null
),

final as (
    select
        months.month,
        row_number() over (order by months.month) as month_number,
        -- a month is complete when the orders reach its last day and that day is over
        coalesce(
            last_day(months.month) <= order_bounds.last_order_date
            and last_day(months.month) < {{ run_date() }},
            false
        ) as is_complete
    from months
    cross join order_bounds
)

select * from final
