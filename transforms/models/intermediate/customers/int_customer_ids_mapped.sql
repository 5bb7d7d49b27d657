with

shop_customers as (
    select * from {{ ref('stg_shop__customers') }}
),

crm_contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

shop_identities as (
    select
        'shop_customer' as identity_type,
        customer_id as source_id,
        email,
        coalesce(
            {{ customer_key_from_email('email') }},
            {{ customer_key_from_shop_id('customer_id') }}
        ) as customer_key
    from shop_customers
),

contact_identities as (
    select
        'crm_contact' as identity_type,
        contact_id as source_id,
        email,
        {{ customer_key_from_email('email') }} as customer_key
    from crm_contacts
    where email is not null
),

requester_identities as (
    -- a ticket names its customer by shop id when it can, else by the requester's email
    select distinct
        'support_requester' as identity_type,
        requester_email as source_id,
        requester_email as email,
        {{ customer_key_from_email('requester_email') }} as customer_key
    from tickets
    where requester_email is not null
),

unioned as (
    select * from shop_identities
    union all
    select * from contact_identities
    union all
    select * from requester_identities
),

final as (
    select
        identity_type || ':' || source_id as identity_id,
        *
    from unioned
)

select * from final
