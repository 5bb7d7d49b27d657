with

tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

identities as (
    select * from {{ ref('int_customer_ids_mapped') }}
),

products as (
    select * from {{ ref('int_products_mapped') }}
),

shop_keys as (
    select
        source_id as customer_id,
        customer_key
    from identities
    where identity_type = 'shop_customer'
),

sku_offers as (
    select
        sku,
        min(offer_id) as offer_id
    from products
    where sku is not null
    group by all
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
        sku_offers.offer_id,
        tickets.subject,
        tickets.description
    from tickets
    left join shop_keys
        on tickets.customer_id = shop_keys.customer_id
    left join sku_offers
        on tickets.sku = sku_offers.sku
)

select * from final
