{%- set window_months = var('gap_window_months') -%}
{%- set baseline_months = var('gap_baseline_months') -%}
{%- set evidence_links = var('gap_evidence_links') -%}
{%- set in_window = in_trailing_window('closed_deals.closed_month', 'months.month', window_months) -%}
{%- set in_baseline = in_trailing_window(
    'closed_deals.closed_month', 'months.month', baseline_months, offset=window_months
) -%}

with

windowed as (
    select * from {{ ref('fct_offer_usage_windowed') }}
),

months as (
    select * from {{ ref('int_months_spanned') }}
),

deals as (
    select * from {{ ref('stg_crm__deals') }}
),

deal_outcomes as (
    select * from {{ ref('deal_outcomes') }}
),

products as (
    select * from {{ ref('int_products_mapped') }}
),

evidence as (
    select * from {{ ref('fct_evidence') }}
),

reviews as (
    select * from {{ ref('stg_shop__reviews') }}
),

satisfaction as (
    select * from {{ ref('stg_support__satisfaction') }}
),

closed_deals as (
    -- closed CRM deals, one row per offer their skus name
    select distinct
        deal_skus.deal_id,
        deal_skus.account_id,
        {{ month_of('deal_skus.closed_at') }} as closed_month,
        deal_skus.outcome,
        products.offer_id
    from (
        select
            deal_id,
            account_id,
            coalesce(closed_at, created_at) as closed_at,
            outcome,
            unnest(sku_list) as sku
        from deals
        where
            outcome in (
                select deal_outcomes.deal_outcome_id
                from deal_outcomes
                where deal_outcomes.is_closed
            )
    ) as deal_skus
    inner join products
        on deal_skus.sku = products.sku
    where products.offer_id is not null
),

deal_windows as (
    select
        closed_deals.offer_id,
        months.month,
        count(*) filter (
            where {{ in_window }}
        ) as window_closed_deals,
        count(*) filter (
            where {{ in_window }}
            and closed_deals.outcome = 'lost'
        ) as window_lost_deals,
        count(*) filter (
            where {{ in_baseline }}
        ) as baseline_closed_deals,
        count(*) filter (
            where {{ in_baseline }}
            and closed_deals.outcome = 'lost'
        ) as baseline_lost_deals,
        list(closed_deals.account_id order by closed_deals.deal_id) filter (
            where {{ in_window }}
            and closed_deals.outcome = 'lost'
        ) as lost_account_ids,
        list('lost_deal:' || closed_deals.deal_id order by closed_deals.deal_id desc) filter (
            where {{ in_window }}
            and closed_deals.outcome = 'lost'
        ) as lost_deal_evidence_ids
    from months
    inner join closed_deals
        on {{ in_trailing_window(
            'closed_deals.closed_month', 'months.month', window_months + baseline_months
        ) }}
    group by all
),

rejection_evidence as (
    -- evidence behind each kind of rejection within the trailing window, latest first
    select
        months.month,
        evidence.offer_id,
        {{ latest_evidence_ids("evidence.evidence_source = 'return_reason'") }} as return_evidence_ids,
        {{ latest_evidence_ids('reviews.rating <= 2') }} as low_rating_evidence_ids,
        {{ latest_evidence_ids('not satisfaction.is_satisfied') }} as bad_satisfaction_evidence_ids
    from months
    inner join evidence
        on {{ in_trailing_window('evidence.evidence_month', 'months.month', window_months) }}
    left join reviews
        on evidence.evidence_source = 'review'
        and evidence.source_id = reviews.review_id
    left join satisfaction
        on evidence.evidence_source = 'satisfaction_comment'
        and evidence.source_id = satisfaction.rating_id
    where evidence.offer_id is not null
    group by all
),

