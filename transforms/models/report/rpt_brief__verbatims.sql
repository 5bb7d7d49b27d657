{%- set max_chars = var('verbatim_max_chars') -%}

with

theme_matches as (
    select * from {{ ref('fct_theme_matches') }}
),

evidence as (
    select * from {{ ref('fct_evidence') }}
),

candidates as (
    select
        theme_matches.evidence_month as report_month,
        theme_matches.theme_id,
        evidence.evidence_id,
        evidence.evidence_source,
        evidence.created_at,
        evidence.created_date,
        evidence.offer_id,
        -- evidence without a known customer counts as its own voice
        coalesce(evidence.customer_key, evidence.evidence_id) as voice_key,
        trim(regexp_replace(evidence.evidence_text, '\s+', ' ', 'g')) as flat_text
    from theme_matches
    inner join evidence
        on theme_matches.evidence_id = evidence.evidence_id
),

one_per_customer as (
    select *
    from candidates
    qualify row_number() over (
        partition by report_month, theme_id, voice_key
        order by created_at desc, evidence_id
    ) = 1
),

ranked as (
    select
        *,
        row_number() over (
            partition by report_month, theme_id
            order by created_at desc, evidence_id
        ) as quote_rank
    from one_per_customer
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
        case
            when length(flat_text) <= {{ max_chars }} then flat_text
            else coalesce(
                nullif(regexp_extract(left(flat_text, {{ max_chars - 1 }}), '^(.*\S)\s', 1), ''),
                left(flat_text, {{ max_chars - 1 }})
            ) || '…'
        end as quote
    from ranked
)

select * from final
