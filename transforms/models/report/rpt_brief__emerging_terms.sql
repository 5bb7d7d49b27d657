{%- set recent_months = var('signal_recent_months') -%}
{%- set max_terms = var('emerging_terms_max') -%}
{%- set max_examples = var('emerging_term_examples') -%}
{%- set max_chars = var('verbatim_max_chars') -%}

with

terms as (
    select * from {{ ref('fct_emerging_terms') }}
),

evidence as (
    select * from {{ ref('fct_evidence') }}
),

evidence_texts as (
    select * from {{ ref('int_evidence_collected') }}
),

with_trend as (
    select
        *,
        list(documents) over (
            partition by term_key, evidence_source
            order by month
            rows between {{ var('signal_trend_months') - 1 }} preceding and current row
        ) as trend_documents
    from terms
),

emerging as (
    select * from with_trend
    where is_emerging
),

covered_words as (
    -- a word is not listed on its own when a two-word phrase holding it emerges too
    select distinct
        month,
        unnest(string_split(term_key, ' ')) as word_key
    from emerging
    where word_count = 2
),

distinct_terms as (
    -- phrases of one repeated sentence rise together with the very same counts: the
    -- best-ranked one stands for them (a phrase before a word, then the most compact)
    select emerging.*
    from emerging
    left join covered_words
        on emerging.month = covered_words.month
        and emerging.word_count = 1
        and emerging.term_key = covered_words.word_key
    where covered_words.word_key is null
    qualify
        row_number() over (
            partition by
                emerging.month, emerging.evidence_source, emerging.recent_documents,
                emerging.recent_customers, emerging.baseline_documents_total,
                emerging.documents
            order by
                emerging.q_rise, emerging.word_count desc, length(emerging.term),
                emerging.term_key
        ) = 1
),

best_sources as (
    -- a term emerging in several sources is listed once, with the source where its rise
    -- is the most significant
    select *
    from distinct_terms
    qualify
        row_number() over (
            partition by month, term_key
            order by q_rise, recent_customers desc, evidence_source
        ) = 1
),

ranked as (
    select
        emerging.*,
        row_number() over (
            partition by emerging.month
            order by emerging.q_rise, emerging.recent_customers desc, emerging.term_key
        ) as term_rank
    from best_sources as emerging
    qualify term_rank <= {{ max_terms }}
),

term_patterns as (
    -- the term's words in sequence, each with an optional plural ending, with at most
    -- two words between them (as they were counted, see int_term_months_counted)
    select
        month,
        term_key,
        evidence_source,
        ' ' || string_split(term_key, ' ')[1] as first_word_needle,
        '\b' || array_to_string(
            list_transform(string_split(term_key, ' '), lambda word: word || '[sx]?'),
            '( [a-z0-9]+){0,2} '
        ) || '\b' as pattern
    from ranked
),

example_candidates as (
    select
        term_patterns.month,
        term_patterns.term_key,
        evidence.evidence_id,
        evidence.evidence_source,
        evidence.created_at,
        evidence.created_date,
        coalesce(evidence.customer_key, evidence.evidence_id) as voice_key,
        evidence.evidence_text
    from term_patterns
    inner join evidence_texts
        on {{ in_trailing_window('evidence_texts.evidence_month', 'term_patterns.month', recent_months) }}
        and term_patterns.evidence_source = evidence_texts.evidence_source
        and contains(evidence_texts.match_text, term_patterns.first_word_needle)
        and regexp_matches(evidence_texts.match_text, term_patterns.pattern)
    inner join evidence
        on evidence_texts.evidence_id = evidence.evidence_id
    qualify
        row_number() over (
            partition by term_patterns.month, term_patterns.term_key, voice_key
            order by evidence.created_at desc, evidence.evidence_id
        ) = 1
),

examples as (
    select
        month,
        term_key,
        list(
            {
                'evidence_id': evidence_id,
                'evidence_source': evidence_source,
                'created_date': strftime(created_date, '%Y-%m-%d'),
                'quote': {{ trimmed_quote('evidence_text', max_chars) }}
            }
            order by created_at desc, evidence_id
        )[:{{ max_examples }}] as examples
    from example_candidates
    group by all
),

final as (
    select
        ranked.term_key || ':' || strftime(ranked.month, '%Y-%m') as term_month_id,
        ranked.month as report_month,
        ranked.term_rank,
        ranked.term_key,
        ranked.term,
        ranked.evidence_source,
        ranked.word_count,
        ranked.documents,
        ranked.customers,
        ranked.recent_documents,
        ranked.recent_customers,
        ranked.recent_share,
        ranked.baseline_documents_total as baseline_documents,
        ranked.baseline_share,
        ranked.smoothed_ratio,
        ranked.p_rise as p_value,
        ranked.q_rise as q_value,
        ranked.trend_documents,
        coalesce(examples.examples, []) as examples,
        {{ signal_window_bounds('ranked.month') }}
    from ranked
    left join examples
        on ranked.month = examples.month
        and ranked.term_key = examples.term_key
)

select * from final
