{%- set min_reviews = var('experiment_min_reviews') -%}
{%- set min_buyers = var('gap_min_buyers') -%}
{%- set prior_reviews = var('experiment_rating_prior_reviews') -%}
{%- set decision_score = var('experiment_decision_score') -%}
{%- set z_threshold = var('gap_z_threshold') -%}
{%- set evidence_links = var('gap_evidence_links') -%}
{%- set min_units = var('gap_target_min_sample') -%}
{%- set return_prior_units = var('experiment_return_prior_units') -%}

with

offers as (
    select * from {{ ref('dim_offers') }}
),

products as (
    select * from {{ ref('dim_products') }}
),

periods as (
    select * from {{ ref('fct_experiment_reception__periods') }}
),

compared_products as (
    select * from {{ ref('fct_experiment_reception__compared_products') }}
),

lines as (
    select * from {{ ref('fct_experiment_reception__lines') }}
),

pace as (
    select * from {{ ref('fct_experiment_reception__pace') }}
),

repeats as (
    select * from {{ ref('fct_experiment_reception__repeat') }}
),

ratings as (
    select * from {{ ref('fct_experiment_reception__rating') }}
),

requests as (
    select * from {{ ref('fct_experiment_reception__requests') }}
),

returns as (
    select * from {{ ref('fct_experiment_reception__returns') }}
),

product_figures as (
    -- every compared product's pace, repeat buying and ratings over the period
    select
        pace.experiment_offer_id,
        pace.month,
        pace.is_experiment,
        pace.product_id,
        pace.units,
        pace.selling_months,
        repeats.buyers,
        repeats.repeat_buyers,
        ratings.reviews,
        ratings.rating_sum,
        ratings.rating_sum_squares,
        coalesce(returns.returned_units, 0) as returned_units
    from pace
    left join repeats
        on pace.experiment_offer_id = repeats.experiment_offer_id
        and pace.month = repeats.month
        and pace.product_id = repeats.product_id
    left join ratings
        on pace.experiment_offer_id = ratings.experiment_offer_id
        and pace.month = ratings.month
        and pace.product_id = ratings.product_id
    left join returns
        on pace.experiment_offer_id = returns.experiment_offer_id
        and pace.month = returns.month
        and pace.product_id = returns.product_id
),

item_rows as (
    -- one row per experiment item and month
    select
        product_figures.experiment_offer_id as offer_id,
        product_figures.month,
        false as is_offer_scope,
        compared_products.sku as item_id,
        product_figures.units,
        product_figures.selling_months,
        1 as items,
        coalesce(product_figures.buyers, 0) as buyers,
        coalesce(product_figures.repeat_buyers, 0) as repeat_buyers,
        coalesce(product_figures.reviews, 0) as reviews,
        coalesce(product_figures.rating_sum, 0) as rating_sum,
        coalesce(product_figures.rating_sum_squares, 0) as rating_sum_squares,
        product_figures.returned_units,
        coalesce(requests.requests, 0) as requests,
        coalesce(requests.request_evidence_ids, []) as request_evidence_ids
    from product_figures
    inner join compared_products
        on product_figures.experiment_offer_id = compared_products.experiment_offer_id
        and product_figures.product_id = compared_products.product_id
    left join requests
        on product_figures.experiment_offer_id = requests.experiment_offer_id
        and product_figures.month = requests.month
        and product_figures.product_id = requests.product_id
    where product_figures.is_experiment
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
        from lines
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
        sum(item_rows.returned_units) as returned_units,
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
        experiment_offer_id as offer_id,
        month,
        sum(units) / sum(selling_months) as core_units_per_item_month,
        sum(repeat_buyers) / nullif(sum(buyers), 0) as core_repeat_rate,
        sum(rating_sum) / nullif(sum(reviews), 0) as core_avg_rating,
        sum(reviews) as core_reviews,
        sum(returned_units) / nullif(sum(units), 0) as core_return_rate
    from product_figures
    where not is_experiment
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
        items.returned_units / nullif(items.units, 0) as return_rate,
        -- the item's returns mixed with {{ return_prior_units }} units at the core range's
        -- return rate, so a few units cannot make a verdict on their own
        (items.returned_units + {{ return_prior_units }} * core_reference.core_return_rate)
        / (items.units + {{ return_prior_units }}) as smoothed_return_rate,
        core_reference.core_units_per_item_month,
        core_reference.core_repeat_rate,
        core_reference.core_avg_rating,
        core_reference.core_return_rate
    from items
    inner join periods
        on items.offer_id = periods.offer_id
        and items.month = periods.month
    left join core_reference
        on items.offer_id = core_reference.offer_id
        and items.month = core_reference.month
),

