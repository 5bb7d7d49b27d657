with

orders as (
    select * from {{ ref('int_orders_converted') }}
),

deals as (
    select * from {{ ref('int_deals_converted') }}
),

excluded_orders as (
    select
        'shop' as system,
        'orders' as entity,
        order_id as record_id,
        order_date as amount_date,
        currency,
        exported_total_amount as exported_amount,
        exclusion_reason as reason
    from orders
    where not is_amount_converted
),

excluded_deals as (
    select
        'crm' as system,
        'deals' as entity,
        deal_id as record_id,
        amount_date,
        currency,
        exported_amount,
        exclusion_reason as reason
    from deals
    where not is_amount_converted
),

final as (
    select
        system || '/' || entity || ':' || record_id as exclusion_id,
        *,
        'no_exchange_rate' as reason_code
    from (
        select * from excluded_orders
        union all by name
        select * from excluded_deals
    ) as excluded
)

select * from final
