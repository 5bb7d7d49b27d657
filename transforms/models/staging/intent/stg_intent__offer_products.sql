with

source as (
    select * from {{ source('raw_intent', 'offer_products') }}
),

renamed as (
    select
        {{ clean_text('offer_id') }} as offer_id,
        {{ clean_enum('match_type') }} as match_type,
        {{ clean_text('pattern') }} as pattern
    from source
),

final as (
    select * from renamed
)

select * from final
