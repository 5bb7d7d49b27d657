{%- set recent_months = var('signal_recent_months') -%}
{%- set min_customers = var('term_min_customers') -%}

with

words as (
    select * from {{ ref('int_evidence_words_split') }}
),

evidence as (
    select * from {{ ref('int_evidence_collected') }}
),

months as (
    select * from {{ ref('int_months_spanned') }}
),

theme_terms as (
    select * from {{ ref('int_theme_terms_compiled') }}
),

products as (
    select * from {{ ref('stg_shop__products') }}
),

offers as (
    select * from {{ ref('stg_intent__offers') }}
),

theme_matches as (
    select * from {{ ref('int_evidence_themes_matched') }}
),

taxonomy_words as (
    -- every word of every theme term; the last word of a term ending with * is a stem
    select
        unnest(string_split(term_text, ' ')) as word,
        false as is_stem
    from theme_terms
    where not is_wildcard
    union all
    select
        unnest(string_split(term_text, ' ')[:-2]) as word,
        false as is_stem
    from theme_terms
    where is_wildcard
    union all
    select
        string_split(term_text, ' ')[-1] as word,
        true as is_stem
    from theme_terms
    where is_wildcard
),

catalog_words as (
    -- the company's own vocabulary: product and offer names
    select distinct unnest(string_split(trim({{ text_for_matching('product_name') }}), ' ')) as word
    from products
    union
    select distinct unnest(string_split(trim({{ text_for_matching('offer_name') }}), ' ')) as word
    from offers
),

vocabulary as (
    -- every distinct word that is not a stop word, checked once against the taxonomy
    -- and the catalog
    select
        distinct_words.word,
        exists(
            select 1
            from taxonomy_words
            where distinct_words.word = taxonomy_words.word
                or (taxonomy_words.is_stem and starts_with(distinct_words.word, taxonomy_words.word))
        ) as is_taxonomy_word,
        distinct_words.word in (select catalog_words.word from catalog_words) as is_catalog_word
    from (
        select distinct words.word from words
        where not words.is_stop_word
    ) as distinct_words
),

tokens as (
    select
        words.*,
        vocabulary.is_taxonomy_word,
        vocabulary.is_catalog_word
    from words
    inner join vocabulary
        on words.word = vocabulary.word
    where not words.is_stop_word
),

sequenced as (
    select
        *,
        lead(word_position) over by_text as next_position,
        lead(word_key) over by_text as next_word_key,
        lead(is_taxonomy_word) over by_text as next_is_taxonomy_word,
        lead(is_catalog_word) over by_text as next_is_catalog_word
    from tokens
    window by_text as (partition by evidence_id order by word_position)
),

all_words as (
    select * from words
),

unigrams as (
    select
        evidence_id,
        word_key as term_key,
        word as surface,
        1 as word_count
    from sequenced
    where not is_taxonomy_word
        and not is_catalog_word
),

bigrams as (
    -- two content words in a row, with at most two stop words between them
    -- ("housse de coussin" counts as housse + coussin); the surface keeps the stop words
    select
        sequenced.evidence_id,
        sequenced.word_key || ' ' || sequenced.next_word_key as term_key,
        string_agg(all_words.word, ' ' order by all_words.word_position) as surface,
        2 as word_count
    from sequenced
    inner join all_words
        on sequenced.evidence_id = all_words.evidence_id
        and all_words.word_position between sequenced.word_position and sequenced.next_position
    where sequenced.next_position - sequenced.word_position <= 3
        and not sequenced.is_taxonomy_word
        and not sequenced.next_is_taxonomy_word
        and not (sequenced.is_catalog_word and sequenced.next_is_catalog_word)
        and sequenced.word_key <> sequenced.next_word_key
    group by
        sequenced.evidence_id, sequenced.word_position, sequenced.word_key,
        sequenced.next_word_key
),

term_documents as (
    select
        grams.term_key,
        grams.word_count,
        grams.evidence_id,
        min(grams.surface) as surface,
        evidence.evidence_month as month,
        coalesce(evidence.customer_key, grams.evidence_id) as voice_key
    from (
        select * from unigrams
        union all
        select * from bigrams
    ) as grams
    inner join evidence
        on grams.evidence_id = evidence.evidence_id
    group by all
),

