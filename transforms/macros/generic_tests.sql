{#- Generic tests written here because dbt hub packages are not available offline. -#}

{#- Every non-null value lies within [min_value, max_value] (either bound optional). -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}
    select *
    from {{ model }}
    where {{ column_name }} is not null
        and (
            false
            {% if min_value is not none %}
                or {{ column_name }} {{ '<' if inclusive else '<=' }} {{ min_value }}
            {% endif %}
            {% if max_value is not none %}
                or {{ column_name }} {{ '>' if inclusive else '>=' }} {{ max_value }}
            {% endif %}
        )
{% endtest %}

{#- Every row satisfies a SQL boolean expression (column_name, when the test sits on a
    column, is only for naming). -#}
{% test expression_is_true(model, expression, column_name=none) %}
    select *
    from {{ model }}
    where not coalesce(({{ expression }}), false)
{% endtest %}

{#- The combination of columns is unique. -#}
{% test unique_combination(model, columns) %}
    select {{ columns | join(', ') }}, count(*) as row_count
    from {{ model }}
    group by all
    having count(*) > 1
{% endtest %}

{#- The model holds exactly `expected` rows. -#}
{% test row_count_is(model, expected) %}
    select count(*) as row_count
    from {{ model }}
    having count(*) <> {{ expected }}
{% endtest %}

{#- Every non-null value is a `field` of `to` among its rows that meet `to_condition`:
    a relationships test to part of a shared list (the target metrics of seed metrics). -#}
{% test relationships_where(model, column_name, to, field, to_condition='true') %}
    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} is not null
        and {{ column_name }} not in (select {{ field }} from {{ to }} where {{ to_condition }})
{% endtest %}
