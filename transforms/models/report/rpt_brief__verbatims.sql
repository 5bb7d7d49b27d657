{%- set recent_months = var('signal_recent_months') -%}
{%- set max_chars = var('verbatim_max_chars') -%}

with

theme_matches as (
    select * from {{ ref('fct_theme_matches') }}
),

evidence as (
    select * from {{ ref('fct_evidence') }}
),

months as (
    select * from {{ ref('int_months_spanned') }}
),

signals as (
    select * from {{ ref('rpt_brief__signals') }}
),

candidates as (
    -- what the theme's customers said over the recent window of each month (the
    -- window the classification reads)
    select
        months.month as report_month,
        theme_matches.theme_id,
        evidence.evidence_id,
        evidence.evidence_source,
        evidence.created_at,
        evidence.created_date,
        evidence.evidence_month,
        evidence.offer_id,
        evidence.text_length,
        -- evidence without a known customer counts as its own voice
        coalesce(evidence.customer_key, evidence.evidence_id) as voice_key,
        evidence.evidence_text
    from months
    inner join theme_matches
        on {{ in_trailing_window('theme_matches.evidence_month', 'months.month', recent_months) }}
    inner join evidence
        on theme_matches.evidence_id = evidence.evidence_id
),

one_per_customer as (
    select *
    from candidates
    qualify
        row_number() over (
            partition by report_month, theme_id, voice_key
            order by created_at desc, evidence_id
        ) = 1
),

ranked as (
    -- representative: about the offer the signal rests on when it has one, a full
    -- sentence or more (40 characters) rather than a word, then the most recent
    select
        one_per_customer.*,
        row_number() over (
            partition by one_per_customer.report_month, one_per_customer.theme_id
            order by
                one_per_customer.offer_id is not distinct from signals.top_offer_id desc,
                one_per_customer.text_length >= 40 desc,
                one_per_customer.evidence_month desc,
                one_per_customer.created_at desc,
                one_per_customer.evidence_id
        ) as quote_rank
    from one_per_customer
    left join signals
        on one_per_customer.report_month = signals.report_month
        and one_per_customer.theme_id = signals.theme_id
    qualify quote_rank <= {{ var('verbatims_per_theme') }}
),

final as (
    select
        theme_id || ':' || strftime(report_month, '%Y-%m') || ':' || quote_rank as verbatim_id,
        report_month,
        theme_id,
        quote_rank,
        evidence_id,
        evidence_source,
        created_date,
        offer_id,
        -- at most {{ max_chars }} characters, cut at the last space, with an ellipsis
        {{ trimmed_quote('evidence_text', max_chars) }} as quote
    from ranked
)

select * from final
