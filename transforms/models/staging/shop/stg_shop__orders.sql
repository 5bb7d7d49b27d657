with

source as (
    select * from {{ source('raw_shop', 'orders') }}
    where _deleted_at is null  -- rows deleted in the source stay in raw, marked
),

channels as (
    select * from {{ ref('channels') }}
),

renamed as (
    select
        {{ clean_text('order_id') }} as order_id,
        {{ clean_text('customer_id') }} as customer_id,
        {{ to_utc('ordered_at') }} as ordered_at,
        {{ month_of(to_utc('ordered_at')) }} as order_month,
        {{ clean_enum('channel') }} as channel_raw,
        upper({{ clean_text('currency') }}) as currency,
        cast(total_amount as double) as total_amount,
        coalesce(cast(discount_amount as double), 0) as discount_amount,
        {{ clean_enum('status') }} as order_status,
        upper({{ clean_text('shipping_country') }}) as shipping_country
    from source
),

channels_mapped as (
    select
        * exclude (channel_raw),
        -- the canonical list (seed channels) holds 'other': any unknown channel is 'other'
        case
            when channel_raw in (select channels.channel_id from channels)
                then channel_raw
            when channel_raw is not null then 'other'
        end as channel
    from renamed
),

final as (
    select * from channels_mapped
)

select * from final
