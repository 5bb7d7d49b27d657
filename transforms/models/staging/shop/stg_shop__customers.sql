with

source as (
    select * from {{ source('raw_shop', 'customers') }}
    where _deleted_at is null  -- rows deleted in the source stay in raw, marked
),

renamed as (
    select
        {{ clean_text('customer_id') }} as customer_id,
        {{ normalise_email('email') }} as email,
        {{ to_utc('created_at') }} as created_at,
        upper({{ clean_text('country') }}) as country,
        {{ clean_text('city') }} as city,
        {{ clean_text('postal_code') }} as postal_code,
        {{ clean_text('account_id') }} as account_id,
        {{ split_list('tags', '[|,]', lower=true) }} as tag_list
    from source
),

final as (
    select * from renamed
)

select * from final
