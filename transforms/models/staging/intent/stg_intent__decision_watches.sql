with

source as (
    select * from {{ source('raw_intent', 'decision_watches') }}
),

renamed as (
    select
        {{ clean_text('decision_id') }} as decision_id,
        {{ clean_enum('metric') }} as metric
    from source
),

final as (
    select * from renamed
)

select * from final
