{%- set min_reviews = var('experiment_min_reviews') -%}
{%- set min_buyers = var('gap_min_buyers') -%}
{%- set prior_reviews = var('experiment_rating_prior_reviews') -%}
{%- set decision_score = var('experiment_decision_score') -%}
{%- set z_threshold = var('gap_z_threshold') -%}
{%- set evidence_links = var('gap_evidence_links') -%}

with

offers as (
    select * from {{ ref('dim_offers') }}
),

products as (
    select * from {{ ref('dim_products') }}
),

months as (
    select * from {{ ref('int_months_spanned') }}
),

order_lines as (
    select * from {{ ref('fct_order_lines') }}
),

reviews as (
    select * from {{ ref('stg_shop__reviews') }}
),

evidence as (
    select * from {{ ref('fct_evidence') }}
),

theme_matches as (
    select * from {{ ref('fct_theme_matches') }}
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

experiments as (
    -- each experiment offer, judged every month from its launch month on
    select
        offers.offer_id,
        offers.offer_name,
        {{ month_of('offers.since_date') }} as launch_month,
        {{ month_of('offers.until_date') }} as end_month,
        months.month
    from offers
    inner join months
        on months.month >= coalesce({{ month_of('offers.since_date') }}, months.month)
    where offers.offer_kind = 'experiment'
),

periods as (
    -- the period each experiment month is judged on: from its launch (or the first month
    -- with data) to the month, not past its end
    select
        offer_id,
        month,
        coalesce(launch_month, (select min(month) from months)) as period_start,
        least(month, coalesce(end_month, month)) as period_end
    from experiments
),

product_kinds as (
    select
        products.product_id,
        products.sku,
        products.product_name,
        products.offer_id,
        offers.offer_kind
    from products
    inner join offers
        on products.offer_id = offers.offer_id
),

period_lines as (
    -- experiment lines, and core-range lines of the same period as the reference
    select
        periods.offer_id as experiment_offer_id,
        periods.month,
        product_kinds.offer_kind = 'experiment' and product_kinds.offer_id = periods.offer_id
            as is_experiment,
        order_lines.product_id,
        order_lines.order_id,
        order_lines.order_month,
        order_lines.customer_key,
        order_lines.quantity
    from periods
    inner join order_lines
        on order_lines.order_month between periods.period_start and periods.period_end
    inner join product_kinds
        on order_lines.product_id = product_kinds.product_id
    where order_lines.is_counted
        and (
            product_kinds.offer_kind = 'core'
            or product_kinds.offer_id = periods.offer_id
        )
),

customer_items as (
    -- per buyer and item: how many distinct orders (2 or more: bought again)
    select
        experiment_offer_id,
        month,
        is_experiment,
        product_id,
        customer_key,
        count(distinct order_id) as item_orders
    from period_lines
    where customer_key is not null
    group by all
),

item_sales as (
    select
        period_lines.experiment_offer_id,
        period_lines.month,
        period_lines.is_experiment,
        period_lines.product_id,
        sum(period_lines.quantity) as units,
        count(distinct period_lines.order_month) as selling_months
    from period_lines
    group by all
),

item_buyers as (
    select
        experiment_offer_id,
        month,
        is_experiment,
        product_id,
        count(*) as buyers,
        count(*) filter (where item_orders >= 2) as repeat_buyers
    from customer_items
    group by all
),

period_reviews as (
    select
        periods.offer_id as experiment_offer_id,
        periods.month,
        product_kinds.offer_id = periods.offer_id as is_experiment,
        product_kinds.product_id,
        count(*) as reviews,
        sum(reviews.rating) as rating_sum,
        sum(reviews.rating * reviews.rating) as rating_sum_squares
    from periods
    inner join reviews
        on {{ month_of('reviews.created_at') }} between periods.period_start and periods.period_end
    inner join product_kinds
        on coalesce(reviews.sku, '') = coalesce(product_kinds.sku, '-')
        or (reviews.sku is null and reviews.product_id = product_kinds.product_id)
    where product_kinds.offer_kind = 'core'
        or product_kinds.offer_id = periods.offer_id
    group by all
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
    left join product_kinds as review_products
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

item_requests as (
    -- requests about an experiment item: its evidence that carries a suggestion
    select
        periods.offer_id as experiment_offer_id,
        periods.month,
        product_kinds.product_id,
        count(distinct evidence_skus.evidence_id) as requests,
        list(distinct evidence_skus.evidence_id) as request_evidence_ids
    from periods
    inner join evidence_skus
        on evidence_skus.evidence_month between periods.period_start and periods.period_end
    inner join product_kinds
        on evidence_skus.sku = product_kinds.sku
        and product_kinds.offer_id = periods.offer_id
    inner join theme_matches
        on evidence_skus.evidence_id = theme_matches.evidence_id
        and theme_matches.signal_kind = 'suggest'
    group by all
),

item_rows as (
    -- one row per experiment item and month
    select
        item_sales.experiment_offer_id as offer_id,
        item_sales.month,
        false as is_offer_scope,
        product_kinds.sku as item_id,
        item_sales.units,
        item_sales.selling_months,
        1 as items,
        coalesce(item_buyers.buyers, 0) as buyers,
        coalesce(item_buyers.repeat_buyers, 0) as repeat_buyers,
        coalesce(period_reviews.reviews, 0) as reviews,
        coalesce(period_reviews.rating_sum, 0) as rating_sum,
        coalesce(period_reviews.rating_sum_squares, 0) as rating_sum_squares,
        coalesce(item_requests.requests, 0) as requests,
        coalesce(item_requests.request_evidence_ids, []) as request_evidence_ids
    from item_sales
    inner join product_kinds
        on item_sales.product_id = product_kinds.product_id
    left join item_buyers
        on item_sales.experiment_offer_id = item_buyers.experiment_offer_id
        and item_sales.month = item_buyers.month
        and item_sales.product_id = item_buyers.product_id
    left join period_reviews
        on item_sales.experiment_offer_id = period_reviews.experiment_offer_id
        and item_sales.month = period_reviews.month
        and item_sales.product_id = period_reviews.product_id
    left join item_requests
        on item_sales.experiment_offer_id = item_requests.experiment_offer_id
        and item_sales.month = item_requests.month
        and item_sales.product_id = item_requests.product_id
    where item_sales.is_experiment
),

offer_buyers as (
    -- buyers of any item of the experiment; bought again: two or more orders of it
    select
        experiment_offer_id as offer_id,
        month,
        count(*) as buyers,
        count(*) filter (where offer_orders >= 2) as repeat_buyers
    from (
        select
            experiment_offer_id,
            month,
            customer_key,
            count(distinct order_id) as offer_orders
        from period_lines
        where is_experiment
            and customer_key is not null
        group by all
    ) as customer_offers
    group by all
),

offer_rows as (
    -- the whole experiment offer (item_id '*')
    select
        item_rows.offer_id,
        item_rows.month,
        true as is_offer_scope,
        '*' as item_id,
        sum(item_rows.units) as units,
        sum(item_rows.selling_months) as selling_months,
        count(*) as items,
        any_value(offer_buyers.buyers) as buyers,
        any_value(offer_buyers.repeat_buyers) as repeat_buyers,
        sum(item_rows.reviews) as reviews,
        sum(item_rows.rating_sum) as rating_sum,
        sum(item_rows.rating_sum_squares) as rating_sum_squares,
        sum(item_rows.requests) as requests,
        flatten(list(item_rows.request_evidence_ids)) as request_evidence_ids
    from item_rows
    inner join offer_buyers
        on item_rows.offer_id = offer_buyers.offer_id
        and item_rows.month = offer_buyers.month
    group by all
),

items as (
    select * from item_rows
    union all
    select * from offer_rows
),

core_reference as (
    -- the core range over the same period: per product and month on sale, per buyer, per review
    select
        item_sales.experiment_offer_id as offer_id,
        item_sales.month,
        sum(item_sales.units) / sum(item_sales.selling_months) as core_units_per_item_month,
        sum(item_buyers.repeat_buyers) / nullif(sum(item_buyers.buyers), 0) as core_repeat_rate,
        sum(period_reviews.rating_sum) / nullif(sum(period_reviews.reviews), 0) as core_avg_rating,
        sum(period_reviews.reviews) as core_reviews
    from item_sales
    left join item_buyers
        on item_sales.experiment_offer_id = item_buyers.experiment_offer_id
        and item_sales.month = item_buyers.month
        and item_sales.product_id = item_buyers.product_id
    left join period_reviews
        on item_sales.experiment_offer_id = period_reviews.experiment_offer_id
        and item_sales.month = period_reviews.month
        and item_sales.product_id = period_reviews.product_id
    where not item_sales.is_experiment
    group by all
),

measured as (
    select
        items.*,
        periods.period_start,
        periods.period_end,
        date_diff('month', periods.period_start, periods.period_end) + 1 as months_on_sale,
        -- sell-through pace: units per item and month with sales
        items.units / nullif(items.selling_months, 0) as units_per_item_month,
        items.repeat_buyers / nullif(items.buyers, 0) as repeat_rate,
        items.rating_sum / nullif(items.reviews, 0) as avg_rating,
        -- the item's ratings mixed with a few reviews at the core range's average, so a
        -- handful of reviews cannot make a verdict on its own
        (items.rating_sum + {{ prior_reviews }} * core_reference.core_avg_rating)
        / (items.reviews + {{ prior_reviews }}) as smoothed_rating,
        greatest(sqrt(greatest(
            items.rating_sum_squares / nullif(items.reviews, 0)
            - pow(items.rating_sum / nullif(items.reviews, 0), 2), 0
        )), 0.5) as rating_stddev,
        100.0 * items.requests / nullif(items.buyers, 0) as requests_per_100_buyers,
        core_reference.core_units_per_item_month,
        core_reference.core_repeat_rate,
        core_reference.core_avg_rating
    from items
    inner join periods
        on items.offer_id = periods.offer_id
        and items.month = periods.month
    left join core_reference
        on items.offer_id = core_reference.offer_id
        and items.month = core_reference.month
),

components as (
    -- each signal of reception against the core range, on a -1..1 scale
    select
        *,
        (avg_rating - core_avg_rating) / (rating_stddev / sqrt(nullif(reviews, 0)))
            as rating_z,
        greatest(-1, least(1, smoothed_rating - core_avg_rating)) as rating_component,
        greatest(-1, least(1,
            (repeat_rate - core_repeat_rate) / greatest(core_repeat_rate, 0.05)
        )) as repeat_component,
        greatest(-1, least(1,
            log2(units_per_item_month / nullif(core_units_per_item_month, 0))
        )) as pace_component,
        -- five requests per 100 buyers count fully; asking is only ever a good sign
        least(1, coalesce(requests_per_100_buyers, 0) / 5) as request_component
    from measured
),

scored as (
    select
        *,
        (
            coalesce(rating_component, 0) + coalesce(repeat_component, 0)
            + coalesce(pace_component, 0) + request_component
        ) / (
            (rating_component is not null)::int + (repeat_component is not null)::int
            + (pace_component is not null)::int + 1
        ) as reception_score,
        reviews < {{ min_reviews }} or buyers < {{ min_buyers }} as is_too_early
    from components
),

recommended as (
    select
        *,
        case
            when is_too_early then 'keep_testing'
            when reception_score >= {{ decision_score }}
                and coalesce(rating_z, 0) > -{{ z_threshold }} then 'promote'
            when reception_score <= -{{ decision_score }} then 'retire'
            when coalesce(rating_z, 0) <= -{{ z_threshold }} and reception_score < 0 then 'retire'
            else 'keep_testing'
        end as recommendation,
        list_filter([
            case when is_too_early then 'too_early' end,
            case when rating_component >= 0.25 then 'rating_above_core' end,
            case when rating_component <= -0.25 then 'rating_below_core' end,
            case when repeat_component >= 0.25 then 'repeat_above_core' end,
            case when repeat_component <= -0.25 then 'repeat_below_core' end,
            case when pace_component >= 0.25 then 'pace_above_core' end,
            case when pace_component <= -0.25 then 'pace_below_core' end,
            case when request_component >= 0.5 then 'keep_requests' end
        ], lambda reason: reason is not null) as reasons
    from scored
),

final as (
    select
        recommended.offer_id || ':' || recommended.item_id || ':'
        || strftime(recommended.month, '%Y-%m') as experiment_item_month_id,
        recommended.offer_id,
        recommended.item_id,
        case when recommended.is_offer_scope then 'offer' else 'item' end as scope,
        case
            when recommended.is_offer_scope then offers.offer_name
            else product_names.product_name
        end as item_name,
        recommended.month,
        recommended.period_start,
        recommended.period_end,
        recommended.months_on_sale,
        recommended.items,
        recommended.units,
        recommended.units_per_item_month,
        recommended.core_units_per_item_month,
        recommended.buyers,
        recommended.repeat_buyers,
        recommended.repeat_rate,
        recommended.core_repeat_rate,
        recommended.reviews,
        recommended.avg_rating,
        recommended.smoothed_rating,
        recommended.core_avg_rating,
        recommended.rating_z,
        recommended.requests,
        recommended.requests_per_100_buyers,
        recommended.rating_component,
        recommended.repeat_component,
        recommended.pace_component,
        recommended.request_component,
        recommended.reception_score,
        recommended.recommendation,
        recommended.reasons,
        list_sort(recommended.request_evidence_ids)[1:{{ evidence_links }}] as evidence_ids,
        row_number() over (
            partition by recommended.month, recommended.is_offer_scope
            order by
                case recommended.recommendation when 'keep_testing' then 1 else 0 end,
                abs(recommended.reception_score) desc,
                recommended.item_id
        ) as recommendation_rank
    from recommended
    inner join offers
        on recommended.offer_id = offers.offer_id
    left join (select distinct sku, product_name from product_kinds) as product_names
        on recommended.item_id = product_names.sku
)

select * from final
