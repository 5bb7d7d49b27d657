{%- set window_months = var('gap_window_months') -%}
{%- set baseline_months = var('gap_baseline_months') -%}
{%- set evidence_links = var('gap_evidence_links') -%}

with

windowed as (
    select * from {{ ref('fct_offer_usage_windowed') }}
),

months as (
    select * from {{ ref('int_months_spanned') }}
),

returns as (
    select * from {{ ref('int_returns_linked') }}
),

evidence as (
    select * from {{ ref('fct_evidence') }}
),

window_returns as (
    select
        returns.offer_id,
        months.month,
        coalesce(returns.reason_code, 'unknown') as reason_code,
        {{ in_trailing_window('returns.return_month', 'months.month', window_months) }} as is_recent,
        returns.quantity,
        returns.returned_at,
        evidence.evidence_id
    from months
    inner join returns
        on {{ in_trailing_window('returns.return_month', 'months.month', window_months + baseline_months) }}
    left join evidence
        on 'return:' || returns.return_id = evidence.evidence_id
    where returns.offer_id is not null
),

reason_totals as (
    select
        offer_id,
        month,
        reason_code,
        count(*) filter (where is_recent) as window_returns,
        coalesce(sum(quantity) filter (where is_recent), 0) as window_returned_units,
        count(*) filter (where not is_recent) as baseline_returns,
        coalesce(sum(quantity) filter (where not is_recent), 0) as baseline_returned_units,
        coalesce(
            list(evidence_id order by returned_at desc, evidence_id) filter (
                where is_recent and evidence_id is not null
            ),
            []
        )[1:{{ evidence_links }}] as evidence_ids
    from window_returns
    group by all
),

final as (
    select
        reason_totals.offer_id || ':' || strftime(reason_totals.month, '%Y-%m')
        || ':' || reason_totals.reason_code as offer_reason_month_id,
        reason_totals.offer_id,
        reason_totals.month,
        reason_totals.reason_code,
        reason_totals.window_returns,
        reason_totals.window_returned_units,
        windowed.window_lines_sold,
        -- returns for this reason per order line sold in the window (a return is one event,
        -- whatever its quantity, so lines and not units are the independent trials)
        reason_totals.window_returns / nullif(windowed.window_lines_sold, 0)
            as reason_return_rate,
        reason_totals.window_returns
        / nullif(sum(reason_totals.window_returns) over (
            partition by reason_totals.offer_id, reason_totals.month
        ), 0) as share_of_returns,
        reason_totals.baseline_returns,
        reason_totals.baseline_returned_units,
        windowed.baseline_lines_sold,
        reason_totals.baseline_returns / nullif(windowed.baseline_lines_sold, 0)
            as baseline_reason_return_rate,
        {{ two_proportion_z(
            'reason_totals.window_returns', 'windowed.window_lines_sold',
            'reason_totals.baseline_returns', 'windowed.baseline_lines_sold'
        ) }} as z_score,
        reason_totals.evidence_ids
    from reason_totals
    inner join windowed
        on reason_totals.offer_id = windowed.offer_id
        and reason_totals.month = windowed.month
)

select * from final
