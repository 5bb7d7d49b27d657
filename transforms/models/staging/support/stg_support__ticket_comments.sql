with

source as (
    select * from {{ source('raw_support', 'ticket_comments') }}
    where _deleted_at is null  -- rows deleted in the source stay in raw, marked
),

renamed as (
    select
        {{ clean_text('comment_id') }} as comment_id,
        {{ clean_text('ticket_id') }} as ticket_id,
        {{ to_utc('created_at') }} as created_at,
        -- body: redacted in stg_voice__texts (never read here)
        {{ clean_enum('author_role') }} as author_role
    from source
),

final as (
    select * from renamed
)

select * from final
