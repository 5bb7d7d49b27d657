with

source as (
    select * from {{ source('raw_intent', 'theme_terms') }}
),

renamed as (
    select
        {{ clean_text('theme_id') }} as theme_id,
        {{ clean_enum('language') }} as language,
        {{ clean_text('term') }} as term
    from source
),

final as (
    select * from renamed
)

select * from final
