{#- z of a two-proportion test: the share x / n against the share base_x / base_n, with
    the pooled proportion (normal approximation of the binomial). NULL when a count is 0
    or the pooled proportion is 0 or 1. -#}
{% macro two_proportion_z(x, n, base_x, base_n) -%}
    ({{ x }} / nullif({{ n }}, 0) - {{ base_x }} / nullif({{ base_n }}, 0))
    / nullif(sqrt(
        (({{ x }} + {{ base_x }}) / nullif({{ n }} + {{ base_n }}, 0))
        * (1 - ({{ x }} + {{ base_x }}) / nullif({{ n }} + {{ base_n }}, 0))
        * (1.0 / nullif({{ n }}, 0) + 1.0 / nullif({{ base_n }}, 0))
    ), 0)
{%- endmacro %}

{#- z of a one-sided test of a share p (over n observations) above a reference
    proportion p0 (normal approximation of the binomial). -#}
{% macro one_proportion_z(p, n, p0) -%}
    ({{ p }} - {{ p0 }}) / nullif(sqrt({{ p0 }} * (1 - {{ p0 }}) / nullif({{ n }}, 0)), 0)
{%- endmacro %}

{#- Standard normal cumulative distribution Φ(z), by the Abramowitz and Stegun 26.2.17
    polynomial (absolute error below 7.5e-8); NULL when z is NULL. -#}
{% macro normal_cdf(z) -%}
    (case
        when ({{ z }}) is null then null
        else
            case when ({{ z }}) >= 0 then 1.0 else 0.0 end
            + (case when ({{ z }}) >= 0 then -1.0 else 1.0 end)
            * exp(-({{ z }}) * ({{ z }}) / 2) / sqrt(2 * pi())
            * (
                0.319381530 * (1 / (1 + 0.2316419 * abs({{ z }})))
                - 0.356563782 * pow(1 / (1 + 0.2316419 * abs({{ z }})), 2)
                + 1.781477937 * pow(1 / (1 + 0.2316419 * abs({{ z }})), 3)
                - 1.821255978 * pow(1 / (1 + 0.2316419 * abs({{ z }})), 4)
                + 1.330274429 * pow(1 / (1 + 0.2316419 * abs({{ z }})), 5)
            )
    end)
{%- endmacro %}

{#- One term of a population stability index: (p - q) * ln(p / q), for shares p and q
    that are already smoothed (never 0). -#}
{% macro psi_term(p, q) -%}
    (({{ p }}) - ({{ q }})) * ln(({{ p }}) / ({{ q }}))
{%- endmacro %}

{#- z of a chi-square statistic x with k degrees of freedom (Wilson-Hilferty cube-root
    transformation to a standard normal); NULL when k < 1. -#}
{% macro chi_square_z(x, k) -%}
    (pow(greatest({{ x }}, 0) / nullif({{ k }}, 0), 1.0 / 3) - (1 - 2.0 / (9 * nullif({{ k }}, 0))))
    / sqrt(2.0 / (9 * nullif({{ k }}, 0)))
{%- endmacro %}

{#- Size of a rise of a rate x_w / n_w over a baseline rate x_b / n_b that one can be
    confident of: the lower one-sided bound (z) of the log of their ratio, on a scale where
    four times is 1 (0 when the bound is not above 1). Half an event is added to each
    count, so rare events and empty baselines stay finite. -#}
{% macro confident_rise_size(x_w, n_w, x_b, n_b, z) -%}
    greatest(0.0, least(1.0, (
        ln(
            (({{ x_w }}) + 0.5) / (({{ n_w }}) + 0.5)
            / ((({{ x_b }}) + 0.5) / (({{ n_b }}) + 0.5))
        )
        - {{ z }} * sqrt(1 / (({{ x_w }}) + 0.5) + 1 / (({{ x_b }}) + 0.5))
    ) / ln(4)))
{%- endmacro %}

{#- Sum of a DOUBLE expression in a fixed order, so that parallel aggregation cannot change
    its last digits from one run to the next (a re-run must give identical tables). -#}
{% macro ordered_sum(expression, order_by, where=none) -%}
    list_sum(list({{ expression }} order by {{ order_by }}){% if where %} filter (where {{ where }}){% endif %})
{%- endmacro %}

{#- Log of the ratio of a recent share (recent / recent_total) to a baseline share
    (baseline / baseline_total), with `smoothing` documents added to both counts so that
    an empty window stays finite; NULL when a total is 0. -#}
{% macro smoothed_log_ratio(recent, recent_total, baseline, baseline_total, smoothing) -%}
    ln(
        (({{ recent }} + {{ smoothing }}) / nullif({{ recent_total }}, 0))
        / (({{ baseline }} + {{ smoothing }}) / nullif({{ baseline_total }}, 0))
    )
{%- endmacro %}

{#- Benjamini-Hochberg control of the false discovery rate over the tests of a family
    (e.g. every test of a month). A select of every row of `relation` (one row per test;
    rows where `tested` is not true are not tests) with, when named:
    - q_as: the adjusted p-value (q) of the test of rank k among the family's m tests
      (ranked by p_value, ties by tie_breaker): the smallest p_j x m / j over the ranks
      j >= k, capped at 1; NULL for rows that are not tests;
    - discovery_as: the test is a discovery at the rate fdr: its rank is at most the
      largest rank j whose p_j <= j x fdr / m (the step-up procedure; in exact arithmetic,
      the tests whose q <= fdr); false for rows that are not tests. -#}
{% macro benjamini_hochberg(
    relation, p_value, family, tie_breaker, tested='true', q_as=none, fdr=none, discovery_as=none
) -%}
    select
        * exclude (bh_rank, bh_tests)
        {%- if q_as %},
        case when ({{ tested }}) then least(1.0, min({{ p_value }} * bh_tests / bh_rank) over (
            partition by {{ family }}, {{ tested }}
            order by bh_rank desc
            rows between unbounded preceding and current row
        )) end as {{ q_as }}
        {%- endif %}
        {%- if discovery_as %},
        ({{ tested }}) and bh_rank <= coalesce(max(
            case when {{ p_value }} <= bh_rank * {{ fdr }} / bh_tests then bh_rank end
        ) over (partition by {{ family }}, {{ tested }}), 0) as {{ discovery_as }}
        {%- endif %}
    from (
        select
            *,
            row_number() over (
                partition by {{ family }}, {{ tested }}
                order by {{ p_value }}, {{ tie_breaker }}
            ) as bh_rank,
            count(*) over (partition by {{ family }}, {{ tested }}) as bh_tests
        from {{ relation }}
    ) as ranked
{%- endmacro %}

{#- A share tested one-sided against the tolerance it may reach: the tolerance (DOUBLE)
    and the z of the share above it (normal approximation of the binomial over
    sample_size observations), as the columns tolerance and z_score. -#}
{% macro tolerance_test(share, sample_size, tolerance) -%}
    cast({{ tolerance }} as double) as tolerance,
    {{ one_proportion_z(share, sample_size, tolerance) }} as z_score
{%- endmacro %}
