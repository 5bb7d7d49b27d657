{#- The state of every figure of an offer's card: measured, insufficient_data (below a
    floor, named) or no_data (an input absent, named). Which figures, their input, floor,
    history floor and window come from the seed metrics (columns input, floor_var,
    history_floor_var, window_var); the floors' values from the dbt vars they name. -#}
{%- set stated_metrics = seed_rows('metrics', 'input is not null or floor_var is not null') -%}
{%- set monthly_metrics = [] -%}
{%- set column_inputs = [] -%}
{%- for metric in stated_metrics -%}
    {%- if metric['figure'] -%}{%- do monthly_metrics.append(metric) -%}{%- endif -%}
    {%- if metric['input'] and '.' in metric['input'] and metric['input'] not in column_inputs -%}
        {%- do column_inputs.append(metric['input']) -%}
    {%- endif -%}
{%- endfor -%}
{#- the entities a figure may need: those the seed names, and the segments' -#}
{%- set entity_inputs = ['crm/accounts', 'shop/customers'] -%}
{%- for metric in stated_metrics if metric['input'] -%}
    {%- set entity_key = metric['input'].split('.')[0] -%}
    {%- if entity_key not in entity_inputs -%}{%- do entity_inputs.append(entity_key) -%}{%- endif -%}
{%- endfor -%}

-- The staging models of the inputs the seed metrics names are read through a loop dbt
-- cannot see while it parses: they are declared here (dbt names a missing one).
-- depends_on: {{ ref('stg_shop__orders') }}
-- depends_on: {{ ref('stg_shop__returns') }}
-- depends_on: {{ ref('stg_shop__reviews') }}
-- depends_on: {{ ref('stg_support__tickets') }}
-- depends_on: {{ ref('stg_support__satisfaction') }}
-- depends_on: {{ ref('stg_crm__deals') }}
with

metrics as (
    select * from {{ ref('metrics') }}
),

offers as (
    select * from {{ ref('dim_offers') }}
),

usage as (
    select * from {{ ref('fct_offer_usage_monthly') }}
),

segment_mix as (
    select * from {{ ref('fct_offer_segment_mix') }}
),

channel_mix as (
    select * from {{ ref('fct_offer_channel_mix') }}
),

use_mix as (
    select * from {{ ref('fct_offer_use_mix') }}
),

rejection as (
    select * from {{ ref('fct_offer_rejection_monthly') }}
),

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

segment_rules as (
    select * from {{ ref('stg_intent__segment_rules') }}
),

contract_entities as (
    select * from {{ ref('stg_health__contract_entities') }}
),

files as (
    select * from {{ ref('stg_shop__ingest_files') }}
    union all by name
    select * from {{ ref('stg_crm__ingest_files') }}
    union all by name
    select * from {{ ref('stg_support__ingest_files') }}
),

entity_rows as (
    -- the rows the warehouse holds of each entity a figure may need (loaded by this run
    -- or an earlier one)
    {% for entity_key in entity_inputs -%}
        {%- set system, entity = entity_key.split('/') -%}
        select
            '{{ entity_key }}' as input,
            count(*) as rows_held
        from {{ ref('stg_' ~ system ~ '__' ~ entity) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

file_totals as (
    select
        system,
        entity,
        count(*) as file_count
    from files
    group by all
),

entity_inputs as (
    -- every entity of the export contract: absent (no row held: no file, or none of its
    -- rows loaded) or not
    select
        contract_entities.entity_key as input,
        case
            when entity_rows.rows_held > 0 then null
            when file_totals.file_count is null then 'no_file'
            else 'no_rows'
        end as missing_reason
    from contract_entities
    left join entity_rows
        on contract_entities.entity_key = entity_rows.input
    left join file_totals
        on contract_entities.system = file_totals.system
        and contract_entities.entity = file_totals.entity
),

column_inputs as (
    -- the columns a figure needs (`<system>/<entity>.<column>`): empty or not
    {% for input in column_inputs -%}
        {%- set entity_key, column = input.split('.') -%}
        {%- set system, entity = entity_key.split('/') -%}
        select
            '{{ input }}' as input,
            case when count({{ column }}) = 0 then 'no_values' end as missing_reason
        from {{ ref('stg_' ~ system ~ '__' ~ entity) }}
        {% if not loop.last %}union all{% endif %}
    {% else -%}
        select
            null as input,
            null as missing_reason
        where false
    {%- endfor %}
),

linked_inputs as (
    -- what each monthly figure counts, linked to any offer over the whole data: none
    -- means its input could not be linked (no sku, product or order maps to an offer)
    {% for metric in monthly_metrics -%}
        select
            '{{ metric["metric_id"] }}' as metric,
            case when coalesce(sum({{ metric['numerator'] }}), 0) = 0 then 'not_linked' end
                as missing_reason
        from usage
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

segment_input as (
    -- a segment rule on an account attribute (they come from crm/accounts) needs
    -- crm/accounts; a rule on customer tags needs shop/customers
    select
        case
            when bool_or(match_key in ('account_type', 'industry', 'size_band', 'country'))
                then 'crm/accounts'
            else 'shop/customers'
        end as input
    from segment_rules
),

order_history as (
    -- the first month the shop orders cover in full (a month that starts with orders)
    select
        case
            when {{ local_date_of('min(ordered_at)') }} = {{ month_of('min(ordered_at)') }}
                then {{ month_of('min(ordered_at)') }}
            else cast({{ month_of('min(ordered_at)') }} + interval 1 month as date)
        end as first_full_month
    from orders
),

monthly_figures as (
    -- the figures of fct_offer_usage_monthly, over the month
    {% for metric in monthly_metrics -%}
        select
            offer_id,
            month,
            '{{ metric["metric_id"] }}' as metric,
            cast({{ metric_sample(metric) }} as double) as sample_size
        from usage
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

window_segments as (
    select
        offer_id,
        month,
        any_value(window_buyers) as window_buyers
    from segment_mix
    group by all
),

window_channels as (
    select
        offer_id,
        month,
        any_value(window_sales) as window_sales
    from channel_mix
    group by all
),

window_uses as (
    select
        offer_id,
        month,
        any_value(offer_evidence_items) as offer_evidence_items
    from use_mix
    group by all
),

window_figures as (
    -- the mixes, over their trailing window: only for offers with an intent to compare
    select
        usage.offer_id,
        usage.month,
        'off_target_share' as metric,
        cast(coalesce(window_segments.window_buyers, 0) as double) as sample_size
    from usage
    inner join offers
        on usage.offer_id = offers.offer_id
    left join window_segments
        on usage.offer_id = window_segments.offer_id
        and usage.month = window_segments.month
    where len(offers.intended_segment_ids) > 0
    union all
    select
        usage.offer_id,
        usage.month,
        'off_target_channel_share' as metric,
        cast(coalesce(window_channels.window_sales, 0) as double) as sample_size
    from usage
    inner join offers
        on usage.offer_id = offers.offer_id
    left join window_channels
        on usage.offer_id = window_channels.offer_id
        and usage.month = window_channels.month
    where len(offers.intended_channels) > 0
    union all
    select
        usage.offer_id,
        usage.month,
        'unintended_use_share' as metric,
        cast(coalesce(window_uses.offer_evidence_items, 0) as double) as sample_size
    from usage
    left join window_uses
        on usage.offer_id = window_uses.offer_id
        and usage.month = window_uses.month
    union all
    select
        offer_id,
        month,
        'cancellation_rate' as metric,
        cast(window_placed_orders as double) as sample_size
    from rejection
    union all
    select
        offer_id,
        month,
        'lost_deal_rate' as metric,
        cast(window_closed_deals as double) as sample_size
    from rejection
),

figures as (
    select * from monthly_figures
    union all
    select * from window_figures
),

described as (
    -- each figure with its input, floors and window from the seed and the vars
    select
        figures.*,
        case
            when figures.metric = 'off_target_share' then segment_input.input
            else metrics.input
        end as input,
        metrics.floor_var as floor_name,
        case metrics.floor_var
            {% for floor in stated_metrics | map(attribute='floor_var') | select | unique -%}
                when '{{ floor }}' then {{ var(floor) }}
            {% endfor -%}
        end as floor_value,
        metrics.history_floor_var as history_floor_name,
        case metrics.history_floor_var
            {% for floor in stated_metrics | map(attribute='history_floor_var') | select | unique -%}
                when '{{ floor }}' then {{ var(floor) }}
            {% endfor -%}
            else null
        end as history_floor_value,
        case metrics.window_var
            {% for window in stated_metrics | map(attribute='window_var') | select | unique -%}
                when '{{ window }}' then {{ var(window) }}
            {% endfor -%}
            else 1
        end as period_months,
        date_diff('month', order_history.first_full_month, figures.month) as history_months
    from figures
    inner join metrics
        on figures.metric = metrics.metric_id
    cross join segment_input
    cross join order_history
),

missing as (
    -- why an input is absent: its entity, then its column, then its links to offers
    select
        described.*,
        coalesce(
            entity_inputs.missing_reason,
            column_inputs.missing_reason,
            linked_inputs.missing_reason
        ) as no_data_reason
    from described
    left join entity_inputs
        on split_part(described.input, '.', 1) = entity_inputs.input
    left join column_inputs
        on described.input = column_inputs.input
    left join linked_inputs
        on described.metric = linked_inputs.metric
),

final as (
    select
        offer_id || ':' || metric || ':' || strftime(month, '%Y-%m') as offer_figure_month_id,
        offer_id,
        month,
        metric,
        case
            when no_data_reason is not null then 'no_data'
            when history_floor_value is not null
                and coalesce(history_months, 0) < history_floor_value
                then 'insufficient_data'
            when floor_value is not null and sample_size < floor_value then 'insufficient_data'
            else 'measured'
        end as state,
        input,
        no_data_reason,
        -- the floor the state was judged on: the history's when it is short
        case
            when history_floor_value is not null
                and coalesce(history_months, 0) < history_floor_value
                then history_floor_name
            else floor_name
        end as floor_name,
        cast(case
            when history_floor_value is not null
                and coalesce(history_months, 0) < history_floor_value
                then history_floor_value
            else floor_value
        end as double) as floor_value,
        cast(case
            when history_floor_value is not null
                and coalesce(history_months, 0) < history_floor_value
                then greatest(coalesce(history_months, 0), 0)
            else sample_size
        end as double) as observed_value,
        sample_size,
        period_months,
        cast(month - to_months(period_months - 1) as date) as period_start,
        last_day(month) as period_end
    from missing
)

select * from final
