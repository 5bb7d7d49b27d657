with

source as (
    select * from {{ source('raw_intent', 'decisions') }}
),

renamed as (
    select
        {{ clean_text('decision_id') }} as decision_id,
        cast(decision_date as date) as decision_date,
        {{ clean_text('offer_id') }} as offer_id,
        {{ clean_text('theme_id') }} as theme_id,
        {{ clean_text('summary_fr') }} as summary_fr,
        {{ clean_text('summary_en') }} as summary_en
    from source
),

final as (
    select * from renamed
)

select * from final
