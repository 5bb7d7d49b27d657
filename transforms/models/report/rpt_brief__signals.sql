with

trends as (
    select * from {{ ref('fct_signal_trends') }}
),

themes as (
    select * from {{ ref('stg_intent__themes') }}
),

final as (
    select
        trends.theme_month_id,
        trends.month as report_month,
        trends.theme_id,
        themes.label_fr as theme_label_fr,
        themes.label_en as theme_label_en,
        trends.signal_kind,
        trends.documents,
        trends.customers,
        trends.total_documents,
        trends.share,
        trends.recent_documents,
        trends.recent_share,
        trends.baseline_months,
        trends.baseline_documents,
        trends.baseline_share,
        trends.share_ratio,
        trends.z_score,
        trends.classification,
        trends.rising_scope,
        trends.top_offer_id,
        trends.offer_recent_share,
        trends.offer_baseline_share,
        trends.offer_share_ratio,
        trends.offer_z_score,
        trends.trend_documents
    from trends
    inner join themes
        on trends.theme_id = themes.theme_id
)

select * from final
