{#- The staging of one system's ingest_rejects and ingest_files tables: the three
    systems share one layout (flows/ingest/raw_layer.py), so their staging models
    share these bodies. -#}
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
        {{ clean_enum('reason_code') }} as reason_code,
        {{ to_utc('rejected_at') }} as rejected_at
    from source
),

final as (
    select * from renamed
)

select * from final
{%- endmacro %}


{% macro staged_ingest_files(system) -%}
with

source as (
    select * from {{ source('raw_' ~ system, 'ingest_files') }}
),

renamed as (
    select
        {{ clean_text('file') }} as file,
        '{{ system }}' as system,
        {{ clean_enum('entity') }} as entity,
        cast(rows_received as bigint) as rows_received,
        cast(rows_loaded as bigint) as rows_loaded,
        cast(rows_rejected as bigint) as rows_rejected,
        coalesce(cast(is_refused as boolean), false) as is_refused,
        {{ clean_text('refusal') }} as refusal,
        {{ to_utc('first_at') }} as first_at,
        {{ to_utc('last_at') }} as last_at,
        cast(max_reject_share as double) as max_reject_share,
        cast(earliest_year as bigint) as earliest_year,
        {{ to_utc('read_at') }} as read_at
    from source
    -- dlt deletes the rows of vanished files; a stray flag is never a file
    where not coalesce(cast(is_deleted as boolean), false)
),

final as (
    select * from renamed
)

select * from final
{%- endmacro %}
