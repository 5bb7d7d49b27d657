with

source as (
    select * from {{ source('raw_intent', 'segments') }}
),

renamed as (
    select
        {{ clean_text('segment_id') }} as segment_id,
        cast(position as bigint) as segment_position,
        {{ clean_text('label_fr') }} as label_fr,
        {{ clean_text('label_en') }} as label_en
    from source
),

final as (
    select * from renamed
)

select * from final
