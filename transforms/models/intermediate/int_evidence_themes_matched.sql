with

evidence as (
    select * from {{ ref('int_evidence_collected') }}
),

terms as (
    select * from {{ ref('int_theme_terms_compiled') }}
),

term_hits as (
    select
        evidence.evidence_id,
        terms.theme_id,
        terms.term
    from evidence
    inner join terms
        on contains(evidence.match_text, terms.term_needle)
),

final as (
    select
        evidence_id || '|' || theme_id as theme_match_id,
        evidence_id,
        theme_id,
        list(distinct term order by term) as matched_terms,
        count(distinct term) as matched_term_count
    from term_hits
    group by evidence_id, theme_id
)

select * from final
