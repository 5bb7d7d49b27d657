{#- The staging of one system's ingest_rejects table: the three systems share one
    layout (flows/ingest/raw_layer.py), so their staging models share this body. -#}
{% macro staged_ingest_rejects(system) -%}
with

source as (
    select * from {{ source('raw_' ~ system, 'ingest_rejects') }}
),

renamed as (
    select
        {{ clean_text('reject_id') }} as reject_id,
        '{{ system }}' as system,
        {{ clean_enum('entity') }} as entity,
        {{ clean_text('file') }} as file,
        cast(line as bigint) as line,
        {{ clean_text('column_name') }} as column_name,
        cast(value as varchar) as value,
        {{ clean_text('reason') }} as reason,
        {{ to_utc('rejected_at') }} as rejected_at
    from source
),

final as (
    select * from renamed
)

select * from final
{%- endmacro %}
