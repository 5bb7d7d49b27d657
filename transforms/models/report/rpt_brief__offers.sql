with

offers as (
    select * from {{ ref('dim_offers') }}
),

usage as (
    select * from {{ ref('fct_offer_usage_monthly') }}
),

segment_mix as (
    select * from {{ ref('fct_offer_segment_mix') }}
),

off_target as (
    -- trailing-window segment mix (see var gap_window_months)
    select
        offer_id,
        month,
        any_value(window_buyers) as mix_window_buyers,
        sum(buyers) filter (where not is_intended) as off_target_buyers,
        sum(revenue) filter (where not is_intended) / any_value(window_revenue)
            as off_target_revenue_share
    from segment_mix
    where has_intended_segments
    group by all
),

top_off_target as (
    select
        offer_id,
        month,
        segment_id,
        segment_label_fr,
        segment_label_en,
        buyer_share
    from segment_mix
    where has_intended_segments
        and not is_intended
    qualify row_number() over (
        partition by offer_id, month
        order by buyers desc, revenue desc, segment_id
    ) = 1
),

final as (
    select
        usage.offer_month_id,
        usage.month as report_month,
        usage.offer_id,
        offers.offer_name,
        offers.offer_kind,
        usage.is_active,
        usage.orders,
        usage.units,
        usage.revenue,
        usage.buyers,
        off_target.mix_window_buyers,
        -- NULL when the offer declares no intended segment or sold nothing in the window
        case
            when off_target.mix_window_buyers > 0
                then coalesce(off_target.off_target_buyers, 0)
        end as off_target_buyers,
        coalesce(off_target.off_target_buyers, 0)
        / nullif(off_target.mix_window_buyers, 0) as off_target_buyer_share,
        case
            when off_target.mix_window_buyers > 0
                then coalesce(off_target.off_target_revenue_share, 0)
        end as off_target_revenue_share,
        top_off_target.segment_id as top_off_target_segment_id,
        top_off_target.segment_label_fr as top_off_target_segment_label_fr,
        top_off_target.segment_label_en as top_off_target_segment_label_en,
        top_off_target.buyer_share as top_off_target_segment_share,
        usage.returns,
        usage.return_rate,
        usage.repeat_rate,
        usage.tickets,
        usage.tickets_per_100_orders,
        usage.csat,
        usage.avg_rating,
        usage.reviews,
        usage.evidence_items
    from usage
    inner join offers
        on usage.offer_id = offers.offer_id
    left join off_target
        on usage.offer_id = off_target.offer_id
        and usage.month = off_target.month
    left join top_off_target
        on usage.offer_id = top_off_target.offer_id
        and usage.month = top_off_target.month
)

select * from final
