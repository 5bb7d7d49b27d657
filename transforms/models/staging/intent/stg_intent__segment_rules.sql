with

source as (
    select * from {{ source('raw_intent', 'segment_rules') }}
),

renamed as (
    select
        {{ clean_text('segment_id') }} as segment_id,
        {{ clean_enum('match_key') }} as match_key,
        -- attributes are compared in lower case
        {{ clean_enum('match_value') }} as match_value
    from source
),

final as (
    select * from renamed
)

select * from final
