with

source as (
    select * from {{ source('raw_ingest', 'source_loads') }}
),

renamed as (
    select
        run_id,
        source,
        started_at,
        finished_at,
        status as load_status,
        files_read,
        files_unchanged,
        rows_loaded,
        rows_rejected,
        rows_deleted,
        error
    from source
),

final as (
    select * from renamed
)

select * from final
