with

effects as (
    select * from {{ ref('fct_decision_effects') }}
),

decisions as (
    select * from {{ ref('stg_intent__decisions') }}
),

offers as (
    select * from {{ ref('dim_offers') }}
),

themes as (
    select * from {{ ref('stg_intent__themes') }}
),

final as (
    select
        effects.decision_metric_month_id,
        effects.month as report_month,
        effects.decision_id,
        effects.decision_date,
        effects.offer_id,
        offers.offer_name,
        decisions.theme_id,
        themes.label_fr as theme_label_fr,
        themes.label_en as theme_label_en,
        decisions.summary_fr,
        decisions.summary_en,
        effects.metric,
        effects.before_start,
        effects.before_end,
        effects.after_start,
        effects.months_since_decision,
        effects.before_months,
        effects.after_months,
        effects.before_value,
        effects.after_value,
        effects.others_before_value,
        effects.others_after_value,
        effects.change,
        effects.others_change,
        effects.effect,
        effects.z_score,
        effects.is_higher_better,
        effects.status
    from effects
    inner join decisions
        on effects.decision_id = decisions.decision_id
    inner join offers
        on effects.offer_id = offers.offer_id
    left join themes
        on decisions.theme_id = themes.theme_id
)

select * from final
