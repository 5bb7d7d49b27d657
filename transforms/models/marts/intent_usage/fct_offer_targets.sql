{%- set evidence_links = var('gap_evidence_links') -%}
{%- set target_metrics = seed_rows('metrics', 'is_target') -%}

with

usage as (
    select * from {{ ref('fct_offer_usage_monthly') }}
),

offer_targets as (
    select * from {{ ref('stg_intent__offer_targets') }}
),

metrics as (
    select * from {{ ref('metrics') }}
),

evidence as (
    select * from {{ ref('fct_evidence') }}
),

reviews as (
    select * from {{ ref('stg_shop__reviews') }}
),

satisfaction as (
    select * from {{ ref('stg_support__satisfaction') }}
),

month_evidence as (
    -- the month's evidence behind each kind of target, latest first
    select
        evidence.offer_id,
        evidence.evidence_month as month,
        {{ latest_evidence_ids("evidence.evidence_source = 'return_reason'") }} as return_evidence_ids,
        {{ latest_evidence_ids("evidence.evidence_source = 'ticket'") }} as ticket_evidence_ids,
        {{ latest_evidence_ids('reviews.rating <= 2') }} as low_rating_evidence_ids,
        {{ latest_evidence_ids('not satisfaction.is_satisfied') }} as bad_satisfaction_evidence_ids
    from evidence
    left join reviews
        on evidence.evidence_source = 'review'
        and evidence.source_id = reviews.review_id
    left join satisfaction
        on evidence.evidence_source = 'satisfaction_comment'
        and evidence.source_id = satisfaction.rating_id
    where evidence.offer_id is not null
    group by all
),

actuals as (
    -- each target's metric read from the month's usage, as the seed metrics says
    select
        usage.*,
        offer_targets.metric,
        offer_targets.target_value,
        -- volumes and *_min targets are floors (min); *_max targets are ceilings (max)
        metrics.direction as target_kind,
        case offer_targets.metric
            {% for target in target_metrics %}
                when '{{ target["metric_id"] }}' then usage.{{ target["figure"] }}
            {% endfor %}
        end as actual_value,
        case offer_targets.metric
            {% for target in target_metrics %}
                when '{{ target["metric_id"] }}' then usage.{{ metric_sample(target) }}
            {% endfor %}
        end as sample_size,
        case offer_targets.metric
            {% for target in target_metrics if target["evidence"] %}
                when '{{ target["metric_id"] }}' then month_evidence.{{ target["evidence"] }}_evidence_ids
            {% endfor %}
        end as evidence_ids
    from usage
    inner join offer_targets
        on usage.offer_id = offer_targets.offer_id
    left join metrics
        on offer_targets.metric = metrics.metric_id
    left join month_evidence
        on usage.offer_id = month_evidence.offer_id
        and usage.month = month_evidence.month
),

tested as (
    -- z of the gap in the breaching direction (positive: beyond the target), by the
    -- test of the metric's family (macros/metrics.sql)
    select
        *,
        case metric
            {% for target in target_metrics %}
                when '{{ target["metric_id"] }}' then {{ target_z(target) }}
            {% endfor %}
        end as z_score
    from actuals
),

final as (
    select
        offer_id || ':' || metric || ':' || strftime(month, '%Y-%m') as offer_target_month_id,
        offer_id,
        month,
        is_active,
        metric,
        target_kind,
        target_value,
        actual_value,
        actual_value - target_value as gap_value,
        case when actual_value >= target_value then 'above' else 'below' end as direction,
        case
            when target_kind = 'max' then actual_value > target_value
            else actual_value < target_value
        end as is_beyond_target,
        sample_size,
        z_score,
        coalesce(evidence_ids, [])[1:{{ evidence_links }}] as evidence_ids
    from tested
)

select * from final
