{%- set recent_months = var('signal_recent_months') -%}
{%- set baseline_months = var('signal_baseline_months') -%}
{%- set gap_months = var('signal_baseline_gap_months') -%}
{%- set min_baseline_months = var('signal_min_baseline_months') -%}
{%- set min_documents = var('signal_min_documents') -%}
{%- set min_offer_evidence = var('signal_min_offer_baseline_evidence') -%}
{%- set z_threshold = var('signal_z_threshold') -%}
{%- set min_ratio = var('signal_min_share_ratio') -%}
{%- set trend_months = var('signal_trend_months') -%}
{#- month offsets of the windows, counted back from the month (0 = the month) -#}
{%- set recent_last_offset = recent_months - 1 -%}
{%- set baseline_first_offset = recent_months + gap_months -%}
{%- set baseline_last_offset = recent_months + gap_months + baseline_months - 1 -%}


with

themes as (
    select * from {{ ref('stg_intent__themes') }}
),

months as (
    select * from {{ ref('int_months_spanned') }}
),

evidence as (
    select * from {{ ref('fct_evidence') }}
),

theme_matches as (
    select * from {{ ref('fct_theme_matches') }}
),

monthly_totals as (
    select
        months.month,
        months.is_complete,
        count(evidence.evidence_id) as total_documents
    from months
    left join evidence
        on months.month = evidence.evidence_month
    group by all
),

theme_counts as (
    select
        theme_id,
        evidence_month as month,
        count(distinct evidence_id) as documents,
        count(distinct customer_key) as customers
    from theme_matches
    group by all
),

theme_months as (
    select
        themes.theme_id,
        themes.signal_kind,
        monthly_totals.month,
        monthly_totals.is_complete as is_complete_month,
        coalesce(theme_counts.documents, 0) as documents,
        coalesce(theme_counts.customers, 0) as customers,
        monthly_totals.total_documents
    from themes
    cross join monthly_totals
    left join theme_counts
        on themes.theme_id = theme_counts.theme_id
        and monthly_totals.month = theme_counts.month
),

windowed as (
    -- recent window: the month and the ones before it; baseline window: earlier months,
    -- never overlapping the recent window (see the signal_* vars)
    select
        *,
        documents / nullif(total_documents, 0) as share,
        sum(documents) over recent_window as recent_documents,
        sum(total_documents) over recent_window as recent_total_documents,
        coalesce(sum(documents) over baseline_window, 0) as baseline_documents_total,
        coalesce(sum(total_documents) over baseline_window, 0) as baseline_total_documents,
        count(*) filter (where total_documents > 0) over baseline_window as baseline_months,
        list(documents) over (
            partition by theme_id
            order by month
            rows between {{ trend_months - 1 }} preceding and current row
        ) as trend_documents
    from theme_months
    window
        recent_window as (
            partition by theme_id
            order by month
            rows between {{ recent_last_offset }} preceding and current row
        ),
        baseline_window as (
            partition by theme_id
            order by month
            rows between {{ baseline_last_offset }} preceding and {{ baseline_first_offset }} preceding
        )
),

theme_offer_counts as (
    select
        theme_id,
        offer_id,
        evidence_month as month,
        count(distinct evidence_id) as documents
    from theme_matches
    where offer_id is not null
    group by all
),

offer_totals as (
    select
        offer_id,
        evidence_month as month,
        count(*) as total_documents
    from evidence
    where offer_id is not null
    group by all
),

top_offers as (
    -- the offer the theme's evidence names most often over the recent window
    select
        months.month,
        theme_offer_counts.theme_id,
        theme_offer_counts.offer_id as top_offer_id,
        sum(theme_offer_counts.documents) as offer_recent_documents
    from months
    inner join theme_offer_counts
        on theme_offer_counts.month <= months.month
        and theme_offer_counts.month > months.month - interval {{ recent_months }} month
    group by months.month, theme_offer_counts.theme_id, theme_offer_counts.offer_id
    qualify row_number() over (
        partition by months.month, theme_offer_counts.theme_id
        order by sum(theme_offer_counts.documents) desc, theme_offer_counts.offer_id
    ) = 1
),

top_offer_windows as (
    -- the same test within the top offer's evidence: a theme can rise around one offer
    -- while staying flat in the company's whole corpus
    select
        top_offers.month,
        top_offers.theme_id,
        top_offers.top_offer_id,
        top_offers.offer_recent_documents,
        sum(offer_totals.total_documents) filter (
            where offer_totals.month > top_offers.month - interval {{ recent_months }} month
        ) as offer_recent_total_documents,
        coalesce(sum(offer_totals.total_documents) filter (
            where offer_totals.month <= top_offers.month - interval {{ baseline_first_offset }} month
        ), 0) as offer_baseline_total_documents
    from top_offers
    inner join offer_totals
        on top_offers.top_offer_id = offer_totals.offer_id
        and offer_totals.month <= top_offers.month
        and offer_totals.month > top_offers.month - interval {{ baseline_last_offset + 1 }} month
    group by all
),

top_offer_baselines as (
    select
        top_offer_windows.*,
        coalesce(sum(theme_offer_counts.documents), 0) as offer_baseline_documents
    from top_offer_windows
    left join theme_offer_counts
        on top_offer_windows.theme_id = theme_offer_counts.theme_id
        and top_offer_windows.top_offer_id = theme_offer_counts.offer_id
        and theme_offer_counts.month
        <= top_offer_windows.month - interval {{ baseline_first_offset }} month
        and theme_offer_counts.month
        > top_offer_windows.month - interval {{ baseline_last_offset + 1 }} month
    group by all
),

scored as (
    select
        windowed.*,
        windowed.baseline_documents_total / nullif(windowed.baseline_months, 0) as baseline_documents,
        windowed.recent_documents / nullif(windowed.recent_total_documents, 0) as recent_share,
        windowed.baseline_documents_total
        / nullif(windowed.baseline_total_documents, 0) as baseline_share,
        {{ two_proportion_z(
            'windowed.recent_documents', 'windowed.recent_total_documents',
            'windowed.baseline_documents_total', 'windowed.baseline_total_documents'
        ) }} as z_score,
        top_offer_baselines.top_offer_id,
        coalesce(top_offer_baselines.offer_recent_documents, 0) as offer_recent_documents,
        top_offer_baselines.offer_recent_documents
        / nullif(top_offer_baselines.offer_recent_total_documents, 0) as offer_recent_share,
        top_offer_baselines.offer_baseline_documents
        / nullif(top_offer_baselines.offer_baseline_total_documents, 0) as offer_baseline_share,
        coalesce(top_offer_baselines.offer_baseline_total_documents, 0)
            as offer_baseline_total_documents,
        {{ two_proportion_z(
            'top_offer_baselines.offer_recent_documents',
            'top_offer_baselines.offer_recent_total_documents',
            'top_offer_baselines.offer_baseline_documents',
            'top_offer_baselines.offer_baseline_total_documents'
        ) }} as offer_z_score
    from windowed
    left join top_offer_baselines
        on windowed.theme_id = top_offer_baselines.theme_id
        and windowed.month = top_offer_baselines.month
),

tests as (
    select
        *,
        recent_share / nullif(baseline_share, 0) as share_ratio,
        offer_recent_share / nullif(offer_baseline_share, 0) as offer_share_ratio,
        -- rising across all evidence
        z_score >= {{ z_threshold }}
        and recent_documents >= {{ min_documents }}
        and (baseline_share = 0 or recent_share >= {{ min_ratio }} * baseline_share)
            as is_rising_overall,
        -- rising within the top offer's evidence, when that offer has a baseline
        coalesce(
            offer_z_score >= {{ z_threshold }}
            and offer_recent_documents >= {{ min_documents }}
            and offer_baseline_total_documents >= {{ min_offer_evidence }}
            and (
                offer_baseline_share = 0
                or offer_recent_share >= {{ min_ratio }} * offer_baseline_share
            ),
            false
        ) as is_rising_in_top_offer
    from scored
),

classified as (
    select
        *,
        case
            when total_documents = 0
                or coalesce(baseline_months, 0) < {{ min_baseline_months }}
                or greatest(recent_documents, baseline_documents_total) < {{ min_documents }}
                then 'insufficient_data'
            when is_rising_overall or is_rising_in_top_offer
                then 'rising'
            when z_score <= -{{ z_threshold }}
                and recent_share * {{ min_ratio }} <= baseline_share
                then 'falling'
            else 'stable'
        end as classification
    from tests
),

final as (
    select
        theme_id || ':' || strftime(month, '%Y-%m') as theme_month_id,
        theme_id,
        signal_kind,
        month,
        is_complete_month,
        documents,
        customers,
        total_documents,
        share,
        recent_documents,
        recent_total_documents,
        recent_share,
        baseline_months,
        baseline_documents,
        baseline_documents_total,
        baseline_total_documents,
        baseline_share,
        share_ratio,
        z_score,
        top_offer_id,
        offer_recent_documents,
        offer_recent_share,
        offer_baseline_share,
        offer_share_ratio,
        offer_z_score,
        case
            when classification <> 'rising' then null
            when is_rising_overall then 'all_evidence'
            else 'top_offer'
        end as rising_scope,
        classification,
        trend_documents
    from classified
)

select * from final
