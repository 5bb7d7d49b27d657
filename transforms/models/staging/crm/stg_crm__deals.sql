with

source as (
    select * from {{ source('raw_crm', 'deals') }}
    where _deleted_at is null  -- rows deleted in the source stay in raw, marked
),

renamed as (
    select
        {{ clean_text('deal_id') }} as deal_id,
        {{ clean_text('account_id') }} as account_id,
        -- title and lost_reason: redacted in stg_voice__texts (never read here)
        cast(amount as double) as amount,
        upper({{ clean_text('currency') }}) as currency,
        {{ clean_enum('stage') }} as stage,
        {{ to_utc('created_at') }} as created_at,
        {{ to_utc('closed_at') }} as closed_at,
        {{ clean_enum('outcome') }} as outcome,
        {{ split_list('skus', '[|]') }} as sku_list
    from source
),

final as (
    select * from renamed
)

select * from final
