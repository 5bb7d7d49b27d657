with

customers as (
    select * from {{ ref('int_customers_unified') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

segments as (
    select * from {{ ref('stg_intent__segments') }}
),

segment_rules as (
    select * from {{ ref('stg_intent__segment_rules') }}
),

company as (
    select * from {{ ref('stg_intent__company') }}
),

customer_attributes_wide as (
    select
        customers.customer_key,
        customers.account_id,
        accounts.account_type,
        accounts.industry,
        accounts.size_band,
        lower(coalesce(accounts.country, customers.country)) as country,
        customers.customer_tags
    from customers
    left join accounts
        on customers.account_id = accounts.account_id
),

customer_attributes as (
    -- one row per customer per attribute value, the shape segment rules speak
    select
        customer_key,
        'account_type' as match_key,
        account_type as attribute_value
    from customer_attributes_wide
    union all
    select
        customer_key,
        'industry' as match_key,
        industry as attribute_value
    from customer_attributes_wide
    union all
    select
        customer_key,
        'size_band' as match_key,
        size_band as attribute_value
    from customer_attributes_wide
    union all
    select
        customer_key,
        'country' as match_key,
        country as attribute_value
    from customer_attributes_wide
    union all
    select
        customer_key,
        'customer_tag' as match_key,
        unnest(customer_tags) as attribute_value
    from customer_attributes_wide
),

segment_keys as (
    select
        segment_id,
        match_key,
        list(distinct match_value) as match_values
    from segment_rules
    group by all
),

key_checks as (
    -- for each customer, segment and key: is the attribute one of the values?
    select
        customers.customer_key,
        segment_keys.segment_id,
        segment_keys.match_key,
        count(customer_attributes.attribute_value) > 0 as is_key_matched
    from customers
    cross join segment_keys
    left join customer_attributes
        on customers.customer_key = customer_attributes.customer_key
        and segment_keys.match_key = customer_attributes.match_key
        and list_contains(segment_keys.match_values, customer_attributes.attribute_value)
    group by all
),

rule_matches as (
    select
        customer_key,
        segment_id
    from key_checks
    group by all
    having bool_and(is_key_matched)
),

catch_all_matches as (
    -- a segment declared without any match key matches every customer
    select
        customers.customer_key,
        segments.segment_id
    from customers
    cross join segments
    where segments.segment_id not in (select segment_keys.segment_id from segment_keys)
),

first_matches as (
    select
        matches.customer_key,
        matches.segment_id
    from (
        select * from rule_matches
        union all
        select * from catch_all_matches
    ) as matches
    inner join segments
        on matches.segment_id = segments.segment_id
    qualify
        row_number() over (
            partition by matches.customer_key
            order by segments.segment_position
        ) = 1
),

final as (
    select
        customer_attributes_wide.customer_key,
        coalesce(first_matches.segment_id, company.default_segment_id) as segment_id,
        first_matches.segment_id is not null as is_rule_matched,
        customer_attributes_wide.account_id,
        customer_attributes_wide.account_type,
        customer_attributes_wide.industry,
        customer_attributes_wide.size_band,
        customer_attributes_wide.country,
        customer_attributes_wide.customer_tags
    from customer_attributes_wide
    left join first_matches
        on customer_attributes_wide.customer_key = first_matches.customer_key
    left join company
        on true
)

select * from final
