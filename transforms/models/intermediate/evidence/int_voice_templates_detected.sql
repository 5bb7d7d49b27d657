{%- set min_threads = var('template_min_threads') -%}

with

sentences as (
    select * from {{ ref('int_voice_sentences_split') }}
),

learnt_from as (
    -- templates are learnt from what staff wrote or may have written: every note and
    -- comment not exported as the customer's (a sentence many customers write in their
    -- own words is customer voice, not a template)
    select * from sentences
    where exported_role is distinct from 'customer'
),

first_uses as (
    -- the month each thread (account, ticket) first got the sentence
    select
        evidence_source,
        fingerprint,
        thread_key,
        min(text_month) as first_month
    from learnt_from
    group by all
),

threads_by_month as (
    select
        evidence_source,
        fingerprint,
        first_month,
        count(*) as new_threads
    from first_uses
    group by all
),

cumulated as (
    select
        *,
        sum(new_threads) over (
            partition by evidence_source, fingerprint
            order by first_month
            rows between unbounded preceding and current row
        ) as threads_so_far
    from threads_by_month
),

templates as (
    -- a template from the month the sentence reached {{ min_threads }} distinct threads
    -- on: only data up to a month decides what is a template in that month
    select
        evidence_source,
        fingerprint,
        min(first_month) as first_month,
        min(first_month) filter (where threads_so_far >= {{ min_threads }}) as templated_since_month,
        max(threads_so_far) as threads
    from cumulated
    group by all
),

examples as (
    -- the sentence as most often written (ties: alphabetical, so reruns agree)
    select
        evidence_source,
        fingerprint,
        sentence as example_sentence
    from learnt_from
    group by evidence_source, fingerprint, sentence
    qualify
        row_number() over (
            partition by evidence_source, fingerprint order by count(*) desc, sentence
        ) = 1
),

final as (
    select
        templates.evidence_source || ':' || md5(templates.fingerprint) as template_id,
        templates.evidence_source,
        templates.fingerprint,
        examples.example_sentence,
        templates.first_month,
        templates.templated_since_month,
        templates.threads
    from templates
    inner join examples
        on templates.evidence_source = examples.evidence_source
        and templates.fingerprint = examples.fingerprint
    where templates.templated_since_month is not null
)

select * from final
