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

audience as (
    select * from {{ ref('fct_offer_audience_monthly') }}
),

channel_mix as (
    select * from {{ ref('fct_offer_channel_mix') }}
),

use_mix as (
    select * from {{ ref('fct_offer_use_mix') }}
),

rejection as (
    select * from {{ ref('fct_offer_rejection_monthly') }}
),

windowed as (
    select * from {{ ref('fct_offer_usage_windowed') }}
),

off_channel as (
    -- trailing-window sales through channels the offer was not designed for
    select
        offer_id,
        month,
        {{ ordered_sum('sales_share', 'channel', 'not is_intended') }} as off_target_channel_share,
        (list(channel order by sales desc, channel) filter (where not is_intended))[1]
            as top_off_target_channel,
        max(sales_share) filter (where not is_intended) as top_off_target_channel_share
    from channel_mix
    where has_intended_channels
    group by all
),

top_unintended_use as (
    select
        offer_id,
        month,
        theme_id,
        theme_label_fr,
        theme_label_en,
        evidence_share
    from use_mix
    where is_use_theme
        and not is_intended_use
    qualify
        row_number() over (
            partition by offer_id, month
            order by documents desc, theme_id
        ) = 1
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
    qualify
        row_number() over (
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
        usage.evidence_items,
        windowed.window_revenue,
        windowed.window_revenue_share,
        audience.psi_vs_intended as segment_psi_vs_intended,
        audience.psi_vs_past as segment_psi_vs_past,
        coalesce(off_channel.off_target_channel_share, 0) as off_target_channel_share,
        off_channel.top_off_target_channel,
        off_channel.top_off_target_channel_share,
        top_unintended_use.theme_id as top_unintended_use_theme_id,
        top_unintended_use.theme_label_fr as top_unintended_use_label_fr,
        top_unintended_use.theme_label_en as top_unintended_use_label_en,
        top_unintended_use.evidence_share as top_unintended_use_share,
        rejection.return_rate as window_return_rate,
        rejection.cancellation_rate as window_cancellation_rate,
        rejection.window_lost_deals,
        rejection.lost_deal_rate as window_lost_deal_rate,
        -- the periods of the figures: the month, and the trailing window of the mixes
        -- and the window_* figures (var gap_window_months)
        last_day(usage.month) as month_end,
        cast(usage.month - to_months({{ var('gap_window_months') }} - 1) as date) as window_start
    from usage
    inner join offers
        on usage.offer_id = offers.offer_id
    left join off_target
        on usage.offer_id = off_target.offer_id
        and usage.month = off_target.month
    left join top_off_target
        on usage.offer_id = top_off_target.offer_id
        and usage.month = top_off_target.month
    left join windowed
        on usage.offer_id = windowed.offer_id
        and usage.month = windowed.month
    left join audience
        on usage.offer_id = audience.offer_id
        and usage.month = audience.month
    left join off_channel
        on usage.offer_id = off_channel.offer_id
        and usage.month = off_channel.month
    left join top_unintended_use
        on usage.offer_id = top_unintended_use.offer_id
        and usage.month = top_unintended_use.month
    left join rejection
        on usage.offer_id = rejection.offer_id
        and usage.month = rejection.month
)

select * from final