stated as (
    -- each component's state: no_data without its input in the period or without the
    -- core range's reference, insufficient_data below its floor (experiment_min_reviews
    -- reviews, gap_min_buyers buyers, gap_target_min_sample units for returns), measured
    -- otherwise
    select
        *,
        case
            when reviews = 0 then 'no_data'
            when core_avg_rating is null then 'no_data'
            when reviews < {{ min_reviews }} then 'insufficient_data'
            else 'measured'
        end as rating_state,
        case
            when reviews = 0 then 'none_in_period'
            when core_avg_rating is null then 'no_reference'
        end as rating_no_data_reason,
        case
            when coalesce(buyers, 0) = 0 then 'no_data'
            when core_repeat_rate is null then 'no_data'
            when buyers < {{ min_buyers }} then 'insufficient_data'
            else 'measured'
        end as repeat_state,
        case
            when coalesce(buyers, 0) = 0 then 'none_in_period'
            when core_repeat_rate is null then 'no_reference'
        end as repeat_no_data_reason,
        case
            when units_per_item_month is null then 'no_data'
            when coalesce(core_units_per_item_month, 0) = 0 then 'no_data'
            else 'measured'
        end as pace_state,
        case
            when units_per_item_month is null then 'none_in_period'
            when coalesce(core_units_per_item_month, 0) = 0 then 'no_reference'
        end as pace_no_data_reason,
        case when coalesce(buyers, 0) = 0 then 'no_data' else 'measured' end as request_state,
        case when coalesce(buyers, 0) = 0 then 'none_in_period' end as request_no_data_reason,
        case
            when coalesce(units, 0) = 0 then 'no_data'
            when core_return_rate is null then 'no_data'
            when units < {{ min_units }} then 'insufficient_data'
            else 'measured'
        end as return_state,
        case
            when coalesce(units, 0) = 0 then 'none_in_period'
            when core_return_rate is null then 'no_reference'
        end as return_no_data_reason
    from measured
),

components as (
    -- each signal of reception against the core range, on a -1..1 scale; NULL when its
    -- state is no_data (DuckDB's least and greatest skip NULLs: a missing rating would
    -- otherwise become 1). Buying again and asking to keep an item are only ever good
    -- signs: a durable piece is bought once, and customers rarely write to keep what they
    -- like, so their absence counts for nothing.
    select
        *,
        (avg_rating - core_avg_rating) / (rating_stddev / sqrt(nullif(reviews, 0)))
            as rating_z,
        case
            when rating_state <> 'no_data'
                then greatest(-1, least(1, smoothed_rating - core_avg_rating))
        end as rating_component,
        case
            when repeat_state <> 'no_data' and repeat_rate > core_repeat_rate
                then least(1, (repeat_rate - core_repeat_rate) / greatest(core_repeat_rate, 0.05))
        end as repeat_component,
        case
            when pace_state <> 'no_data'
                then greatest(-1, least(1, log2(units_per_item_month / nullif(core_units_per_item_month, 0))))
        end as pace_component,
        -- five requests per 100 buyers count fully
        case
            when request_state <> 'no_data' and requests > 0
                then least(1, requests_per_100_buyers / 5)
        end as request_component,
        -- fewer returns than the core range is good, more is bad (relative to the core's
        -- rate); counted only once measured (var gap_target_min_sample units sold)
        case
            when return_state = 'measured'
                then greatest(
                        -1,
                        least(
                            1,
                            (core_return_rate - smoothed_return_rate)
                            / greatest(core_return_rate, 0.02)
                        )
                    )
        end as return_component
    from stated
),

scored as (
    select
        *,
        (
            coalesce(rating_component, 0) + coalesce(repeat_component, 0)
            + coalesce(pace_component, 0) + coalesce(request_component, 0)
            + coalesce(return_component, 0)
        ) / nullif(
            (rating_component is not null)::int + (repeat_component is not null)::int
            + (pace_component is not null)::int + (request_component is not null)::int
            + (return_component is not null)::int,
            0
        ) as reception_score,
        reviews < {{ min_reviews }} or buyers < {{ min_buyers }} as is_too_early
    from components
),

recommended as (
    select
        *,
        case
            when is_too_early or reception_score is null then 'keep_testing'
            when reception_score >= {{ decision_score }}
                and coalesce(rating_z, 0) > -{{ z_threshold }} then 'promote'
            when reception_score <= -{{ decision_score }} then 'retire'
            when coalesce(rating_z, 0) <= -{{ z_threshold }} and reception_score < 0 then 'retire'
            else 'keep_testing'
        end as recommendation,
        -- a reason is given only for a measured component
        list_filter([
            case when is_too_early then 'too_early' end,
            case when rating_state = 'measured' and rating_component >= 0.25 then 'rating_above_core' end,
            case when rating_state = 'measured' and rating_component <= -0.25 then 'rating_below_core' end,
            case when repeat_state = 'measured' and repeat_component >= 0.25 then 'repeat_above_core' end,
            case when pace_state = 'measured' and pace_component >= 0.25 then 'pace_above_core' end,
            case when pace_state = 'measured' and pace_component <= -0.25 then 'pace_below_core' end,
            case when return_state = 'measured' and return_component >= 0.25 then 'returns_below_core' end,
            case when return_state = 'measured' and return_component <= -0.25 then 'returns_above_core' end,
            case when request_state = 'measured' and request_component >= 0.5 then 'keep_requests' end
        ], lambda reason: reason is not null) as reasons
    from scored
),

product_names as (
    select distinct
        products.sku,
        products.product_name
    from products
    inner join offers
        on products.offer_id = offers.offer_id
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
        recommended.returned_units,
        recommended.return_rate,
        recommended.core_return_rate,
        recommended.rating_component,
        recommended.repeat_component,
        recommended.pace_component,
        recommended.request_component,
        recommended.return_component,
        recommended.rating_state,
        recommended.rating_no_data_reason,
        recommended.repeat_state,
        recommended.repeat_no_data_reason,
        recommended.pace_state,
        recommended.pace_no_data_reason,
        recommended.request_state,
        recommended.request_no_data_reason,
        recommended.return_state,
        recommended.return_no_data_reason,
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
    left join product_names
        on recommended.item_id = product_names.sku
)

select * from final