rates as (
    select
        windowed.offer_month_id,
        windowed.offer_id,
        windowed.month,
        windowed.is_active,
        windowed.window_units,
        windowed.window_lines_sold,
        windowed.window_returns,
        windowed.window_returned_units,
        windowed.window_returned_units / nullif(windowed.window_units, 0) as return_rate,
        windowed.baseline_units,
        windowed.baseline_lines_sold,
        windowed.baseline_returns,
        windowed.baseline_returned_units,
        windowed.baseline_returned_units / nullif(windowed.baseline_units, 0)
            as baseline_return_rate,
        windowed.window_orders + windowed.window_cancelled_orders as window_placed_orders,
        windowed.window_cancelled_orders,
        windowed.window_cancelled_orders
        / nullif(windowed.window_orders + windowed.window_cancelled_orders, 0)
            as cancellation_rate,
        windowed.baseline_orders + windowed.baseline_cancelled_orders as baseline_placed_orders,
        windowed.baseline_cancelled_orders,
        windowed.baseline_cancelled_orders
        / nullif(windowed.baseline_orders + windowed.baseline_cancelled_orders, 0)
            as baseline_cancellation_rate,
        windowed.window_reviews,
        windowed.window_low_ratings,
        windowed.window_low_ratings / nullif(windowed.window_reviews, 0) as low_rating_share,
        windowed.baseline_reviews,
        windowed.baseline_low_ratings,
        windowed.baseline_low_ratings / nullif(windowed.baseline_reviews, 0)
            as baseline_low_rating_share,
        windowed.window_satisfaction_ratings,
        windowed.window_satisfaction_ratings - windowed.window_satisfied_ratings
            as window_bad_ratings,
        1 - windowed.window_satisfied_ratings / nullif(windowed.window_satisfaction_ratings, 0)
            as bad_satisfaction_share,
        windowed.baseline_satisfaction_ratings,
        windowed.baseline_satisfaction_ratings - windowed.baseline_satisfied_ratings
            as baseline_bad_ratings,
        1 - windowed.baseline_satisfied_ratings
        / nullif(windowed.baseline_satisfaction_ratings, 0) as baseline_bad_satisfaction_share,
        coalesce(deal_windows.window_closed_deals, 0) as window_closed_deals,
        coalesce(deal_windows.window_lost_deals, 0) as window_lost_deals,
        deal_windows.window_lost_deals / nullif(deal_windows.window_closed_deals, 0)
            as lost_deal_rate,
        coalesce(deal_windows.baseline_closed_deals, 0) as baseline_closed_deals,
        coalesce(deal_windows.baseline_lost_deals, 0) as baseline_lost_deals,
        deal_windows.baseline_lost_deals / nullif(deal_windows.baseline_closed_deals, 0)
            as baseline_lost_deal_rate,
        coalesce(list_sort(list_distinct(deal_windows.lost_account_ids)), [])[1:{{ evidence_links }}]
            as lost_account_ids,
        coalesce(deal_windows.lost_deal_evidence_ids, [])[1:{{ evidence_links }}]
            as lost_deal_evidence_ids,
        coalesce(rejection_evidence.return_evidence_ids, [])[1:{{ evidence_links }}]
            as return_evidence_ids,
        coalesce(rejection_evidence.low_rating_evidence_ids, [])[1:{{ evidence_links }}]
            as low_rating_evidence_ids,
        coalesce(rejection_evidence.bad_satisfaction_evidence_ids, [])[1:{{ evidence_links }}]
            as bad_satisfaction_evidence_ids
    from windowed
    left join deal_windows
        on windowed.offer_id = deal_windows.offer_id
        and windowed.month = deal_windows.month
    left join rejection_evidence
        on windowed.offer_id = rejection_evidence.offer_id
        and windowed.month = rejection_evidence.month
),

final as (
    select
        *,
        -- each rejection rate of the window against the offer's own baseline
        {{ two_proportion_z('window_returns', 'window_lines_sold',
            'baseline_returns', 'baseline_lines_sold') }} as return_rate_z,
        {{ two_proportion_z('window_cancelled_orders', 'window_placed_orders',
            'baseline_cancelled_orders', 'baseline_placed_orders') }} as cancellation_rate_z,
        {{ two_proportion_z('window_low_ratings', 'window_reviews',
            'baseline_low_ratings', 'baseline_reviews') }} as low_rating_share_z,
        {{ two_proportion_z('window_bad_ratings', 'window_satisfaction_ratings',
            'baseline_bad_ratings', 'baseline_satisfaction_ratings') }}
            as bad_satisfaction_share_z,
        {{ two_proportion_z('window_lost_deals', 'window_closed_deals',
            'baseline_lost_deals', 'baseline_closed_deals') }} as lost_deal_rate_z
    from rates
)

select * from final
