with

source as (
    select * from {{ source('raw_support', 'satisfaction') }}
    where _deleted_at is null  -- rows deleted in the source stay in raw, marked
),

renamed as (
    select
        {{ clean_text('rating_id') }} as rating_id,
        {{ clean_text('ticket_id') }} as ticket_id,
        {{ to_utc('created_at') }} as created_at,
        -- comment: redacted in stg_voice__texts (never read here)
        {{ clean_enum('score') }} as score
    from source
),

normalised as (
    select
        *,
        -- numeric scores are on a 1..5 scale; good / bad carry no number
        try_cast(score as double) as score_value,
        case
            when score = 'good' then true
            when score = 'bad' then false
            when try_cast(score as double) is not null then try_cast(score as double) >= 4
        end as is_satisfied,
        case
            when score in ('good', 'bad') then 'binary'
            when try_cast(score as double) is not null then 'scale'
        end as score_type
    from renamed
),

final as (
    select * from normalised
)

select * from final
