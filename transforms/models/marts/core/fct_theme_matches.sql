with

theme_matches as (
    select * from {{ ref('int_evidence_themes_matched') }}
),

evidence as (
    select * from {{ ref('fct_evidence') }}
),

themes as (
    select * from {{ ref('stg_intent__themes') }}
),

final as (
    select
        theme_matches.theme_match_id,
        theme_matches.evidence_id,
        theme_matches.theme_id,
        themes.signal_kind,
        evidence.evidence_source,
        evidence.created_at,
        evidence.evidence_month,
        evidence.customer_key,
        evidence.segment_id,
        evidence.account_id,
        evidence.offer_id,
        theme_matches.matched_terms,
        theme_matches.matched_term_count
    from theme_matches
    inner join evidence
        on theme_matches.evidence_id = evidence.evidence_id
    inner join themes
        on theme_matches.theme_id = themes.theme_id
)

select * from final
