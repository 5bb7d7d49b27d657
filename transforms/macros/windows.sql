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

{#- The two windows of the signal engine (the signal_* vars) over a complete series of
    months per subject (partition_by), for a WINDOW clause: recent_window, the month and
    the signal_recent_months - 1 months before it; baseline_window, the
    signal_baseline_months months that end signal_baseline_gap_months months before the
    recent window, so that a change building up over several months is not absorbed
    into its own baseline. -#}
{% macro signal_windows(partition_by) -%}
    {%- set recent_months = var('signal_recent_months') -%}
    {%- set gap_months = var('signal_baseline_gap_months') -%}
    {%- set baseline_months = var('signal_baseline_months') -%}
    recent_window as (
        partition by {{ partition_by }}
        order by month
        rows between {{ recent_months - 1 }} preceding and current row
    ),
    baseline_window as (
        partition by {{ partition_by }}
        order by month
        rows between {{ recent_months + gap_months + baseline_months - 1 }} preceding
        and {{ recent_months + gap_months }} preceding
    )
{%- endmacro %}

{#- A subject's documents and all documents (columns documents and total_documents of
    each month) summed over the signal windows (signal_windows), and the baseline months
    with any evidence. -#}
{% macro signal_window_counts() -%}
    sum(documents) over recent_window as recent_documents,
    sum(total_documents) over recent_window as recent_total_documents,
    coalesce(sum(documents) over baseline_window, 0) as baseline_documents_total,
    coalesce(sum(total_documents) over baseline_window, 0) as baseline_total_documents,
    count(*) filter (where total_documents > 0) over baseline_window as baseline_months
{%- endmacro %}


{#- The first and last days of a month's signal windows (signal_windows), and of its
    trend test (the signal_trend_test_months months ending with the month), as columns:
    the periods the brief prints next to a signal's figures. -#}
{% macro signal_window_bounds(month_column) -%}
    {%- set recent_months = var('signal_recent_months') -%}
    {%- set gap_months = var('signal_baseline_gap_months') -%}
    {%- set baseline_months = var('signal_baseline_months') -%}
    {%- set trend_months = var('signal_trend_test_months') -%}
    cast({{ month_column }} - to_months({{ recent_months - 1 }}) as date) as recent_start,
    last_day({{ month_column }}) as recent_end,
    cast({{ month_column }} - to_months({{ recent_months + gap_months + baseline_months - 1 }}) as date)
        as baseline_start,
    last_day(cast({{ month_column }} - to_months({{ recent_months + gap_months }}) as date))
        as baseline_end,
    cast({{ month_column }} - to_months({{ trend_months - 1 }}) as date) as trend_start
{%- endmacro %}
