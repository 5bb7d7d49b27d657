with

evidence as (
    select * from {{ ref('int_evidence_collected') }}
),

stop_words as (
    select * from {{ ref('stop_words') }}
),

stop_word_languages as (
    select
        word,
        list(distinct language order by language) as languages
    from stop_words
    group by all
),

words as (
    -- match_text is already lower-case, accent-free words framed by single spaces
    select
        evidence_id,
        unnest(string_split(trim(match_text), ' ')) as word,
        generate_subscripts(string_split(trim(match_text), ' '), 1) as word_position
    from evidence
    where trim(match_text) <> ''
),

final as (
    select
        words.evidence_id || ':' || words.word_position as evidence_word_id,
        words.evidence_id,
        words.word_position,
        words.word,
        -- light normalisation for counting: a plural s / x dropped from longer words
        case
            when length(words.word) > 4 and regexp_matches(words.word, '[^s]s$')
                then left(words.word, -1)
            when length(words.word) > 4 and regexp_matches(words.word, '(eau|eu)x$')
                then left(words.word, -1)
            else words.word
        end as word_key,
        stop_word_languages.word is not null
        or length(words.word) < 3
        or regexp_matches(words.word, '^[0-9]+$') as is_stop_word,
        -- the language a stop word belongs to, when it belongs to only one
        case when len(stop_word_languages.languages) = 1 then stop_word_languages.languages[1] end
            as stop_word_language
    from words
    left join stop_word_languages
        on words.word = stop_word_languages.word
)

select * from final
