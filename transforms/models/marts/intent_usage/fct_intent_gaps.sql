{%- set rejection_min_events = var('gap_rejection_min_events') -%}
{%- set false_discovery_rate = var('gap_false_discovery_rate') -%}
{#- the order of importance of the month's gaps: significant first, then by score -#}
{%- set importance -%}
    is_significant desc,
    gap_size * significance * business_weight desc,
    z_score desc nulls last,
    offer_id,
    metric,
    subject_id
{%- endset -%}

with

windowed as (
    select * from {{ ref('fct_offer_usage_windowed') }}
),

audience_gaps as (
    select * from {{ ref('fct_intent_gaps__audience') }}
),

channel_gaps as (
    select * from {{ ref('fct_intent_gaps__channel') }}
),

use_gaps as (
    select * from {{ ref('fct_intent_gaps__use') }}
),

bundle_gaps as (
    select * from {{ ref('fct_intent_gaps__bundles') }}
),

rejection_gaps as (
    select * from {{ ref('fct_intent_gaps__rejection') }}
),

target_gaps as (
    select * from {{ ref('fct_intent_gaps__targets') }}
),

-- Every candidate gap, one model per dimension (fct_intent_gaps__<dimension>), united by
-- name: each brings the columns it has, the others are NULL. comparison says what
-- expected_value is: a tolerance (a share allowed outside the intent), a target, the
-- offer's own baseline, a threshold, or independence (lift 1). target_kind says which
-- side of expected_value is the gap.

unioned as (
    select * from audience_gaps
    union all by name
    select * from channel_gaps
    union all by name
    select * from use_gaps
    union all by name
    select * from bundle_gaps
    union all by name
    select * from rejection_gaps
    union all by name
    select * from target_gaps
),

judged as (
    select
        unioned.*,
        windowed.window_revenue as revenue_at_stake,
        windowed.window_revenue_share,
        case
            when unioned.target_kind = 'max' then unioned.actual_value > unioned.expected_value
            else unioned.actual_value < unioned.expected_value
        end as is_beyond,
        coalesce(unioned.sample_size, 0) >= unioned.min_sample_size
        -- two rates are only compared once they rest on enough events (rare events make
        -- the normal approximation unreliable)
        and coalesce(unioned.events, {{ rejection_min_events }}) >= {{ rejection_min_events }}
        -- a target's figure must be measured (fct_offer_figure_states): not without its
        -- input, nor below a floor of its own (the months of history of a repeat rate)
        and coalesce(unioned.is_measured, true)
            as has_sample
    from unioned
    inner join windowed
        on unioned.offer_id = windowed.offer_id
        and unioned.month = windowed.month
    where windowed.is_active
        and unioned.expected_value is not null
        and unioned.actual_value is not null
),

tested as (
    select
        *,
        -- one-sided p-value of the gap (from its z), for the false discovery control
        1 - {{ normal_cdf('coalesce(z_score, 0)') }} as p_value,
        is_beyond and has_sample as is_candidate
    from judged
),

-- Benjamini-Hochberg over the month's candidates: many gaps are tested at once, so
-- a gap is significant only if its p-value is under its rank's share of the rate
discoveries as (
    {{ benjamini_hochberg(
        'tested', 'p_value', family='month', tie_breaker='offer_id, metric, subject_id',
        tested='is_candidate', fdr=false_discovery_rate, discovery_as='is_significant'
    ) }}
),

scored as (
    select
        *,
        -- size: how many times the reference the actual value is, in the gap's direction,
        -- on a log scale where four times (or a quarter) is the whole scale
        case
            when not is_beyond then 0.0
            -- against the offer's own past: the rise one can be confident of, so a rare
            -- reason doubling on a handful of returns does not outrank a frequent one
            when confident_size is not null then confident_size
            when expected_value <= 0 or actual_value <= 0 then 1.0
            else least(1.0, abs(ln(actual_value / expected_value)) / ln(4))
        end as gap_size,
        -- significance: the one-sided confidence that the gap is real, 0 below the sample floor
        case when has_sample then 1 - p_value else 0.0 end
            as significance,
        -- business weight: square root of the offer's share of company revenue in the window
        sqrt(coalesce(window_revenue_share, 0)) as business_weight
    from discoveries
),

final as (
    select
        offer_id || ':' || metric || ':' || coalesce(subject_id, '-') as gap_id,
        offer_id || ':' || metric || ':' || coalesce(subject_id, '-')
        || ':' || strftime(month, '%Y-%m') as gap_month_id,
        month,
        offer_id,
        dimension,
        gap_type,
        metric,
        subject_id,
        segment_id,
        comparison,
        target_kind,
        expected_value,
        actual_value,
        actual_value - expected_value as gap_value,
        case when actual_value >= expected_value then 'above' else 'below' end as direction,
        -- targets keep their plain reading (beyond the target, with a sample floor on
        -- rates); every other gap is a breach only when significant
        case when gap_type = 'target' then is_beyond and has_sample else is_significant end
            as is_breach,
        is_significant,
        is_beyond,
        has_sample,
        sample_size,
        min_sample_size,
        z_score,
        p_value,
        revenue_share,
        gap_size,
        significance,
        business_weight,
        revenue_at_stake,
        gap_size * significance * business_weight as gap_score,
        source_model,
        source_id,
        coalesce(evidence_ids, []) as evidence_ids,
        coalesce(account_ids, []) as account_ids,
        row_number() over (partition by month order by {{ importance }}) as gap_rank,
        row_number() over (partition by month, gap_type order by {{ importance }}) as type_rank
    from scored
)

select * from final
