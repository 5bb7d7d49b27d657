{%- set window_months = var('gap_window_months') -%}
{%- set tolerance = var('gap_use_tolerance') -%}
{%- set evidence_links = var('gap_evidence_links') -%}

with

offers as (
    select * from {{ ref('dim_offers') }}
),

months as (
    select * from {{ ref('int_months_spanned') }}
),

evidence as (
    select * from {{ ref('fct_evidence') }}
),

theme_matches as (
    select * from {{ ref('fct_theme_matches') }}
),

themes as (
    select * from {{ ref('stg_intent__themes') }}
),

signal_kinds as (
    select * from {{ ref('signal_kinds') }}
),

window_evidence as (
    -- every evidence item about an offer within each month's trailing window
    select
        evidence.offer_id,
        months.month,
        evidence.evidence_id
    from months
    inner join evidence
        on {{ in_trailing_window('evidence.evidence_month', 'months.month', window_months) }}
    where evidence.offer_id is not null
),

window_totals as (
    select
        offer_id,
        month,
        count(*) as offer_evidence_items
    from window_evidence
    group by all
),

window_matches as (
    select
        window_evidence.offer_id,
        window_evidence.month,
        theme_matches.theme_id,
        theme_matches.evidence_id,
        theme_matches.created_at,
        theme_matches.account_id
    from window_evidence
    inner join theme_matches
        on window_evidence.evidence_id = theme_matches.evidence_id
),

theme_totals as (
    select
        window_matches.offer_id,
        window_matches.month,
        window_matches.theme_id,
        count(distinct window_matches.evidence_id) as documents,
        ({{ latest_evidence_ids(evidence='window_matches') }})[1:{{ evidence_links }}] as evidence_ids,
        list(distinct window_matches.account_id) filter (where window_matches.account_id is not null)
            as account_ids
    from window_matches
    group by all
),

final as (
    select
        theme_totals.offer_id || ':' || strftime(theme_totals.month, '%Y-%m')
        || ':' || theme_totals.theme_id as offer_theme_month_id,
        theme_totals.offer_id,
        theme_totals.month,
        theme_totals.theme_id,
        themes.signal_kind,
        themes.label_fr as theme_label_fr,
        themes.label_en as theme_label_en,
        list_contains(offers.intended_theme_ids, theme_totals.theme_id) as is_intended_use,
        -- a use is what customers do with the offer: themes of a use kind (adapt, transform)
        signal_kinds.is_use as is_use_theme,
        theme_totals.documents,
        window_totals.offer_evidence_items,
        theme_totals.documents / window_totals.offer_evidence_items as evidence_share,
        {{ tolerance_test(
            'theme_totals.documents / window_totals.offer_evidence_items',
            'window_totals.offer_evidence_items',
            tolerance
        ) }},
        theme_totals.evidence_ids,
        coalesce(list_sort(theme_totals.account_ids), [])[1:{{ evidence_links }}] as account_ids
    from theme_totals
    inner join window_totals
        on theme_totals.offer_id = window_totals.offer_id
        and theme_totals.month = window_totals.month
    inner join offers
        on theme_totals.offer_id = offers.offer_id
    inner join themes
        on theme_totals.theme_id = themes.theme_id
    left join signal_kinds
        on themes.signal_kind = signal_kinds.signal_kind_id
)

select * from final
