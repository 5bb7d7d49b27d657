with

source as (
    select * from {{ source('raw_health', 'contract_entities') }}
),

renamed as (
    select
        {{ clean_enum('system') }} || '/' || {{ clean_enum('entity') }} as entity_key,
        {{ clean_enum('system') }} as system,
        {{ clean_enum('entity') }} as entity,
        cast(position as bigint) as entity_position,
        cast(is_required as boolean) as is_required,
        cast(is_event as boolean) as is_event,
        {{ clean_text('date_column') }} as date_column,
        {{ clean_enum('date_type') }} as date_type
    from source
),

final as (
    select * from renamed
)

select * from final
