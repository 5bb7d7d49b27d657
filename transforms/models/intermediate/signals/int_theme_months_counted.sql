{%- set recent_months = var('signal_recent_months') -%}
{%- set trend_test_months = var('signal_trend_test_months') -%}
{%- set trend_months = var('signal_trend_months') -%}

with

themes as (
    select * from {{ ref('stg_intent__themes') }}
),

offers as (
    select * from {{ ref('stg_intent__offers') }}
),

months as (
    select * from {{ ref('int_months_spanned') }}
),

evidence as (
    select * from {{ ref('int_evidence_collected') }}
),

theme_matches as (
    select * from {{ ref('int_evidence_themes_matched') }}
),

scopes as (
    -- every test runs on all customer voice and, separately, on each offer's voice
    select
        'all' as scope,
        cast(null as varchar) as offer_id,
        'all' as scope_key
    union all
    select
        'offer' as scope,
        offer_id,
        offer_id as scope_key
    from offers
),

scoped_evidence as (
    select
        evidence.evidence_id,
        evidence.evidence_month as month,
        evidence.customer_key,
        scopes.scope_key
    from evidence
    inner join scopes
        on scopes.scope = 'all'
        or evidence.offer_id = scopes.offer_id
),

scope_totals as (
    select
        scope_key,
        month,
        count(*) as total_documents
    from scoped_evidence
    group by all
),

theme_counts as (
    -- per distinct document and per distinct customer (evidence without a known
    -- customer counts as its own voice)
    select
        theme_matches.theme_id,
        scoped_evidence.scope_key,
        scoped_evidence.month,
        count(distinct scoped_evidence.evidence_id) as documents,
        count(distinct coalesce(scoped_evidence.customer_key, scoped_evidence.evidence_id))
            as customers
    from theme_matches
    inner join scoped_evidence
        on theme_matches.evidence_id = scoped_evidence.evidence_id
    group by all
),

recent_customers as (
    -- distinct voices over the recent window (a customer writing every month counts once)
    select
        theme_matches.theme_id,
        scoped_evidence.scope_key,
        months.month,
        count(distinct coalesce(scoped_evidence.customer_key, scoped_evidence.evidence_id))
            as recent_customers
    from months
    inner join scoped_evidence
        on {{ in_trailing_window('scoped_evidence.month', 'months.month', recent_months) }}
    inner join theme_matches
        on scoped_evidence.evidence_id = theme_matches.evidence_id
    group by all
),

grid as (
    select
        themes.theme_id,
        themes.signal_kind,
        scopes.scope,
        scopes.offer_id,
        scopes.scope_key,
        months.month,
        months.is_complete as is_complete_month
    from themes
    cross join scopes
    cross join months
),

counted as (
    select
        grid.*,
        coalesce(theme_counts.documents, 0) as documents,
        coalesce(theme_counts.customers, 0) as customers,
        coalesce(scope_totals.total_documents, 0) as total_documents,
        coalesce(recent_customers.recent_customers, 0) as recent_customers
    from grid
    left join theme_counts
        on grid.theme_id = theme_counts.theme_id
        and grid.scope_key = theme_counts.scope_key
        and grid.month = theme_counts.month
    left join scope_totals
        on grid.scope_key = scope_totals.scope_key
        and grid.month = scope_totals.month
    left join recent_customers
        on grid.theme_id = recent_customers.theme_id
        and grid.scope_key = recent_customers.scope_key
        and grid.month = recent_customers.month
),

windowed as (
    -- recent window: the month and the ones before it; baseline window: earlier months,
    -- never overlapping the recent window (see the signal_* vars)
    select
        *,
        documents / nullif(total_documents, 0) as share,
        {{ signal_window_counts() }},
        list(documents) over trend_window as trend_documents,
        -- monthly shares of the trend test's months, oldest first (NULL: no evidence)
        list(documents / nullif(total_documents, 0)) over trend_test_window as trend_test_shares
    from counted
    window
        {{ signal_windows('theme_id, scope_key') }},
        trend_window as (
            partition by theme_id, scope_key
            order by month
            rows between {{ trend_months - 1 }} preceding and current row
        ),
        trend_test_window as (
            partition by theme_id, scope_key
            order by month
            rows between {{ trend_test_months - 1 }} preceding and current row
        )
),

final as (
    select
        theme_id || ':' || scope_key || ':' || strftime(month, '%Y-%m') as theme_scope_month_id,
        theme_id,
        signal_kind,
        scope,
        offer_id,
        month,
        is_complete_month,
        documents,
        customers,
        total_documents,
        share,
        recent_documents,
        recent_customers,
        recent_total_documents,
        recent_documents / nullif(recent_total_documents, 0) as recent_share,
        baseline_months,
        baseline_documents_total / nullif(baseline_months, 0) as baseline_documents,
        baseline_documents_total,
        baseline_total_documents,
        baseline_documents_total / nullif(baseline_total_documents, 0) as baseline_share,
        trend_documents,
        trend_test_shares
    from windowed
)

select * from final
