with

trends as (
    select * from {{ ref('fct_signal_trends') }}
),

themes as (
    select * from {{ ref('stg_intent__themes') }}
),

signal_classes as (
    select * from {{ ref('signal_classes') }}
),

ranked_classes as (
    -- each trend with its class's rank (1 = most notable), direction and significance
    select
        trends.*,
        signal_classes.class_rank,
        signal_classes.direction as class_direction,
        signal_classes.is_significant as is_significant_class
    from trends
    left join signal_classes
        on trends.classification = signal_classes.signal_class_id
),

overall as (
    select * from ranked_classes
    where scope = 'all'
),

best_offer_rise as (
    -- the offer whose voice shows the theme's most notable significant rise (strong or
    -- emerging: a weak rise within one offer is too easily chance), among the offers the
    -- theme is concentrated in: the offer's share of the theme's recent documents is at
    -- least var signal_offer_min_lift times its share of all recent evidence. A theme is
    -- read within one offer only when customers raise it about that offer more than
    -- about the others (testing every theme in every offer would otherwise multiply
    -- false alarms on themes spread evenly across offers)
    select offer_rows.*
    from ranked_classes as offer_rows
    inner join overall
        on offer_rows.theme_id = overall.theme_id
        and offer_rows.month = overall.month
    where offer_rows.scope = 'offer'
        and offer_rows.class_direction = 'rise'
        and offer_rows.is_significant_class
        and offer_rows.recent_documents / nullif(overall.recent_documents, 0)
        >= {{ var('signal_offer_min_lift') }}
        * offer_rows.recent_total_documents / nullif(overall.recent_total_documents, 0)
    qualify
        row_number() over (
            partition by offer_rows.theme_id, offer_rows.month
            order by offer_rows.class_rank, offer_rows.q_rise, offer_rows.offer_id
        ) = 1
),

most_named_offer as (
    -- the offer the theme's recent evidence names most often
    select
        theme_id,
        month,
        offer_id
    from ranked_classes
    where scope = 'offer'
        and recent_documents > 0
    qualify
        row_number() over (
            partition by theme_id, month
            order by recent_documents desc, offer_id
        ) = 1
),

decided as (
    -- a theme takes the classification of all customer voice, unless its rise within
    -- one offer's voice is significant on its own and more notable
    select
        overall.*,
        best_offer_rise.theme_scope_month_id is not null
        and best_offer_rise.class_rank < overall.class_rank as is_offer_decided,
        best_offer_rise.theme_scope_month_id as offer_decision_id,
        most_named_offer.offer_id as most_named_offer_id
    from overall
    left join best_offer_rise
        on overall.theme_id = best_offer_rise.theme_id
        and overall.month = best_offer_rise.month
    left join most_named_offer
        on overall.theme_id = most_named_offer.theme_id
        and overall.month = most_named_offer.month
),

decisive as (
    -- the row whose figures the classification rests on
    select
        decided.theme_id,
        decided.month,
        decided.is_offer_decided,
        {% for column in [
            'classification', 'class_direction', 'log_ratio', 'smoothed_ratio', 'p_rise', 'q_rise',
            'p_fall', 'q_fall', 'p_spike', 'q_spike', 'p_established', 'trend_p_rise',
            'trend_p_fall', 'trend_slope',
        ] %}
            case
                when decided.is_offer_decided then best_offer_rise.{{ column }}
                else decided.{{ column }}
            end as {{ column }},
        {% endfor %}
        case
            when decided.is_offer_decided then best_offer_rise.offer_id
            else decided.most_named_offer_id
        end as top_offer_id
    from decided
    left join ranked_classes as best_offer_rise
        on decided.offer_decision_id = best_offer_rise.theme_scope_month_id
),

top_offer_figures as (
    select
        decisive.theme_id,
        decisive.month,
        offer_trends.recent_documents as offer_recent_documents,
        offer_trends.recent_share as offer_recent_share,
        offer_trends.baseline_share as offer_baseline_share,
        offer_trends.share_ratio as offer_share_ratio,
        offer_trends.smoothed_ratio as offer_smoothed_ratio,
        offer_trends.z_score as offer_z_score,
        offer_trends.classification as offer_classification
    from decisive
    inner join trends as offer_trends
        on offer_trends.scope = 'offer'
        and decisive.theme_id = offer_trends.theme_id
        and decisive.month = offer_trends.month
        and decisive.top_offer_id = offer_trends.offer_id
),

final as (
    select
        overall.theme_id || ':' || strftime(overall.month, '%Y-%m') as theme_month_id,
        overall.month as report_month,
        overall.theme_id,
        themes.label_fr as theme_label_fr,
        themes.label_en as theme_label_en,
        overall.signal_kind,
        decisive.classification,
        case
            when decisive.class_direction <> 'rise' then null
            when decisive.is_offer_decided then 'top_offer'
            else 'all_evidence'
        end as rising_scope,
        -- all customer voice, the month
        overall.documents,
        overall.customers,
        overall.total_documents,
        overall.share,
        -- all customer voice, recent window against baseline window
        overall.recent_documents,
        overall.recent_customers,
        overall.recent_share,
        overall.baseline_months,
        overall.baseline_documents,
        overall.baseline_share,
        overall.share_ratio,
        overall.z_score,
        -- the test the classification rests on (all voice, or the top offer's voice)
        decisive.log_ratio,
        decisive.smoothed_ratio,
        -- the test the classification rests on: the fall (fading), the month against its
        -- usual level (spike), the recent window against the old level (established,
        -- no false-discovery control), else the rise (seasonal: the rise the same months
        -- already made a year earlier)
        case decisive.classification
            when 'fading' then decisive.p_fall
            when 'spike' then decisive.p_spike
            when 'established' then decisive.p_established
            else decisive.p_rise
        end as p_value,
        case decisive.classification
            when 'fading' then decisive.q_fall
            when 'spike' then decisive.q_spike
            when 'established' then null
            else decisive.q_rise
        end as q_value,
        -- the trend test in the classification's direction: a fading theme shows the
        -- falling trend's p
        case
            when decisive.class_direction = 'fall' then decisive.trend_p_fall
            else decisive.trend_p_rise
        end as trend_p_value,
        case when decisive.class_direction = 'fall' then 'fall' else 'rise' end
            as trend_test_direction,
        decisive.trend_slope,
        -- the top offer's voice
        decisive.top_offer_id,
        top_offer_figures.offer_recent_documents,
        top_offer_figures.offer_recent_share,
        top_offer_figures.offer_baseline_share,
        top_offer_figures.offer_share_ratio,
        top_offer_figures.offer_smoothed_ratio,
        top_offer_figures.offer_z_score,
        top_offer_figures.offer_classification,
        overall.trend_documents,
        {{ signal_window_bounds('overall.month') }}
    from overall
    inner join themes
        on overall.theme_id = themes.theme_id
    inner join decisive
        on overall.theme_id = decisive.theme_id
        and overall.month = decisive.month
    left join top_offer_figures
        on overall.theme_id = top_offer_figures.theme_id
        and overall.month = top_offer_figures.month
)

select * from final
