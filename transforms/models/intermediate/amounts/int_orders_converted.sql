with

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

rates as (
    select * from {{ ref('stg_shop__exchange_rates') }}
),

company as (
    select * from {{ ref('stg_intent__company') }}
),

dated as (
    select
        orders.*,
        {{ local_date_of('orders.ordered_at') }} as order_date,
        company.currency as company_currency
    from orders
    cross join company
),

rated as (
    -- the rate of the order's date, or of the latest earlier date
    select
        dated.*,
        rates.rate_date,
        case
            when dated.currency = dated.company_currency then 1.0
            else rates.exchange_rate
        end as exchange_rate
    from dated
    asof left join rates
        on dated.currency = rates.currency
        and dated.order_date >= rates.rate_date
),

final as (
    select
        order_id,
        customer_id,
        ordered_at,
        order_date,
        order_month,
        channel,
        order_status,
        shipping_country,
        currency,
        total_amount as exported_total_amount,
        discount_amount as exported_discount_amount,
        exchange_rate,
        case when currency <> company_currency then rate_date end as rate_date,
        exchange_rate is not null as is_amount_converted,
        total_amount * exchange_rate as total_amount,
        discount_amount * exchange_rate as discount_amount,
        case
            when exchange_rate is null
                then 'no exchange rate for ' || currency || ' on or before '
                    || strftime(order_date, '%Y-%m-%d') || ': add it to shop/exchange_rates'
        end as exclusion_reason
    from rated
)

select * from final
