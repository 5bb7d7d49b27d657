with

periods as (
    select * from {{ ref('fct_experiment_reception__periods') }}
),

compared_products as (
    select * from {{ ref('fct_experiment_reception__compared_products') }}
),

offers as (
    select * from {{ ref('dim_offers') }}
),

products as (
    select * from {{ ref('dim_products') }}
),

evidence as (
    select * from {{ ref('fct_evidence') }}
),

theme_matches as (
    select * from {{ ref('fct_theme_matches') }}
),

signal_kinds as (
    select * from {{ ref('signal_kinds') }}
),

tickets as (
    select * from {{ ref('int_tickets_linked') }}
),

ticket_comments as (
    select * from {{ ref('stg_support__ticket_comments') }}
),

satisfaction as (
    select * from {{ ref('stg_support__satisfaction') }}
),

returns as (
    select * from {{ ref('int_returns_linked') }}
),

offer_products as (
    select products.*
    from products
    inner join offers
        on products.offer_id = offers.offer_id
),

evidence_skus as (
    -- the item each piece of customer voice is about, where the source names one
    select
        evidence.evidence_id,
        evidence.evidence_month,
        evidence.created_at,
        coalesce(
            review_products.sku,
            tickets.sku,
            comment_tickets.sku,
            rating_tickets.sku,
            returns.sku
        ) as sku
    from evidence
    left join offer_products as review_products
        on evidence.evidence_source = 'review'
        and evidence.product_id = review_products.product_id
    left join tickets
        on evidence.evidence_source = 'ticket'
        and evidence.source_id = tickets.ticket_id
    left join ticket_comments
        on evidence.evidence_source = 'ticket_comment'
        and evidence.source_id = ticket_comments.comment_id
    left join tickets as comment_tickets
        on ticket_comments.ticket_id = comment_tickets.ticket_id
    left join satisfaction
        on evidence.evidence_source = 'satisfaction_comment'
        and evidence.source_id = satisfaction.rating_id
    left join tickets as rating_tickets
        on satisfaction.ticket_id = rating_tickets.ticket_id
    left join returns
        on evidence.evidence_source = 'return_reason'
        and evidence.source_id = returns.return_id
),

final as (
    -- requests about an experiment item: its evidence of a request kind (suggest)
    select
        periods.offer_id as experiment_offer_id,
        periods.month,
        compared_products.product_id,
        count(distinct evidence_skus.evidence_id) as requests,
        list_sort(list(distinct evidence_skus.evidence_id)) as request_evidence_ids
    from periods
    inner join evidence_skus
        on evidence_skus.evidence_month between periods.period_start and periods.period_end
    inner join compared_products
        on evidence_skus.sku = compared_products.sku
        and periods.offer_id = compared_products.experiment_offer_id
        and compared_products.is_experiment
    inner join theme_matches
        on evidence_skus.evidence_id = theme_matches.evidence_id
    inner join signal_kinds
        on theme_matches.signal_kind = signal_kinds.signal_kind_id
        and signal_kinds.is_request
    group by all
)

select * from final
