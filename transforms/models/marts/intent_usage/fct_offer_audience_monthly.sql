{%- set window_months = var('gap_window_months') -%}
{%- set baseline_months = var('gap_baseline_months') -%}
{%- set tolerance = var('gap_off_target_tolerance') -%}
{%- set smoothing = var('gap_psi_smoothing') -%}

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

buyer_windows as (
    -- every counted buyer of an offer, in the trailing window of a month (is_recent) or
    -- in the baseline window just before it
    select
        order_lines.offer_id,
        months.month,
        order_lines.segment_id,
        order_lines.customer_key,
        {{ in_trailing_window('order_lines.order_month', 'months.month', window_months) }} as is_recent,
        order_lines.line_amount
    from months
    inner join order_lines
        on {{ in_trailing_window(
            'order_lines.order_month', 'months.month', window_months + baseline_months
        ) }}
    where order_lines.is_counted
        and order_lines.offer_id is not null
        and order_lines.customer_key is not null
),

segment_counts as (
    select
        offer_id,
        month,
        segment_id,
        count(distinct customer_key) filter (where is_recent) as buyers,
        count(distinct customer_key) filter (where not is_recent) as baseline_buyers,
        coalesce(sum(line_amount) filter (where is_recent), 0) as revenue
    from buyer_windows
    group by all
),

offer_months as (
    select distinct
        offer_id,
        month
    from segment_counts
),

grid as (
    -- every declared segment for every offer and month with buyers, so that segments
    -- nobody bought from still count in the indices
    select
        offer_months.offer_id,
        offer_months.month,
        segments.segment_id,
        list_contains(offers.intended_segment_ids, segments.segment_id) as is_intended,
        len(offers.intended_segment_ids) as intended_count,
        count(*) over (partition by offer_months.offer_id, offer_months.month) as segment_count,
        coalesce(segment_counts.buyers, 0) as buyers,
        coalesce(segment_counts.baseline_buyers, 0) as baseline_buyers,
        coalesce(segment_counts.revenue, 0) as revenue
    from offer_months
    inner join offers
        on offer_months.offer_id = offers.offer_id
    cross join segments
    left join segment_counts
        on offer_months.offer_id = segment_counts.offer_id
        and offer_months.month = segment_counts.month
        and segments.segment_id = segment_counts.segment_id
),

window_totals as (
    -- distinct buyers of the offer (a customer is in one segment)
    select
        offer_id,
        month,
        count(distinct customer_key) filter (where is_recent) as window_buyers,
        count(distinct customer_key) filter (where not is_recent) as baseline_buyers
    from buyer_windows
    group by all
),

shares as (
    -- additive smoothing of the counts, so that empty segments do not make the index
    -- infinite and small samples move it less
    select
        grid.*,
        window_totals.window_buyers,
        window_totals.baseline_buyers as baseline_window_buyers,
        (grid.buyers + {{ smoothing }})
        / (window_totals.window_buyers + {{ smoothing }} * grid.segment_count) as smoothed_share,
        (grid.baseline_buyers + {{ smoothing }})
        / (window_totals.baseline_buyers + {{ smoothing }} * grid.segment_count)
            as smoothed_baseline_share,
        -- the intended mix: intended segments share 1 - tolerance evenly, the others the
        -- tolerance (every segment is intended when the offer declares none)
        case
            when grid.intended_count = 0 then 1.0 / grid.segment_count
            when grid.is_intended then (1 - {{ tolerance }}) / grid.intended_count
            when grid.segment_count = grid.intended_count then 0
            else {{ tolerance }} / (grid.segment_count - grid.intended_count)
        end as intended_share
    from grid
    inner join window_totals
        on grid.offer_id = window_totals.offer_id
        and grid.month = window_totals.month
),

indices as (
    select
        offer_id,
        month,
        any_value(intended_count) > 0 as has_intended_segments,
        any_value(segment_count) as segment_count,
        any_value(window_buyers) as window_buyers,
        any_value(baseline_window_buyers) as baseline_buyers,
        {{ ordered_sum(
            psi_term('smoothed_share', 'intended_share'), 'segment_id', 'intended_share > 0'
        ) }} as psi_vs_intended,
        {{ ordered_sum(psi_term('smoothed_share', 'smoothed_baseline_share'), 'segment_id') }}
            as psi_vs_past,
        list(
            {
                'segment_id': segment_id,
                'buyers': buyers,
                'baseline_buyers': baseline_buyers,
                'intended_share': intended_share
            }
            order by segment_id
        ) as segment_counts
    from shares
    group by all
),

final as (
    select
        indices.offer_id || ':' || strftime(indices.month, '%Y-%m') as offer_month_id,
        indices.offer_id,
        indices.month,
        indices.has_intended_segments,
        indices.segment_count,
        indices.window_buyers,
        indices.baseline_buyers,
        case when indices.has_intended_segments then indices.psi_vs_intended end
            as psi_vs_intended,
        -- n x PSI is close to a chi-square with segments - 1 degrees of freedom when the
        -- mix does not differ (n: buyers; two samples: n1 n2 / (n1 + n2))
        case when indices.has_intended_segments then {{ chi_square_z(
            'indices.window_buyers * indices.psi_vs_intended', 'indices.segment_count - 1'
        ) }} end as psi_vs_intended_z,
        case when indices.baseline_buyers > 0 then indices.psi_vs_past end as psi_vs_past,
        case when indices.baseline_buyers > 0 then {{ chi_square_z(
            'indices.psi_vs_past * indices.window_buyers * indices.baseline_buyers'
            ~ ' / (indices.window_buyers + indices.baseline_buyers)',
            'indices.segment_count - 1'
        ) }} end as psi_vs_past_z,
        indices.segment_counts
    from indices
)

select * from final