surfaces as (
    -- the way customers most often write each term (ties: alphabetical, so reruns agree)
    select
        term_key,
        surface
    from term_documents
    group by term_key, surface
    qualify row_number() over (partition by term_key order by count(*) desc, surface) = 1
),

candidates as (
    -- terms used by enough distinct customers over the whole period to be worth testing
    select
        term_documents.term_key,
        term_documents.word_count,
        any_value(surfaces.surface) as term,
        count(distinct term_documents.evidence_id) as term_documents_total
    from term_documents
    inner join surfaces
        on term_documents.term_key = surfaces.term_key
    group by term_documents.term_key, term_documents.word_count
    having count(distinct term_documents.voice_key) >= {{ min_customers }}
),

theme_coverage as (
    -- the theme whose matched texts hold most of the term's documents: a term mostly
    -- said in texts of one theme is that theme's vocabulary, not a new subject
    select
        candidates.term_key,
        theme_matches.theme_id as covering_theme_id,
        count(distinct term_documents.evidence_id) / any_value(candidates.term_documents_total)
            as theme_coverage
    from candidates
    inner join term_documents
        on candidates.term_key = term_documents.term_key
    inner join theme_matches
        on term_documents.evidence_id = theme_matches.evidence_id
    group by candidates.term_key, theme_matches.theme_id
    qualify
        row_number() over (
            partition by candidates.term_key order by theme_coverage desc, covering_theme_id
        ) = 1
),

monthly_totals as (
    select
        months.month,
        months.is_complete as is_complete_month,
        count(evidence.evidence_id) as total_documents
    from months
    left join evidence
        on months.month = evidence.evidence_month
    group by all
),

term_counts as (
    select
        term_documents.term_key,
        term_documents.month,
        count(distinct term_documents.evidence_id) as documents,
        count(distinct term_documents.voice_key) as customers
    from term_documents
    where term_documents.term_key in (select candidates.term_key from candidates)
    group by all
),

recent_customers as (
    select
        term_documents.term_key,
        monthly_totals.month,
        count(distinct term_documents.voice_key) as recent_customers
    from monthly_totals
    inner join term_documents
        on {{ in_trailing_window('term_documents.month', 'monthly_totals.month', recent_months) }}
    where term_documents.term_key in (select candidates.term_key from candidates)
    group by all
),

counted as (
    select
        candidates.term_key,
        candidates.term,
        candidates.word_count,
        theme_coverage.covering_theme_id,
        coalesce(theme_coverage.theme_coverage, 0) as theme_coverage,
        monthly_totals.month,
        monthly_totals.is_complete_month,
        coalesce(term_counts.documents, 0) as documents,
        coalesce(term_counts.customers, 0) as customers,
        monthly_totals.total_documents,
        coalesce(recent_customers.recent_customers, 0) as recent_customers
    from candidates
    cross join monthly_totals
    left join term_counts
        on candidates.term_key = term_counts.term_key
        and monthly_totals.month = term_counts.month
    left join recent_customers
        on candidates.term_key = recent_customers.term_key
        and monthly_totals.month = recent_customers.month
    left join theme_coverage
        on candidates.term_key = theme_coverage.term_key
),

windowed as (
    select
        *,
        {{ signal_window_counts() }}
    from counted
    window {{ signal_windows('term_key') }}
),

final as (
    select
        term_key || ':' || strftime(month, '%Y-%m') as term_month_id,
        term_key,
        term,
        word_count,
        covering_theme_id,
        theme_coverage,
        month,
        is_complete_month,
        documents,
        customers,
        total_documents,
        recent_documents,
        recent_customers,
        recent_total_documents,
        recent_documents / nullif(recent_total_documents, 0) as recent_share,
        baseline_months,
        baseline_documents_total,
        baseline_total_documents,
        baseline_documents_total / nullif(baseline_total_documents, 0) as baseline_share
    from windowed
)

select * from final
