with

identities as (
    select * from {{ ref('int_customer_ids_mapped') }}
),

final as (
    select
        source_id as customer_id,
        customer_key
    from identities
    where identity_type = 'shop_customer'
)

select * from final
