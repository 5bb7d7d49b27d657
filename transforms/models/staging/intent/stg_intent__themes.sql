with

source as (
    select * from {{ source('raw_intent', 'themes') }}
),

renamed as (
    select
        {{ clean_text('theme_id') }} as theme_id,
        {{ clean_enum('kind') }} as signal_kind,
        {{ clean_text('label_fr') }} as label_fr,
        {{ clean_text('label_en') }} as label_en
    from source
),

final as (
    select * from renamed
)

select * from final
