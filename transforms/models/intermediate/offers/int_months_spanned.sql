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
        {{ month_of('max(activity_at)') }} as last_month,
        cast(max(activity_at) as date) as last_data_date
    from activity
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
        -- a month is complete when the data reaches its last day
        months.month < bounds.last_month
        or bounds.last_data_date = last_day(bounds.last_month) as is_complete
    from months
    cross join bounds
)

select * from final
