with

source as (
    select * from {{ source('raw_support', 'tickets') }}
    where _deleted_at is null  -- rows deleted in the source stay in raw, marked
),

renamed as (
    select
        {{ clean_text('ticket_id') }} as ticket_id,
        {{ to_utc('created_at') }} as created_at,
        {{ normalise_email('requester_email') }} as requester_email,
        {{ clean_text('customer_id') }} as customer_id,
        {{ to_utc('solved_at') }} as solved_at,
        {{ clean_enum('channel') }} as channel,
        {{ clean_enum('status') }} as ticket_status,
        {{ clean_enum('priority') }} as priority,
        -- subject and description: redacted in stg_voice__texts (never read here)
        {{ split_list('tags', '[|]', lower=true) }} as tag_list,
        {{ clean_text('sku') }} as sku
    from source
),

final as (
    select * from renamed
)

select * from final
