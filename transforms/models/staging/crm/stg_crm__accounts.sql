with

source as (
    select * from {{ source('raw_crm', 'accounts') }}
    where _deleted_at is null  -- rows deleted in the source stay in raw, marked
),

renamed as (
    select
        {{ clean_text('account_id') }} as account_id,
        -- a b2c account is a person (or a household): its name is personal data and
        -- stays in the raw layer (it is one of the names the redactor removes)
        case
            when {{ clean_enum('type') }} = 'b2c' then null
            else {{ clean_text('name') }}
        end as account_name,
        {{ clean_enum('type') }} as account_type,
        {{ clean_enum('industry') }} as industry,
        {{ clean_enum('size_band') }} as size_band,
        upper({{ clean_text('country') }}) as country,
        {{ to_utc('created_at') }} as created_at
    from source
),

final as (
    select * from renamed
)

select * from final
