with

source as (
    select * from {{ source('raw_intent', 'company') }}
),

renamed as (
    select
        {{ clean_text('name') }} as company_name,
        {{ clean_enum('language') }} as language,
        upper({{ clean_text('currency') }}) as currency,
        {{ clean_text('timezone') }} as timezone,
        {{ clean_text('default_segment') }} as default_segment_id
    from source
),

final as (
    select * from renamed
)

select * from final
