{#- How a metric of the seed `metrics` is computed and tested, by its `test` family:
    volume (a count or an amount per month; orders are the independent events),
    proportion (numerator / denominator), rate_per_100 (100 x numerator / denominator, a
    Poisson count), mean_rating (the mean of 1-5 ratings, with their spread floored at
    half a star). Column names come from the seed's figure, numerator, denominator and
    trials, which name columns of fct_offer_usage_monthly. -#}

{#- The value of a watched metric over a window of summed counts (`months` months). -#}
{% macro metric_window_value(metric) -%}
    {%- set num = metric['numerator'] -%}
    {%- set den = metric['denominator'] -%}
    {%- if metric['test'] == 'volume' -%}
        {{ num }} / months
    {%- elif metric['test'] == 'rate_per_100' -%}
        100.0 * {{ num }} / nullif({{ den }}, 0)
    {%- else -%}
        {{ num }} / nullif({{ den }}, 0)
    {%- endif -%}
{%- endmacro %}

{#- The variance of that value. -#}
{% macro metric_window_variance(metric) -%}
    {%- set num = metric['numerator'] -%}
    {%- set den = metric['denominator'] -%}
    {%- if metric['test'] == 'volume' -%}
        1.0 / nullif(orders, 0)
    {%- elif metric['test'] == 'proportion' -%}
        ({{ num }} / nullif({{ den }}, 0)) * (1 - {{ num }} / nullif({{ den }}, 0)) / nullif({{ den }}, 0)
    {%- elif metric['test'] == 'rate_per_100' -%}
        10000.0 * {{ num }} / nullif({{ den }} * {{ den }}, 0)
    {%- elif metric['test'] == 'mean_rating' -%}
        greatest(
            {{ num }}_squares / nullif({{ den }}, 0) - pow({{ num }} / nullif({{ den }}, 0), 2), 0.25
        ) / nullif({{ den }}, 0)
    {%- else -%}
        {{ exceptions.raise_compiler_error("metric " ~ metric['metric_id'] ~ ": unknown test " ~ metric['test']) }}
    {%- endif -%}
{%- endmacro %}

{#- The observations behind a metric's value: orders for a volume, else the denominator. -#}
{% macro metric_sample(metric) -%}
    {{ 'orders' if metric['test'] == 'volume' else metric['denominator'] }}
{%- endmacro %}

{#- z of a month's value beyond its target (positive: beyond), from the columns of
    fct_offer_usage_monthly and actual_value, target_value and sample_size. -#}
{% macro target_z(metric) -%}
    {%- set num = metric['numerator'] -%}
    {%- set den = metric['denominator'] -%}
    {%- if metric['test'] == 'volume' -%}
        {#- relative shortfall, with orders as the independent events behind the volume -#}
        (target_value - actual_value) / nullif(target_value, 0) * sqrt(orders)
    {%- elif metric['test'] == 'rate_per_100' -%}
        {#- events against the count the ceiling allows (normal approximation of a Poisson count) -#}
        ({{ num }} - target_value / 100 * {{ den }}) / nullif(sqrt(target_value / 100 * {{ den }}), 0)
    {%- elif metric['test'] == 'mean_rating' -%}
        {#- the spread of the month's ratings, floored at half a star so that a handful of
            equal ratings does not look certain -#}
        (target_value - actual_value) / (
            greatest(sqrt(greatest({{ num }}_squares / nullif({{ den }}, 0) - pow({{ metric['figure'] }}, 2), 0)), 0.5)
            / sqrt(nullif(sample_size, 0))
        )
    {%- elif metric['test'] == 'proportion' -%}
        {%- set z = one_proportion_z('actual_value', metric['trials'] or 'sample_size', 'target_value') -%}
        {{ z if metric['direction'] == 'max' else '-(' ~ z ~ ')' }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("metric " ~ metric['metric_id'] ~ ": unknown test " ~ metric['test']) }}
    {%- endif -%}
{%- endmacro %}
