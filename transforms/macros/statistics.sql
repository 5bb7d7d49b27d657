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
