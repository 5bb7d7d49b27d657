with

source as (
    select * from {{ source('raw_shop', 'exchange_rates') }}
),

renamed as (
    select
        cast(date as date) as rate_date,
        upper({{ clean_text('currency') }}) as currency,
        cast(rate as double) as exchange_rate
    from source
),

final as (
    select
        currency || ':' || strftime(rate_date, '%Y-%m-%d') as exchange_rate_id,
        *
    from renamed
)

select * from final
