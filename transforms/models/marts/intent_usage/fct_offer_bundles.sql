{%- set window_months = var('gap_bundle_window_months') -%}
{%- set evidence_links = var('gap_evidence_links') -%}

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

customers as (
    select * from {{ ref('dim_customers') }}
),

order_offers as (
    -- one row per counted order and offer it contains
    select distinct
        order_id,
        order_month,
        offer_id,
        customer_key
    from order_lines
    where is_counted
        and offer_id is not null
),

window_orders as (
    select
        months.month,
        order_offers.order_id,
        order_offers.offer_id,
        order_offers.customer_key
    from months
    inner join order_offers
        on {{ in_trailing_window('order_offers.order_month', 'months.month', window_months) }}
),

all_orders as (
    select
        month,
        count(distinct order_id) as window_orders
    from window_orders
    group by all
),

offer_orders as (
    select
        month,
        offer_id,
        count(*) as offer_orders
    from window_orders
    group by all
),

co_orders as (
    select
        window_orders.month,
        window_orders.offer_id,
        partners.offer_id as partner_offer_id,
        count(*) as co_orders,
        list(distinct customers.account_id) filter (where customers.account_id is not null)
            as account_ids
    from window_orders
    inner join window_orders as partners
        on window_orders.month = partners.month
        and window_orders.order_id = partners.order_id
        and window_orders.offer_id <> partners.offer_id
    left join customers
        on window_orders.customer_key = customers.customer_key
    group by all
),

pairs as (
    -- every ordered pair of offers both sold in the window
    select
        offer_orders.month,
        offer_orders.offer_id,
        partner_orders.offer_id as partner_offer_id,
        offer_orders.offer_orders,
        partner_orders.offer_orders as partner_orders
    from offer_orders
    inner join offer_orders as partner_orders
        on offer_orders.month = partner_orders.month
        and offer_orders.offer_id <> partner_orders.offer_id
),

final as (
    select
        pairs.offer_id || '+' || pairs.partner_offer_id || ':' || strftime(pairs.month, '%Y-%m')
            as offer_pair_month_id,
        pairs.offer_id,
        pairs.partner_offer_id,
        pairs.month,
        -- intended when either offer declares the other as a complement
        list_contains(offers.complement_offer_ids, pairs.partner_offer_id)
        or list_contains(partners.complement_offer_ids, pairs.offer_id) as is_intended_complement,
        list_contains(offers.complement_offer_ids, pairs.partner_offer_id)
            as is_declared_by_offer,
        all_orders.window_orders,
        pairs.offer_orders,
        pairs.partner_orders,
        coalesce(co_orders.co_orders, 0) as co_orders,
        coalesce(co_orders.co_orders, 0) / all_orders.window_orders as support,
        coalesce(co_orders.co_orders, 0) / pairs.offer_orders as confidence,
        pairs.offer_orders * pairs.partner_orders / all_orders.window_orders
            as expected_co_orders,
        coalesce(co_orders.co_orders, 0) * all_orders.window_orders
        / (pairs.offer_orders * pairs.partner_orders) as lift,
        -- co-orders against what independence expects (normal approximation of a Poisson count)
        (
            coalesce(co_orders.co_orders, 0)
            - pairs.offer_orders * pairs.partner_orders / all_orders.window_orders
        ) / sqrt(pairs.offer_orders * pairs.partner_orders / all_orders.window_orders) as z_score,
        coalesce(list_sort(co_orders.account_ids), [])[1:{{ evidence_links }}] as account_ids
    from pairs
    inner join all_orders
        on pairs.month = all_orders.month
    inner join offers
        on pairs.offer_id = offers.offer_id
    inner join offers as partners
        on pairs.partner_offer_id = partners.offer_id
    left join co_orders
        on pairs.month = co_orders.month
        and pairs.offer_id = co_orders.offer_id
        and pairs.partner_offer_id = co_orders.partner_offer_id
)

select * from final
