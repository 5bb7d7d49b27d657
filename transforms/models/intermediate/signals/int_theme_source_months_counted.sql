-- The counts the signal tests rest on (int_signal_tests_computed): per theme, scope,
-- evidence source and month, the distinct customers who raised the theme (a customer
-- writing several texts of one source in a month counts once: a ticket thread is one
-- voice) and the distinct customers who wrote anything. Kept per source so that the
-- tests compare each source with itself: a review campaign that doubles the reviews
-- does not move the themes customers mostly raise in reviews.

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
    -- evidence without a known customer counts as its own voice
    select
        evidence.evidence_id,
        evidence.evidence_source,
        evidence.evidence_month as month,
        coalesce(evidence.customer_key, evidence.evidence_id) as voice_key,
        scopes.scope_key
    from evidence
    inner join scopes
        on scopes.scope = 'all'
        or evidence.offer_id = scopes.offer_id
),

sources as (
    select distinct evidence_source from evidence
),

source_totals as (
    select
        scope_key,
        evidence_source,
        month,
        count(distinct voice_key) as total_voices
    from scoped_evidence
    group by all
),

theme_voices as (
    select
        theme_matches.theme_id,
        scoped_evidence.scope_key,
        scoped_evidence.evidence_source,
        scoped_evidence.month,
        count(distinct scoped_evidence.voice_key) as voices
    from theme_matches
    inner join scoped_evidence
        on theme_matches.evidence_id = scoped_evidence.evidence_id
    group by all
),

grid as (
    -- every theme, scope, source and month, so that the tests' windows are complete
    select
        themes.theme_id,
        scopes.scope,
        scopes.scope_key,
        sources.evidence_source,
        months.month
    from themes
    cross join scopes
    cross join sources
    cross join months
),

final as (
    select
        grid.theme_id || ':' || grid.scope_key || ':' || grid.evidence_source || ':'
        || strftime(grid.month, '%Y-%m') as theme_source_month_id,
        grid.theme_id || ':' || grid.scope_key || ':' || strftime(grid.month, '%Y-%m')
            as theme_scope_month_id,
        grid.theme_id,
        grid.scope,
        grid.scope_key,
        grid.evidence_source,
        grid.month,
        coalesce(theme_voices.voices, 0) as voices,
        coalesce(source_totals.total_voices, 0) as total_voices
    from grid
    left join theme_voices
        on grid.theme_id = theme_voices.theme_id
        and grid.scope_key = theme_voices.scope_key
        and grid.evidence_source = theme_voices.evidence_source
        and grid.month = theme_voices.month
    left join source_totals
        on grid.scope_key = source_totals.scope_key
        and grid.evidence_source = source_totals.evidence_source
        and grid.month = source_totals.month
)

select * from final
