{{ config(tags=['coverage']) }}

with

entities as (
    select * from {{ ref('stg_health__contract_entities') }}
),

files as (
    select * from {{ ref('stg_shop__ingest_files') }}
    union all by name
    select * from {{ ref('stg_crm__ingest_files') }}
    union all by name
    select * from {{ ref('stg_support__ingest_files') }}
),

rejects as (
    select * from {{ ref('stg_shop__ingest_rejects') }}
    union all by name
    select * from {{ ref('stg_crm__ingest_rejects') }}
    union all by name
    select * from {{ ref('stg_support__ingest_rejects') }}
),

exclusions as (
    select * from {{ ref('fct_amount_exclusions') }}
),

orders as (
    select * from {{ ref('int_orders_converted') }}
),

deals as (
    select * from {{ ref('int_deals_converted') }}
),

company as (
    select * from {{ ref('stg_intent__company') }}
),

foreign_amounts as (
    -- amounts in another currency than the company's: only they need exchange rates
    select count(*) as foreign_amount_count
    from (
        select currency from orders
        union all
        select currency from deals
    ) as amounts
    cross join company
    where amounts.currency <> company.currency
),

file_totals as (
    select
        system,
        entity,
        count(*) as file_count,
        list(file order by file) as files,
        count(*) filter (where rows_received is null) as uncounted_files,
        count(*) filter (where is_refused) as refused_files,
        sum(rows_received) as rows_received,
        sum(rows_loaded) as rows_loaded,
        sum(rows_rejected) as rows_rejected,
        min(first_at) as first_at,
        max(last_at) as last_at,
        max(max_reject_share) as max_reject_share
    from files
    group by all
),

reason_rows as (
    -- rows per kind of reason (a row with two bad values of one kind counts once;
    -- a file refused whole counts all its rows)
    select
        rejects.system,
        rejects.entity,
        rejects.reason_code,
        case
            when bool_or(rejects.line is null) then max(files.rows_received)
            else count(distinct rejects.file || ':' || cast(rejects.line as varchar))
        end as reason_rows
    from rejects
    inner join files
        on rejects.file = files.file
    -- a dropped extra column rejects no row
    where rejects.reason_code is not null
        and rejects.reason_code <> 'column_dropped'
    group by rejects.system, rejects.entity, rejects.reason_code, rejects.file
),

reasons as (
    select
        system,
        entity,
        list(
            { 'reason_code': reason_code, 'rows': reason_rows }
            order by reason_rows desc nulls first, reason_code
        ) as reject_reasons
    from (
        select
            system,
            entity,
            reason_code,
            cast(sum(reason_rows) as bigint) as reason_rows
        from reason_rows
        group by all
    ) as by_code
    group by all
),

exclusion_totals as (
    select
        system,
        entity,
        count(*) as rows_excluded,
        list(distinct currency order by currency) as excluded_currencies
    from exclusions
    group by all
),

final as (
    select
        entities.entity_key,
        entities.system,
        entities.entity,
        entities.entity_position,
        entities.is_required,
        coalesce(file_totals.file_count, 0) as file_count,
        coalesce(file_totals.files, []) as files,
        coalesce(file_totals.uncounted_files, 0) as uncounted_files,
        cast(file_totals.rows_received as bigint) as rows_received,
        cast(coalesce(file_totals.rows_loaded, 0) as bigint) as rows_loaded,
        cast(file_totals.rows_rejected as bigint) as rows_rejected,
        coalesce(exclusion_totals.rows_excluded, 0) as rows_excluded,
        cast(file_totals.rows_rejected as double)
        / nullif(file_totals.rows_received, 0) as reject_share,
        cast(coalesce(exclusion_totals.rows_excluded, 0) as double)
        / nullif(file_totals.rows_received, 0) as excluded_share,
        file_totals.max_reject_share,
        -- a date column is a calendar date as written; a timestamp's date is the
        -- company's
        case
            when entities.date_type = 'date' then cast(file_totals.first_at as date)
            else {{ local_date_of('file_totals.first_at') }}
        end as first_date,
        case
            when entities.date_type = 'date' then cast(file_totals.last_at as date)
            else {{ local_date_of('file_totals.last_at') }}
        end as last_date,
        case
            when file_totals.file_count is null then 'no_file'
            when file_totals.refused_files = file_totals.file_count then 'refused'
            when coalesce(file_totals.rows_loaded, 0) = 0 then 'no_rows'
            else 'loaded'
        end as status,
        -- exchange rates matter only when some amount is in another currency: without
        -- one, their absence is not a missing source
        entities.entity_key <> 'shop/exchange_rates'
        or (select foreign_amounts.foreign_amount_count from foreign_amounts) > 0 as is_needed,
        coalesce(reasons.reject_reasons, []) as reject_reasons,
        coalesce(exclusion_totals.excluded_currencies, []) as excluded_currencies
    from entities
    left join file_totals
        on entities.system = file_totals.system
        and entities.entity = file_totals.entity
    left join reasons
        on entities.system = reasons.system
        and entities.entity = reasons.entity
    left join exclusion_totals
        on entities.system = exclusion_totals.system
        and entities.entity = exclusion_totals.entity
)

select * from final
