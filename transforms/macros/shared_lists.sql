{#- The shared lists (transforms/seeds/, one CSV each) read while a model is compiled,
    for the models that build SQL from a list: one column or one `when` per row.

    ref() is called before the execute check so that dbt records the dependency when it
    parses the model: the seed is loaded before the model compiles (dbt build, dbt run
    after dbt seed). Rows come in the file's order (DuckDB keeps insertion order). -#}
{% macro seed_rows(seed_name, where=none) -%}
    {%- set relation = ref(seed_name) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set query -%}
        select * from {{ relation }}{% if where %} where {{ where }}{% endif %}
    {%- endset -%}
    {{ return(run_query(query).rows) }}
{%- endmacro %}


{#- Comment each target_<metric_id> column of a model with the description of its metric
    (seed metrics): the columns are built from the seed, so they are documented from it.
    A post-hook of dim_offers. -#}
{% macro comment_target_columns(relation) -%}
    {%- for target in seed_rows('metrics', 'is_target') -%}
        comment on column {{ relation }}.target_{{ target['metric_id'] }} is
            '{{ ("Target, a " ~ ("ceiling" if target["direction"] == "max" else "floor") ~ ": "
                ~ target["description"]) | replace("\'", "\'\'") }}';
    {% endfor -%}
{%- endmacro %}
