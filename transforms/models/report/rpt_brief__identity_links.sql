with

shop_customer_keys as (
    select * from {{ ref('int_shop_customer_keys') }}
),

tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

reviews as (
    select * from {{ ref('stg_shop__reviews') }}
),

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

shop_keys as (
    select distinct customer_key from shop_customer_keys
),

ticket_keys as (
    -- the shop customer the ticket names, else its requester's email
    select
        coalesce(
            shop_customer_keys.customer_key,
            {{ customer_key_from_email('tickets.requester_email') }}
        ) as customer_key
    from tickets
    left join shop_customer_keys
        on tickets.customer_id = shop_customer_keys.customer_id
),

review_keys as (
    select shop_customer_keys.customer_key
    from reviews
    left join shop_customer_keys
        on reviews.customer_id = shop_customer_keys.customer_id
),

contact_keys as (
    select {{ customer_key_from_email('contacts.email') }} as customer_key
    from contacts
),

linked as (
    select
        'support/tickets' as entity_key,
        'requester_email' as linked_by,
        ticket_keys.customer_key in (select shop_keys.customer_key from shop_keys) as is_linked
    from ticket_keys
    union all
    select
        'shop/reviews' as entity_key,
        'customer_id' as linked_by,
        review_keys.customer_key is not null as is_linked
    from review_keys
    union all
    select
        'crm/contacts' as entity_key,
        'email' as linked_by,
        contact_keys.customer_key in (select shop_keys.customer_key from shop_keys) as is_linked
    from contact_keys
),

final as (
    select
        entity_key,
        any_value(linked_by) as linked_by,
        count(*) as row_count,
        count(*) filter (where is_linked) as linked_rows,
        count(*) filter (where is_linked) / count(*) as linked_share
    from linked
    group by entity_key
)

select * from final
