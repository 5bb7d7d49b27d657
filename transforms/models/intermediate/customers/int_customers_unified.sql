with

identities as (
    select * from {{ ref('int_customer_ids_mapped') }}
),

shop_customers as (
    select * from {{ ref('stg_shop__customers') }}
),

crm_contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

shop_by_key as (
    select
        identities.customer_key,
        min(shop_customers.created_at) as shop_created_at,
        list(shop_customers.customer_id order by shop_customers.created_at, shop_customers.customer_id)
            as shop_customer_ids,
        -- the oldest shop customer record with an account wins
        arg_min(shop_customers.account_id, shop_customers.created_at) filter (
            where shop_customers.account_id is not null
        ) as shop_account_id,
        arg_min(shop_customers.country, shop_customers.created_at) filter (
            where shop_customers.country is not null
        ) as shop_country,
        list_distinct(flatten(list(shop_customers.tag_list))) as customer_tags
    from identities
    inner join shop_customers
        on identities.identity_type = 'shop_customer'
        and identities.source_id = shop_customers.customer_id
    group by all
),

crm_by_key as (
    select
        identities.customer_key,
        list(crm_contacts.contact_id order by crm_contacts.contact_id) as contact_ids,
        min(crm_contacts.account_id) as contact_account_id
    from identities
    inner join crm_contacts
        on identities.identity_type = 'crm_contact'
        and identities.source_id = crm_contacts.contact_id
    group by all
),

keys as (
    select
        customer_key,
        min(email) as email,
        list(distinct identity_type order by identity_type) as identity_types
    from identities
    group by all
),

final as (
    select
        keys.customer_key,
        keys.email,
        coalesce(shop_by_key.shop_account_id, crm_by_key.contact_account_id) as account_id,
        shop_by_key.shop_customer_ids[1] as shop_customer_id,
        coalesce(shop_by_key.shop_customer_ids, []) as shop_customer_ids,
        coalesce(crm_by_key.contact_ids, []) as contact_ids,
        keys.identity_types,
        list_contains(keys.identity_types, 'shop_customer') as is_shop_customer,
        list_contains(keys.identity_types, 'crm_contact') as is_crm_contact,
        list_contains(keys.identity_types, 'support_requester') as is_support_requester,
        shop_by_key.shop_country as country,
        coalesce(shop_by_key.customer_tags, []) as customer_tags,
        shop_by_key.shop_created_at as first_seen_at
    from keys
    left join shop_by_key
        on keys.customer_key = shop_by_key.customer_key
    left join crm_by_key
        on keys.customer_key = crm_by_key.customer_key
)

select * from final
