{#- Windows of months, written once. Months are DATEs on the first day of the month. -#}

{#- month_column lies in the trailing window of `months` months that ends with
    anchor_month (the anchor and the months - 1 months before it). With offset, the
    window ends offset months before the anchor: the baseline window of `months` months
    just before a trailing window of offset months is
    in_trailing_window(x, anchor, baseline_months, offset=window_months). -#}
{% macro in_trailing_window(month_column, anchor_month, months, offset=0) -%}
    (
        {{ month_column }} <= {{ anchor_month }}{% if offset %} - interval {{ offset }} month{% endif %}
        and {{ month_column }} > {{ anchor_month }} - interval {{ months + offset }} month
    )
{%- endmacro %}
