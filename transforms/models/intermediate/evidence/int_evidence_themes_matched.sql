with

evidence as (
    select * from {{ ref('int_evidence_collected') }}
),

terms as (
    select * from {{ ref('int_theme_terms_compiled') }}
),

negating_texts as (
    -- texts holding a word that can negate a term (the regular expressions below only
    -- run on these)
    select
        evidence_id,
        regexp_matches(
            match_text, ' (pas|aucun|aucune|sans|no|without|not|never) '
        ) as has_negation
    from evidence
),

term_hits as (
    -- candidate hits: the term's words in sequence somewhere in the text
    select
        evidence.evidence_id,
        evidence.match_text,
        negating_texts.has_negation,
        terms.theme_id,
        terms.term,
        terms.term_text,
        terms.is_wildcard
    from evidence
    inner join terms
        on contains(evidence.match_text, terms.term_needle)
    inner join negating_texts
        on evidence.evidence_id = negating_texts.evidence_id
),

negations_counted as (
    -- an occurrence said in the negative ("pas de problème de taille", "no repair
    -- needed") does not count; "toujours pas de colis" still does (macro negated_term_regex)
    select
        evidence_id,
        theme_id,
        term,
        case
            when has_negation
                then len(regexp_extract_all(match_text, {{ term_regex('term_text', 'is_wildcard') }}))
            else 1
        end as occurrences,
        case
            when has_negation
                then
                    len(list_filter(
                        regexp_extract_all(match_text, {{ negated_term_regex('term_text', 'is_wildcard') }}, 1),
                        lambda prefix: coalesce(prefix, '') = ''
                    ))
            else 0
        end as negated_occurrences
    from term_hits
),

final as (
    select
        evidence_id || '|' || theme_id as theme_match_id,
        evidence_id,
        theme_id,
        list(distinct term order by term) filter (where occurrences > negated_occurrences)
            as matched_terms,
        count(distinct term) filter (where occurrences > negated_occurrences)
            as matched_term_count,
        count(distinct term) filter (where occurrences <= negated_occurrences)
            as negated_term_count
    from negations_counted
    group by evidence_id, theme_id
    having count(*) filter (where occurrences > negated_occurrences) > 0
)

select * from final
