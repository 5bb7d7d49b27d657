with

source as (
    select * from {{ source('raw_intent', 'offer_targets') }}
),

renamed as (
    select
        {{ clean_text('offer_id') }} as offer_id,
        {{ clean_enum('metric') }} as metric,
        cast(target_value as double) as target_value
    from source
),

final as (
    select * from renamed
)

select * from final
