with

tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

shop_keys as (
    select * from {{ ref('int_shop_customer_keys') }}
),

sku_offers as (
    select * from {{ ref('int_skus_mapped_to_offers') }}
),

final as (
    -- the customer is the shop customer the ticket names, else its requester's email
    select
        tickets.ticket_id,
        tickets.created_at,
        {{ month_of('tickets.created_at') }} as ticket_month,
        coalesce(
            shop_keys.customer_key,
            {{ customer_key_from_email('tickets.requester_email') }}
        ) as customer_key,
        tickets.sku,
        sku_offers.offer_id
    from tickets
    left join shop_keys
        on tickets.customer_id = shop_keys.customer_id
    left join sku_offers
        on tickets.sku = sku_offers.sku
)

select * from final
