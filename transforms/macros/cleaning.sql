{#- Small cleaning expressions shared by the staging models. -#}

{#- Trimmed text, NULL when blank. -#}
{% macro clean_text(column) -%}
    nullif(trim(cast({{ column }} as varchar)), '')
{%- endmacro %}

{#- Trimmed lower-case text, NULL when blank: enums and codes. -#}
{% macro clean_enum(column) -%}
    nullif(lower(trim(cast({{ column }} as varchar))), '')
{%- endmacro %}

{#- An email as identity key: trimmed, lower-case, NULL when blank or without @. -#}
{% macro normalise_email(column) -%}
    case
        when trim(cast({{ column }} as varchar)) like '%_@_%'
            then lower(trim(cast({{ column }} as varchar)))
    end
{%- endmacro %}

{#- A raw TIMESTAMP WITH TIME ZONE as a naive UTC TIMESTAMP. -#}
{% macro to_utc(column) -%}
    cast(timezone('UTC', cast({{ column }} as timestamptz)) as timestamp)
{%- endmacro %}

{#- The company's time zone (intent file: company.timezone), in which months are
    counted. flows/transform/dbt.py::run_dbt passes it as TERRAIN_TIMEZONE. -#}
{% macro company_timezone() -%}
    {{ env_var('TERRAIN_TIMEZONE', 'UTC') }}
{%- endmacro %}

{#- The first day of the month of a date or of a (naive UTC) timestamp, as a DATE.
    A timestamp is first read in the company's time zone, so an order placed on
    1 April at 00:30 in Paris counts in April; a date is taken as it is. -#}
{% macro month_of(column) -%}
    cast(date_trunc('month', case
        when typeof({{ column }}) = 'DATE' then cast({{ column }} as timestamp)
        else timezone('{{ company_timezone() }}', timezone('UTC', cast({{ column }} as timestamp)))
    end) as date)
{%- endmacro %}

{#- The calendar date of a (naive UTC) timestamp in the company's time zone. -#}
{% macro local_date_of(column) -%}
    cast(timezone('{{ company_timezone() }}', timezone('UTC', cast({{ column }} as timestamp))) as date)
{%- endmacro %}

{#- The day of the run (UTC): no month after it is complete. flows/transform/dbt.py
    passes it as TERRAIN_TODAY (settable for tests and replays); else today. -#}
{% macro run_date() -%}
    {%- set today = env_var('TERRAIN_TODAY', '') -%}
    {%- if today -%}
        date '{{ today }}'
    {%- else -%}
        cast(timezone('UTC', current_timestamp) as date)
    {%- endif -%}
{%- endmacro %}

{#- Split a multi-valued text column on a regular expression of separators into
    a list of trimmed, non-empty values. -#}
{% macro split_list(column, separators='[|]', lower=false) -%}
    list_filter(
        list_transform(
            regexp_split_to_array(coalesce(cast({{ column }} as varchar), ''), '{{ separators }}'),
            lambda item: {% if lower %}lower(trim(item)){% else %}trim(item){% endif %}
        ),
        lambda item: item <> ''
    )
{%- endmacro %}

{#- Text prepared for term matching: lower case, accents stripped (œ, æ, ß spelt
    out), every run of characters that are not a letter or a digit turned into one
    space, with a space at both ends so that every word is framed by spaces. -#}
{% macro text_for_matching(column) -%}
    ' ' || trim(regexp_replace(
        replace(replace(replace(lower(strip_accents(coalesce({{ column }}, ''))),
            'œ', 'oe'), 'æ', 'ae'), 'ß', 'ss'),
        '[^a-z0-9]+', ' ', 'g'
    )) || ' '
{%- endmacro %}

{#- The customer key of a normalised email (a hash, so the key carries no address). -#}
{% macro customer_key_from_email(email) -%}
    'c_' || left(md5('email:' || {{ email }}), 16)
{%- endmacro %}

{#- The customer key of a shop customer without email. -#}
{% macro customer_key_from_shop_id(customer_id) -%}
    'c_' || left(md5('shop:' || {{ customer_id }}), 16)
{%- endmacro %}
