with

deals as (
    select * from {{ ref('stg_crm__deals') }}
),

rates as (
    select * from {{ ref('stg_shop__exchange_rates') }}
),

company as (
    select * from {{ ref('stg_intent__company') }}
),

dated as (
    select
        deals.*,
        -- a deal's amount is dated by its close (its creation while open)
        {{ local_date_of('coalesce(deals.closed_at, deals.created_at)') }} as amount_date,
        -- a deal without a currency is in the company's
        coalesce(deals.currency, company.currency) as amount_currency,
        company.currency as company_currency
    from deals
    cross join company
),

rated as (
    select
        dated.*,
        rates.rate_date,
        case
            when dated.amount_currency = dated.company_currency then 1.0
            else rates.exchange_rate
        end as exchange_rate
    from dated
    asof left join rates
        on dated.amount_currency = rates.currency
        and dated.amount_date >= rates.rate_date
),

final as (
    select
        deal_id,
        account_id,
        stage,
        created_at,
        closed_at,
        outcome,
        sku_list,
        amount_currency as currency,
        amount_date,
        amount as exported_amount,
        exchange_rate,
        case when amount_currency <> company_currency then rate_date end as rate_date,
        -- a deal without an amount has nothing to convert
        amount is null or exchange_rate is not null as is_amount_converted,
        amount * exchange_rate as amount,
        case
            when amount is not null and exchange_rate is null
                then 'no exchange rate for ' || amount_currency || ' on or before '
                    || strftime(amount_date, '%Y-%m-%d') || ': add it to shop/exchange_rates'
        end as exclusion_reason
    from rated
)

select * from final
