with

texts as (
    select * from {{ ref('stg_voice__texts') }}
),

notes as (
    select * from {{ ref('stg_crm__notes') }}
),

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

deals as (
    select * from {{ ref('stg_crm__deals') }}
),

comments as (
    select * from {{ ref('stg_support__ticket_comments') }}
),

note_texts as (
    -- a note belongs to its account's thread (through its contact or deal when it names
    -- no account), else to its contact's, else it is a thread of its own
    select
        'crm_note:' || notes.note_id as evidence_id,
        'crm_note' as evidence_source,
        notes.created_at,
        coalesce(
            notes.account_id,
            contacts.account_id,
            deals.account_id,
            'contact:' || notes.contact_id,
            'note:' || notes.note_id
        ) as thread_key,
        notes.author_role as exported_role,
        texts.text
    from notes
    inner join texts
        on texts.source_entity = 'crm/notes'
        and texts.text_column = 'body'
        and notes.note_id = texts.source_id
    left join contacts
        on notes.contact_id = contacts.contact_id
    left join deals
        on notes.deal_id = deals.deal_id
),

comment_texts as (
    -- a comment belongs to its ticket's thread
    select
        'ticket_comment:' || comments.comment_id as evidence_id,
        'ticket_comment' as evidence_source,
        comments.created_at,
        coalesce(comments.ticket_id, 'comment:' || comments.comment_id) as thread_key,
        comments.author_role as exported_role,
        texts.text
    from comments
    inner join texts
        on texts.source_entity = 'support/ticket_comments'
        and texts.text_column = 'body'
        and comments.comment_id = texts.source_id
),

authored as (
    select * from note_texts
    union all by name
    select * from comment_texts
),

split as (
    -- what the writer only quotes (macro strip_quoted) is left out before splitting, as
    -- it is for theme matching
    select
        evidence_id,
        evidence_source,
        created_at,
        {{ month_of('created_at') }} as text_month,
        thread_key,
        exported_role,
        unnest({{ sentences_of(strip_quoted('text')) }}) as sentence,
        generate_subscripts({{ sentences_of(strip_quoted('text')) }}, 1) as sentence_position
    from authored
    where created_at is not null
),

fingerprinted as (
    select
        evidence_id || ':' || sentence_position as sentence_id,
        evidence_id,
        evidence_source,
        created_at,
        text_month,
        thread_key,
        exported_role,
        sentence_position,
        trim(sentence) as sentence,
        {{ sentence_fingerprint('sentence') }} as fingerprint
    from split
),

final as (
    -- sentences of no word (a lone "!!", a line of dashes) are no sentence
    select * from fingerprinted
    where fingerprint <> ''
)

select * from final
