with

source as (
    select * from {{ source('raw_intent', 'offer_channels') }}
),

renamed as (
    select
        {{ clean_text('offer_id') }} as offer_id,
        {{ clean_enum('channel') }} as channel
    from source
),

final as (
    select * from renamed
)

select * from final
