with

source as (
    select * from {{ source('raw_crm', 'notes') }}
    where _deleted_at is null  -- rows deleted in the source stay in raw, marked
),

renamed as (
    select
        {{ clean_text('note_id') }} as note_id,
        {{ to_utc('created_at') }} as created_at,
        {{ clean_text('body') }} as body,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('contact_id') }} as contact_id,
        {{ clean_text('deal_id') }} as deal_id
    from source
),

final as (
    select * from renamed
)

select * from final
