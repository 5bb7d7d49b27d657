with

{% set entities = [
    ('shop', 'customers', 'stg_shop__customers', 'created_at'),
    ('shop', 'products', 'stg_shop__products', 'launched_at'),
    ('shop', 'orders', 'stg_shop__orders', 'ordered_at'),
    ('shop', 'order_lines', 'stg_shop__order_lines', none),
    ('shop', 'returns', 'stg_shop__returns', 'returned_at'),
    ('shop', 'reviews', 'stg_shop__reviews', 'created_at'),
    ('crm', 'accounts', 'stg_crm__accounts', 'created_at'),
    ('crm', 'contacts', 'stg_crm__contacts', 'created_at'),
    ('crm', 'deals', 'stg_crm__deals', 'created_at'),
    ('crm', 'notes', 'stg_crm__notes', 'created_at'),
    ('support', 'tickets', 'stg_support__tickets', 'created_at'),
    ('support', 'ticket_comments', 'stg_support__ticket_comments', 'created_at'),
    ('support', 'satisfaction', 'stg_support__satisfaction', 'created_at'),
] %}

rejects as (
    select * from {{ ref('stg_shop__ingest_rejects') }}
    union all by name
    select * from {{ ref('stg_crm__ingest_rejects') }}
    union all by name
    select * from {{ ref('stg_support__ingest_rejects') }}
),

files as (
    select * from {{ ref('stg_shop__ingest_files') }}
    union all by name
    select * from {{ ref('stg_crm__ingest_files') }}
    union all by name
    select * from {{ ref('stg_support__ingest_files') }}
),

loaded as (
    {% for system, entity, model, timestamp_column in entities %}
        select
            '{{ system }}' as system,
            '{{ entity }}' as entity,
            count(*) as row_count,
            {% if timestamp_column %}
                cast(min({{ timestamp_column }}) as timestamp) as first_at,
                cast(max({{ timestamp_column }}) as timestamp) as last_at
            {% else %}
                cast(null as timestamp) as first_at,
                cast(null as timestamp) as last_at
            {% endif %}
        from {{ ref(model) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

rejected as (
    -- rows, as ingestion counted them (ingest_rejects holds one row per bad value)
    select
        system,
        entity,
        sum(rows_rejected) as rejected_rows
    from files
    group by all
),

last_rejects as (
    select
        system,
        entity,
        max(rejected_at) as last_rejected_at
    from rejects
    group by all
),

final as (
    select
        loaded.system || '.' || loaded.entity as coverage_id,
        loaded.system,
        loaded.entity,
        loaded.row_count,
        cast(coalesce(rejected.rejected_rows, 0) as bigint) as rejected_rows,
        loaded.first_at,
        loaded.last_at,
        last_rejects.last_rejected_at
    from loaded
    left join rejected
        on loaded.system = rejected.system
        and loaded.entity = rejected.entity
    left join last_rejects
        on loaded.system = last_rejects.system
        and loaded.entity = last_rejects.entity
)

select * from final
