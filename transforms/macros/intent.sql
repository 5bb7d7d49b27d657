{#- Reading the intent file's declarations. -#}

{#- Whether an offer declares any intended value of a list (has_intended_as), and whether
    `value` is intended (is_intended): every value is intended when the offer declares
    none, so an offer without a declaration has nothing off target. -#}
{% macro intended_membership(intended_values, value, has_intended_as) -%}
    len({{ intended_values }}) > 0 as {{ has_intended_as }},
    len({{ intended_values }}) = 0
    or list_contains({{ intended_values }}, {{ value }}) as is_intended
{%- endmacro %}
