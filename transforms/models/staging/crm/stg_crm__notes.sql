with

source as (
    select * from {{ source('raw_crm', 'notes') }}
    where _deleted_at is null  -- rows deleted in the source stay in raw, marked
),

renamed as (
    select
        {{ clean_text('note_id') }} as note_id,
        {{ to_utc('created_at') }} as created_at,
        -- body: redacted in stg_voice__texts (never read here)
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('contact_id') }} as contact_id,
        {{ clean_text('deal_id') }} as deal_id,
        -- as exported; empty = unknown, inferred in int_voice_authors_resolved
        {{ clean_enum('author_role') }} as author_role
    from source
),

final as (
    select * from renamed
)

select * from final
