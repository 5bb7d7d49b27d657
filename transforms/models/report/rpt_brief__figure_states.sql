with

figure_states as (
    select * from {{ ref('fct_offer_figure_states') }}
),

final as (
    select
        offer_figure_month_id,
        month as report_month,
        offer_id,
        metric,
        state,
        input,
        no_data_reason,
        floor_name,
        floor_value,
        observed_value,
        period_start,
        period_end,
        sample_size,
        cast(period_months as integer) as period_months
    from figure_states
)

select * from final
