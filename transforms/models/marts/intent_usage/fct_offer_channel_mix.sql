{%- set window_months = var('gap_window_months') -%}
{%- set tolerance = var('gap_channel_tolerance') -%}
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

deals as (
    -- amounts in the company's currency; a deal no rate converts is left out
    -- (fct_amount_exclusions lists it)
    select * from {{ ref('int_deals_converted') }}
    where is_amount_converted
),

products as (
    select * from {{ ref('int_products_mapped') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

shop_sales as (
    -- one row per order and offer: the channel the order came through
    select
        order_lines.offer_id,
        order_lines.order_month as sale_month,
        order_lines.channel,
        'order:' || order_lines.order_id as sale_id,
        customers.account_id,
        {{ ordered_sum('order_lines.line_amount', 'order_lines.order_line_id') }} as amount
    from order_lines
    left join customers
        on order_lines.customer_key = customers.customer_key
    where order_lines.is_counted
        and order_lines.offer_id is not null
        -- an export without a channel says nothing of where the order came from
        and order_lines.channel is not null
    group by all
),

deal_offers as (
    -- won CRM deals, one row per offer their skus name; a deal is a b2b sale, its amount
    -- split evenly over the offers it names
    select
        deal_skus.deal_id,
        deal_skus.account_id,
        deal_skus.won_at,
        deal_skus.amount,
        products.offer_id
    from (
        select
            deal_id,
            account_id,
            coalesce(closed_at, created_at) as won_at,
            amount,
            unnest(sku_list) as sku
        from deals
        where outcome = 'won'
    ) as deal_skus
    inner join products
        on deal_skus.sku = products.sku
    where products.offer_id is not null
    group by all
),

deal_sales as (
    select
        offer_id,
        {{ month_of('won_at') }} as sale_month,
        'b2b' as channel,
        'deal:' || deal_id as sale_id,
        account_id,
        coalesce(amount, 0) / count(*) over (partition by deal_id) as amount
    from deal_offers
),

sales as (
    select
        *,
        false as is_crm_deal
    from shop_sales
    union all
    select
        *,
        true as is_crm_deal
    from deal_sales
),

window_sales as (
    select
        sales.offer_id,
        months.month,
        sales.channel,
        sales.sale_id,
        sales.account_id,
        sales.amount,
        sales.is_crm_deal
    from months
    inner join sales
        on {{ in_trailing_window('sales.sale_month', 'months.month', window_months) }}
),

channel_totals as (
    select
        offer_id,
        month,
        channel,
        count(*) filter (where not is_crm_deal) as orders,
        count(*) filter (where is_crm_deal) as won_deals,
        count(*) as sales,
        {{ ordered_sum('amount', 'sale_id') }} as revenue
    from window_sales
    group by all
),

window_totals as (
    select
        offer_id,
        month,
        count(*) as window_sales,
        {{ ordered_sum('amount', 'sale_id') }} as window_revenue
    from window_sales
    group by all
),

channel_accounts as (
    select
        offer_id,
        month,
        channel,
        list(account_id order by account_amount desc, account_id)[1:{{ evidence_links }}]
            as top_account_ids
    from (
        select
            offer_id,
            month,
            channel,
            account_id,
            {{ ordered_sum('amount', 'sale_id') }} as account_amount
        from window_sales
        where account_id is not null
        group by all
    ) as account_totals
    group by all
),

final as (
    select
        channel_totals.offer_id || ':' || strftime(channel_totals.month, '%Y-%m')
        || ':' || channel_totals.channel as offer_channel_month_id,
        channel_totals.offer_id,
        channel_totals.month,
        channel_totals.channel,
        {{ intended_membership(
            'offers.intended_channels', 'channel_totals.channel', 'has_intended_channels'
        ) }},
        channel_totals.orders,
        channel_totals.won_deals,
        channel_totals.sales,
        channel_totals.revenue,
        window_totals.window_sales,
        window_totals.window_revenue,
        channel_totals.sales / window_totals.window_sales as sales_share,
        channel_totals.revenue / nullif(window_totals.window_revenue, 0) as revenue_share,
        {{ tolerance_test(
            'channel_totals.sales / window_totals.window_sales', 'window_totals.window_sales', tolerance
        ) }},
        coalesce(channel_accounts.top_account_ids, []) as top_account_ids
    from channel_totals
    inner join window_totals
        on channel_totals.offer_id = window_totals.offer_id
        and channel_totals.month = window_totals.month
    inner join offers
        on channel_totals.offer_id = offers.offer_id
    left join channel_accounts
        on channel_totals.offer_id = channel_accounts.offer_id
        and channel_totals.month = channel_accounts.month
        and channel_totals.channel = channel_accounts.channel
)

select * from final
