with

reception as (
    select * from {{ ref('fct_experiment_reception') }}
),

final as (
    select
        experiment_item_month_id,
        month as report_month,
        offer_id,
        item_id,
        scope,
        item_name,
        period_start,
        period_end,
        months_on_sale,
        units,
        units_per_item_month,
        core_units_per_item_month,
        buyers,
        repeat_rate,
        core_repeat_rate,
        reviews,
        avg_rating,
        smoothed_rating,
        core_avg_rating,
        rating_z,
        requests,
        requests_per_100_buyers,
        return_rate,
        core_return_rate,
        rating_component,
        repeat_component,
        pace_component,
        request_component,
        return_component,
        rating_state,
        rating_no_data_reason,
        repeat_state,
        repeat_no_data_reason,
        pace_state,
        pace_no_data_reason,
        request_state,
        request_no_data_reason,
        return_state,
        return_no_data_reason,
        reception_score,
        recommendation,
        reasons,
        evidence_ids,
        recommendation_rank
    from reception
)

select * from final
