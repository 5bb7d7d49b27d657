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

returns as (
    select * from {{ ref('int_returns_linked') }}
),

tickets as (
    select * from {{ ref('int_tickets_linked') }}
),

satisfaction as (
    select * from {{ ref('stg_support__satisfaction') }}
),

reviews as (
    select * from {{ ref('stg_shop__reviews') }}
),

products as (
    select * from {{ ref('int_products_mapped') }}
),

evidence as (
    select * from {{ ref('int_evidence_collected') }}
),

offer_months as (
    select
        offers.offer_id,
        months.month,
        months.is_complete as is_complete_month,
        -- the offer is live for at least one day of the month
        coalesce(offers.since_date <= last_day(months.month), true)
        and coalesce(offers.until_date >= months.month, true) as is_active
    from offers
    cross join months
),

sales as (
    select
        offer_id,
        order_month as month,
        count(distinct order_id) as orders,
        count(*) as lines_sold,
        sum(quantity) as units,
        sum(line_amount) as revenue,
        count(distinct customer_key) as buyers,
        count(distinct customer_key) filter (
            where first_offer_ordered_at < order_month
        ) as repeat_buyers
    from order_lines
    where is_counted
        and offer_id is not null
    group by all
),

cancelled as (
    select
        offer_id,
        order_month as month,
        count(distinct order_id) as cancelled_orders
    from order_lines
    where not is_counted
        and offer_id is not null
    group by all
),

segment_sales as (
    select
        offer_id,
        order_month as month,
        segment_id,
        count(distinct customer_key) as buyers,
        sum(line_amount) as revenue
    from order_lines
    where is_counted
        and offer_id is not null
        and customer_key is not null
    group by all
),

segment_mix as (
    select
        offer_id,
        month,
        list(
            { 'segment_id': segment_id, 'buyers': buyers, 'revenue': revenue }
            order by buyers desc, segment_id
        ) as segment_mix
    from segment_sales
    group by all
),

returned as (
    select
        offer_id,
        return_month as month,
        count(*) as returns,
        sum(quantity) as returned_units
    from returns
    where offer_id is not null
    group by all
),

ticketed as (
    select
        offer_id,
        ticket_month as month,
        count(*) as tickets
    from tickets
    where offer_id is not null
    group by all
),

rated as (
    select
        tickets.offer_id,
        {{ month_of('satisfaction.created_at') }} as month,
        count(satisfaction.is_satisfied) as satisfaction_ratings,
        count(*) filter (where satisfaction.is_satisfied) as satisfied_ratings,
        avg(cast(satisfaction.is_satisfied as double)) as csat
    from satisfaction
    inner join tickets
        on satisfaction.ticket_id = tickets.ticket_id
    where tickets.offer_id is not null
    group by all
),

reviewed as (
    select
        coalesce(products_by_sku.offer_id, products_by_id.offer_id) as offer_id,
        {{ month_of('reviews.created_at') }} as month,
        count(*) as reviews,
        avg(reviews.rating) as avg_rating,
        sum(reviews.rating) as rating_sum,
        sum(reviews.rating * reviews.rating) as rating_sum_squares,
        count(*) filter (where reviews.rating <= 2) as low_ratings
    from reviews
    left join products as products_by_sku
        on reviews.sku = products_by_sku.sku
    left join products as products_by_id
        on reviews.sku is null
        and reviews.product_id = products_by_id.product_id
    where coalesce(products_by_sku.offer_id, products_by_id.offer_id) is not null
    group by all
),

voiced as (
    select
        offer_id,
        evidence_month as month,
        count(*) as evidence_items
    from evidence
    where offer_id is not null
    group by all
),

final as (
    select
        offer_months.offer_id || ':' || strftime(offer_months.month, '%Y-%m') as offer_month_id,
        offer_months.offer_id,
        offer_months.month,
        offer_months.is_active,
        offer_months.is_complete_month,
        coalesce(sales.orders, 0) as orders,
        coalesce(sales.lines_sold, 0) as lines_sold,
        coalesce(sales.units, 0) as units,
        coalesce(sales.revenue, 0) as revenue,
        coalesce(sales.buyers, 0) as buyers,
        coalesce(sales.repeat_buyers, 0) as repeat_buyers,
        coalesce(cancelled.cancelled_orders, 0) as cancelled_orders,
        sales.repeat_buyers / nullif(sales.buyers, 0) as repeat_rate,
        coalesce(returned.returns, 0) as returns,
        coalesce(returned.returned_units, 0) as returned_units,
        coalesce(returned.returned_units, 0) / nullif(sales.units, 0) as return_rate,
        coalesce(ticketed.tickets, 0) as tickets,
        100.0 * coalesce(ticketed.tickets, 0) / nullif(sales.orders, 0) as tickets_per_100_orders,
        coalesce(rated.satisfaction_ratings, 0) as satisfaction_ratings,
        coalesce(rated.satisfied_ratings, 0) as satisfied_ratings,
        rated.csat,
        coalesce(reviewed.reviews, 0) as reviews,
        reviewed.avg_rating,
        coalesce(reviewed.rating_sum, 0) as rating_sum,
        coalesce(reviewed.rating_sum_squares, 0) as rating_sum_squares,
        coalesce(reviewed.low_ratings, 0) as low_ratings,
        coalesce(voiced.evidence_items, 0) as evidence_items,
        coalesce(segment_mix.segment_mix, []) as segment_mix
    from offer_months
    left join sales
        on offer_months.offer_id = sales.offer_id
        and offer_months.month = sales.month
    left join cancelled
        on offer_months.offer_id = cancelled.offer_id
        and offer_months.month = cancelled.month
    left join segment_mix
        on offer_months.offer_id = segment_mix.offer_id
        and offer_months.month = segment_mix.month
    left join returned
        on offer_months.offer_id = returned.offer_id
        and offer_months.month = returned.month
    left join ticketed
        on offer_months.offer_id = ticketed.offer_id
        and offer_months.month = ticketed.month
    left join rated
        on offer_months.offer_id = rated.offer_id
        and offer_months.month = rated.month
    left join reviewed
        on offer_months.offer_id = reviewed.offer_id
        and offer_months.month = reviewed.month
    left join voiced
        on offer_months.offer_id = voiced.offer_id
        and offer_months.month = voiced.month
)

select * from final
