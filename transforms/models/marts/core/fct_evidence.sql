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
    -- the language with more of its own stop words in the text
    select
        evidence_id,
        case
            when count(*) filter (where stop_word_language = 'fr')
                > count(*) filter (where stop_word_language = 'en') then 'fr'
            when count(*) filter (where stop_word_language = 'en')
                > count(*) filter (where stop_word_language = 'fr') then 'en'
        end as language
    from words
    where stop_word_language in ('fr', 'en')
    group by all
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
        languages.language,
        evidence.evidence_text,
        evidence.text_length,
        coalesce(themes_by_evidence.theme_ids, []) as theme_ids,
        len(coalesce(themes_by_evidence.theme_ids, [])) as theme_count
    from evidence
    left join themes_by_evidence
        on evidence.evidence_id = themes_by_evidence.evidence_id
    left join customers
        on evidence.customer_key = customers.customer_key
    left join languages
        on evidence.evidence_id = languages.evidence_id
)

select * from final
