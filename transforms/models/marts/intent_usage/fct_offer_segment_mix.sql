{%- set window_months = var('gap_window_months') -%}
{%- set tolerance = var('gap_off_target_tolerance') -%}
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

segments as (
    select * from {{ ref('stg_intent__segments') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

evidence as (
    select * from {{ ref('fct_evidence') }}
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
        on {{ in_trailing_window('order_lines.order_month', 'months.month', window_months) }}
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

segment_accounts as (
    -- the accounts that buy most in each segment: who is behind the figure
    select
        offer_id,
        month,
        segment_id,
        list(account_id order by account_revenue desc, account_id)[1:{{ evidence_links }}]
            as top_account_ids
    from (
        select
            window_lines.offer_id,
            window_lines.month,
            window_lines.segment_id,
            customers.account_id,
            sum(window_lines.line_amount) as account_revenue
        from window_lines
        inner join customers
            on window_lines.customer_key = customers.customer_key
        where customers.account_id is not null
        group by all
    ) as account_totals
    group by all
),

segment_evidence as (
    -- what the segment's customers said about the offer within the window, latest first
    select
        months.month,
        evidence.offer_id,
        evidence.segment_id,
        ({{ latest_evidence_ids() }})[1:{{ evidence_links }}] as evidence_ids,
        count(*) as evidence_items
    from months
    inner join evidence
        on {{ in_trailing_window('evidence.evidence_month', 'months.month', window_months) }}
    where evidence.offer_id is not null
        and evidence.segment_id is not null
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
        {{ intended_membership(
            'offers.intended_segment_ids', 'segment_totals.segment_id', 'has_intended_segments'
        ) }},
        segment_totals.buyers,
        segment_totals.revenue,
        window_totals.window_buyers,
        window_totals.window_revenue,
        segment_totals.buyers / window_totals.window_buyers as buyer_share,
        segment_totals.revenue / nullif(window_totals.window_revenue, 0) as revenue_share,
        {{ tolerance_test(
            'segment_totals.buyers / window_totals.window_buyers', 'window_totals.window_buyers', tolerance
        ) }},
        coalesce(segment_accounts.top_account_ids, []) as top_account_ids,
        coalesce(segment_evidence.evidence_ids, []) as evidence_ids,
        coalesce(segment_evidence.evidence_items, 0) as evidence_items
    from segment_totals
    inner join window_totals
        on segment_totals.offer_id = window_totals.offer_id
        and segment_totals.month = window_totals.month
    inner join offers
        on segment_totals.offer_id = offers.offer_id
    left join segments
        on segment_totals.segment_id = segments.segment_id
    left join segment_accounts
        on segment_totals.offer_id = segment_accounts.offer_id
        and segment_totals.month = segment_accounts.month
        and segment_totals.segment_id = segment_accounts.segment_id
    left join segment_evidence
        on segment_totals.offer_id = segment_evidence.offer_id
        and segment_totals.month = segment_evidence.month
        and segment_totals.segment_id = segment_evidence.segment_id
)

select * from final
