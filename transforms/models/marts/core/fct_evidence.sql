with

evidence as (
    select * from {{ ref('int_evidence_collected') }}
),

theme_matches as (
    select * from {{ ref('int_evidence_themes_matched') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

words as (
    select * from {{ ref('int_evidence_words_split') }}
),

languages as (
    select * from {{ ref('languages') }}
),

language_counts as (
    -- stop words of each language of the brief (seed languages) in each text
    select
        words.evidence_id,
        words.stop_word_language as language,
        count(*) as stop_words
    from words
    inner join languages
        on words.stop_word_language = languages.language_id
    group by all
),

detected_languages as (
    -- the language with more of its own stop words in the text than any other (none on a tie)
    select
        evidence_id,
        language
    from language_counts
    qualify
        stop_words = max(stop_words) over (partition by evidence_id)
        and count(*) over (partition by evidence_id, stop_words) = 1
),

themes_by_evidence as (
    select
        evidence_id,
        list(theme_id order by theme_id) as theme_ids
    from theme_matches
    group by all
),

final as (
    select
        evidence.evidence_id,
        evidence.evidence_source,
        evidence.source_id,
        evidence.created_at,
        cast(evidence.created_at as date) as created_date,
        evidence.evidence_month,
        evidence.customer_key,
        customers.segment_id,
        evidence.account_id,
        evidence.offer_id,
        evidence.offer_link,
        evidence.product_id,
        detected_languages.language,
        evidence.evidence_text,
        evidence.text_length,
        coalesce(themes_by_evidence.theme_ids, []) as theme_ids,
        len(coalesce(themes_by_evidence.theme_ids, [])) as theme_count
    from evidence
    left join themes_by_evidence
        on evidence.evidence_id = themes_by_evidence.evidence_id
    left join customers
        on evidence.customer_key = customers.customer_key
    left join detected_languages
        on evidence.evidence_id = detected_languages.evidence_id
)

select * from final
