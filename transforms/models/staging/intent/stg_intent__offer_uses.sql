with

source as (
    select * from {{ source('raw_intent', 'offer_uses') }}
),

renamed as (
    select
        {{ clean_text('offer_id') }} as offer_id,
        {{ clean_text('theme_id') }} as theme_id
    from source
),

final as (
    select * from renamed
)

select * from final
