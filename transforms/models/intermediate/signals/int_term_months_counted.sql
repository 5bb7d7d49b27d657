{%- set recent_months = var('signal_recent_months') -%}
{%- set min_customers = var('term_min_customers') -%}

{#- Every figure of a month reads only data up to that month (tests/transforms/
    test_emerging_terms.py builds the warehouse cut at a month and compares): counts and
    windows are per month, the theme coverage and the way a term is written are taken
    from documents up to the month. -#}

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
        -- a plural of a product's name is the product too ("jeans" for "Jean brut")
        distinct_words.word in (select catalog_words.word from catalog_words)
        or distinct_words.word_key in (select catalog_words.word from catalog_words)
            as is_catalog_word
    from (
        select distinct
            words.word,
            words.word_key
        from words
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
    -- one row per term per document that uses it
    select
        grams.term_key,
        grams.word_count,
        grams.evidence_id,
        min(grams.surface) as surface,
        evidence.evidence_source,
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

candidates as (
    -- a cost filter only: terms enough distinct customers use in one source at all. A
    -- term is tested in a month only when enough of them used it in that source over
    -- the recent window, which implies this, so the filter changes no month's result
    select
        term_key,
        evidence_source,
        any_value(word_count) as word_count
    from term_documents
    group by term_key, evidence_source
    having count(distinct voice_key) >= {{ min_customers }}
),

candidate_documents as (
    select term_documents.*
    from term_documents
    inner join candidates
        on term_documents.term_key = candidates.term_key
        and term_documents.evidence_source = candidates.evidence_source
),

sources as (
    select distinct evidence_source from evidence
),

source_months as (
    -- every month for every source that has evidence: a term is compared with the
    -- documents of its own source, so that a source growing faster than the others
    -- does not make its usual words look new
    select
        months.month,
        months.is_complete as is_complete_month,
        sources.evidence_source
    from months
    cross join sources
),

monthly_totals as (
    select
        source_months.month,
        source_months.is_complete_month,
        source_months.evidence_source,
        count(evidence.evidence_id) as total_documents
    from source_months
    left join evidence
        on source_months.month = evidence.evidence_month
        and source_months.evidence_source = evidence.evidence_source
    group by all
),

term_counts as (
    select
        term_key,
        evidence_source,
        month,
        count(distinct evidence_id) as documents,
        count(distinct voice_key) as customers
    from candidate_documents
    group by all
),

recent_customers as (
    select
        candidate_documents.term_key,
        candidate_documents.evidence_source,
        months.month,
        count(distinct candidate_documents.voice_key) as recent_customers
    from months
    inner join candidate_documents
        on {{ in_trailing_window('candidate_documents.month', 'months.month', recent_months) }}
    group by all
),

counted as (
    select
        candidates.term_key,
        candidates.evidence_source,
        candidates.word_count,
        monthly_totals.month,
        monthly_totals.is_complete_month,
        coalesce(term_counts.documents, 0) as documents,
        coalesce(term_counts.customers, 0) as customers,
        monthly_totals.total_documents,
        coalesce(recent_customers.recent_customers, 0) as recent_customers
    from candidates
    inner join monthly_totals
        on candidates.evidence_source = monthly_totals.evidence_source
    left join term_counts
        on candidates.term_key = term_counts.term_key
        and candidates.evidence_source = term_counts.evidence_source
        and monthly_totals.month = term_counts.month
    left join recent_customers
        on candidates.term_key = recent_customers.term_key
        and candidates.evidence_source = recent_customers.evidence_source
        and monthly_totals.month = recent_customers.month
),

windowed as (
    select
        *,
        {{ signal_window_counts() }}
    from counted
    window {{ signal_windows('term_key, evidence_source') }}
),

testable_months as (
    -- the term-months that can be tested (enough customers over the recent window, in
    -- one source at least): the only ones whose coverage and wording are needed
    select distinct
        term_key,
        month
    from windowed
    where recent_customers >= {{ min_customers }}
),

term_documents_so_far as (
    -- each testable month with every document of the term up to that month
    select
        testable_months.term_key,
        testable_months.month,
        term_documents.evidence_id,
        term_documents.surface,
        term_documents.month as document_month
    from testable_months
    inner join term_documents
        on testable_months.term_key = term_documents.term_key
        and testable_months.month >= term_documents.month
),

documents_so_far as (
    select
        term_key,
        month,
        count(distinct evidence_id) as documents
    from term_documents_so_far
    group by all
),

theme_coverage as (
    -- the theme whose matched texts hold most of the term's documents up to the month: a
    -- term mostly said in texts of one theme is that theme's vocabulary, not a new subject
    select
        so_far.term_key,
        so_far.month,
        theme_matches.theme_id as covering_theme_id,
        count(distinct so_far.evidence_id) / any_value(totals.documents) as theme_coverage
    from term_documents_so_far as so_far
    inner join theme_matches
        on so_far.evidence_id = theme_matches.evidence_id
    inner join documents_so_far as totals
        on so_far.term_key = totals.term_key
        and so_far.month = totals.month
    group by so_far.term_key, so_far.month, theme_matches.theme_id
    qualify
        row_number() over (
            partition by so_far.term_key, so_far.month
            order by theme_coverage desc, covering_theme_id
        ) = 1
),

surfaces as (
    -- the way customers most often wrote the term over the recent window (ties:
    -- alphabetical, so reruns agree)
    select
        term_key,
        month,
        surface
    from term_documents_so_far
    where {{ in_trailing_window('document_month', 'month', recent_months) }}
    group by term_key, month, surface
    qualify row_number() over (partition by term_key, month order by count(*) desc, surface) = 1
),

final as (
    select
        windowed.term_key || ':' || windowed.evidence_source || ':'
        || strftime(windowed.month, '%Y-%m') as term_source_month_id,
        windowed.term_key,
        windowed.evidence_source,
        coalesce(surfaces.surface, windowed.term_key) as term,
        windowed.word_count,
        theme_coverage.covering_theme_id,
        coalesce(theme_coverage.theme_coverage, 0) as theme_coverage,
        windowed.month,
        windowed.is_complete_month,
        windowed.documents,
        windowed.customers,
        windowed.total_documents,
        windowed.recent_documents,
        windowed.recent_customers,
        windowed.recent_total_documents,
        windowed.recent_documents / nullif(windowed.recent_total_documents, 0) as recent_share,
        windowed.baseline_months,
        windowed.baseline_documents_total,
        windowed.baseline_total_documents,
        windowed.baseline_documents_total / nullif(windowed.baseline_total_documents, 0)
            as baseline_share
    from windowed
    left join theme_coverage
        on windowed.term_key = theme_coverage.term_key
        and windowed.month = theme_coverage.month
    left join surfaces
        on windowed.term_key = surfaces.term_key
        and windowed.month = surfaces.month
)

select * from final
