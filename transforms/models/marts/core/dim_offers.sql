{%- set target_metrics = seed_rows('metrics', 'is_target') -%}
{{ config(post_hook="{{ comment_target_columns(this) }}") }}

with

offers as (
    select * from {{ ref('stg_intent__offers') }}
),

offer_segments as (
    select * from {{ ref('stg_intent__offer_segments') }}
),

offer_channels as (
    select * from {{ ref('stg_intent__offer_channels') }}
),

offer_uses as (
    select * from {{ ref('stg_intent__offer_uses') }}
),

offer_complements as (
    select * from {{ ref('stg_intent__offer_complements') }}
),

offer_targets as (
    select * from {{ ref('stg_intent__offer_targets') }}
),

products as (
    select * from {{ ref('int_products_mapped') }}
),

intended_segments as (
    select
        offer_id,
        list(segment_id order by segment_id) as intended_segment_ids
    from offer_segments
    group by all
),

intended_channels as (
    select
        offer_id,
        list(channel order by channel) as intended_channels
    from offer_channels
    group by all
),

intended_uses as (
    select
        offer_id,
        list(theme_id order by theme_id) as intended_theme_ids
    from offer_uses
    group by all
),

complements as (
    select
        offer_id,
        list(complement_offer_id order by complement_offer_id) as complement_offer_ids
    from offer_complements
    group by all
),

targets_pivoted as (
    -- one column per target metric of the seed metrics, in its order: target_<metric_id>
    select
        {% for target in target_metrics %}
            max(target_value) filter (
                where metric = '{{ target["metric_id"] }}'
            ) as target_{{ target["metric_id"] }},
        {% endfor %}
        offer_id
    from offer_targets
    group by all
),

product_counts as (
    select
        offer_id,
        count(*) as product_count
    from products
    where offer_id is not null
    group by all
),

final as (
    select
        offers.offer_id,
        offers.offer_name,
        offers.offer_kind,
        offers.offer_position,
        offers.since_date,
        offers.until_date,
        coalesce(intended_segments.intended_segment_ids, []) as intended_segment_ids,
        coalesce(intended_channels.intended_channels, []) as intended_channels,
        coalesce(intended_uses.intended_theme_ids, []) as intended_theme_ids,
        coalesce(complements.complement_offer_ids, []) as complement_offer_ids,
        coalesce(product_counts.product_count, 0) as product_count,
        targets_pivoted.* exclude (offer_id)  -- noqa: RF02
    from offers
    left join intended_segments on offers.offer_id = intended_segments.offer_id
    left join intended_channels on offers.offer_id = intended_channels.offer_id
    left join intended_uses on offers.offer_id = intended_uses.offer_id
    left join complements on offers.offer_id = complements.offer_id
    left join targets_pivoted on offers.offer_id = targets_pivoted.offer_id
    left join product_counts on offers.offer_id = product_counts.offer_id
)

select * from final
