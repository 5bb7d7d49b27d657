with

source as (
    select * from {{ source('raw_intent', 'offers') }}
),

renamed as (
    select
        {{ clean_text('offer_id') }} as offer_id,
        {{ clean_text('name') }} as offer_name,
        {{ clean_enum('kind') }} as offer_kind,
        cast(since as date) as since_date,
        cast(until as date) as until_date,
        cast(position as bigint) as offer_position
    from source
),

final as (
    select * from renamed
)

select * from final
