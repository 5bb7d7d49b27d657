with

source as (
    select * from {{ source('raw_intent', 'offer_segments') }}
),

renamed as (
    select
        {{ clean_text('offer_id') }} as offer_id,
        {{ clean_text('segment_id') }} as segment_id
    from source
),

final as (
    select * from renamed
)

select * from final
