with

customers as (
    select * from {{ ref('int_customers_unified') }}
),

segmented as (
    select * from {{ ref('int_customers_segmented') }}
),

segments as (
    select * from {{ ref('stg_intent__segments') }}
),

final as (
    select
        customers.customer_key,
        customers.email,
        customers.shop_customer_id,
        customers.shop_customer_ids,
        customers.contact_ids,
        customers.is_shop_customer,
        customers.is_crm_contact,
        customers.is_support_requester,
        segmented.account_id,
        segmented.account_type,
        segmented.industry,
        segmented.size_band,
        segmented.country,
        segmented.customer_tags,
        segmented.segment_id,
        segments.label_fr as segment_label_fr,
        segments.label_en as segment_label_en,
        segmented.is_rule_matched,
        customers.first_seen_at
    from customers
    left join segmented
        on customers.customer_key = segmented.customer_key
    left join segments
        on segmented.segment_id = segments.segment_id
)

select * from final
