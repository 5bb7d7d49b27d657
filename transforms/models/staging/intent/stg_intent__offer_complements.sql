with

source as (
    select * from {{ source('raw_intent', 'offer_complements') }}
),

renamed as (
    select
        {{ clean_text('offer_id') }} as offer_id,
        {{ clean_text('complement_offer_id') }} as complement_offer_id
    from source
),

final as (
    select * from renamed
)

select * from final
