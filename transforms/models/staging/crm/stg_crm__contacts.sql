with

source as (
    select * from {{ source('raw_crm', 'contacts') }}
    where _deleted_at is null  -- rows deleted in the source stay in raw, marked
),

renamed as (
    select
        {{ clean_text('contact_id') }} as contact_id,
        {{ clean_text('account_id') }} as account_id,
        {{ normalise_email('email') }} as email,
        {{ to_utc('created_at') }} as created_at,
        {{ clean_enum('lifecycle_stage') }} as lifecycle_stage
    from source
),

final as (
    select * from renamed
)

select * from final
