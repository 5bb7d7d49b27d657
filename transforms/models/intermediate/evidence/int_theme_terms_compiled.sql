with

theme_terms as (
    select * from {{ ref('stg_intent__theme_terms') }}
),

normalised as (
    -- a term is normalised like the texts (see macro text_for_matching), so it
    -- holds only words of letters and digits separated by single spaces
    select
        theme_id,
        language,
        term,
        ends_with(term, '*') as is_wildcard,
        trim({{ text_for_matching("rtrim(term, '*')") }}) as term_text
    from theme_terms
    where term is not null
),

compiled as (
    -- texts are words framed by single spaces, so a whole-word match is a substring
    -- match of the term framed by spaces; a trailing * drops the closing space, letting
    -- the last word take any ending
    select
        *,
        ' ' || term_text || case when is_wildcard then '' else ' ' end as term_needle
    from normalised
    where term_text <> ''
),

final as (
    select distinct
        theme_id,
        language,
        term,
        term_text,
        is_wildcard,
        term_needle
    from compiled
)

select * from final
