{%- set window_months = var('gap_window_months') -%}

with

offers as (
    select * from {{ ref('dim_offers') }}
),

months as (
    select * from {{ ref('int_months_spanned') }}
),

order_lines as (
    select * from {{ ref('fct_order_lines') }}
),

segments as (
    select * from {{ ref('stg_intent__segments') }}
),

window_lines as (
    -- every counted sale of an offer within the trailing window ending with the month
    select
        order_lines.offer_id,
        months.month,
        order_lines.customer_key,
        order_lines.segment_id,
        order_lines.line_amount
    from months
    inner join order_lines
        on order_lines.order_month <= months.month
        and order_lines.order_month
        > months.month - interval {{ window_months }} month
    where order_lines.is_counted
        and order_lines.offer_id is not null
        and order_lines.customer_key is not null
),

window_totals as (
    select
        offer_id,
        month,
        count(distinct customer_key) as window_buyers,
        sum(line_amount) as window_revenue
    from window_lines
    group by all
),

segment_totals as (
    select
        offer_id,
        month,
        segment_id,
        count(distinct customer_key) as buyers,
        sum(line_amount) as revenue
    from window_lines
    group by all
),

final as (
    select
        segment_totals.offer_id || ':' || strftime(segment_totals.month, '%Y-%m')
        || ':' || segment_totals.segment_id as offer_segment_month_id,
        segment_totals.offer_id,
        segment_totals.month,
        segment_totals.segment_id,
        segments.label_fr as segment_label_fr,
        segments.label_en as segment_label_en,
        -- an offer that declares no intended segment has no off-target buyers
        len(offers.intended_segment_ids) > 0 as has_intended_segments,
        len(offers.intended_segment_ids) = 0
        or list_contains(offers.intended_segment_ids, segment_totals.segment_id) as is_intended,
        segment_totals.buyers,
        segment_totals.revenue,
        window_totals.window_buyers,
        window_totals.window_revenue,
        segment_totals.buyers / window_totals.window_buyers as buyer_share,
        segment_totals.revenue / nullif(window_totals.window_revenue, 0) as revenue_share
    from segment_totals
    inner join window_totals
        on segment_totals.offer_id = window_totals.offer_id
        and segment_totals.month = window_totals.month
    inner join offers
        on segment_totals.offer_id = offers.offer_id
    left join segments
        on segment_totals.segment_id = segments.segment_id
)

select * from final
