with

texts as (
    select * from {{ ref('stg_voice__texts') }}
),

notes as (
    select * from {{ ref('stg_crm__notes') }}
),

comments as (
    select * from {{ ref('stg_support__ticket_comments') }}
),

sentences as (
    select * from {{ ref('int_voice_sentences_split') }}
),

templates as (
    select * from {{ ref('int_voice_templates_detected') }}
),

authored as (
    select
        'crm_note:' || notes.note_id as evidence_id,
        'crm_note' as evidence_source,
        notes.author_role as exported_role,
        texts.text
    from notes
    inner join texts
        on texts.source_entity = 'crm/notes'
        and texts.text_column = 'body'
        and notes.note_id = texts.source_id
    union all
    select
        'ticket_comment:' || comments.comment_id as evidence_id,
        'ticket_comment' as evidence_source,
        comments.author_role as exported_role,
        texts.text
    from comments
    inner join texts
        on texts.source_entity = 'support/ticket_comments'
        and texts.text_column = 'body'
        and comments.comment_id = texts.source_id
),

sentence_templates as (
    -- a sentence is templated once its template exists in the text's own month
    select
        sentences.*,
        coalesce(sentences.text_month >= templates.templated_since_month, false) as is_templated
    from sentences
    left join templates
        on sentences.evidence_source = templates.evidence_source
        and sentences.fingerprint = templates.fingerprint
),

by_text as (
    select
        evidence_id,
        count(*) as sentences,
        count(*) filter (where is_templated) as templated_sentences,
        string_agg(sentence, ' ' order by sentence_position) filter (where not is_templated)
            as own_text
    from sentence_templates
    group by all
),

resolved as (
    select
        authored.evidence_id,
        authored.evidence_source,
        authored.exported_role,
        coalesce(by_text.sentences, 0) as sentences,
        coalesce(by_text.templated_sentences, 0) as templated_sentences,
        {{ is_system_message('authored.text') }} as is_system_message,
        case
            when authored.exported_role is not null then 'export'
            when {{ is_system_message('authored.text') }} then 'system_message'
            when by_text.sentences > 0 and by_text.templated_sentences = by_text.sentences
                then 'template'
            else 'default'
        end as author_role_source,
        -- the text without its templated sentences nor what it quotes: what theme
        -- matching and emerging terms read (blank when nothing is left)
        coalesce(by_text.own_text, '') as own_text
    from authored
    left join by_text
        on authored.evidence_id = by_text.evidence_id
),

final as (
    select
        evidence_id,
        evidence_source,
        exported_role,
        case
            when author_role_source = 'export' then exported_role
            when author_role_source in ('system_message', 'template')
                then case evidence_source when 'crm_note' then 'staff' else 'agent' end
            when evidence_source = 'crm_note' then '{{ var("note_default_author_role") }}'
            else '{{ var("comment_default_author_role") }}'
        end as author_role,
        author_role_source,
        sentences,
        templated_sentences,
        is_system_message,
        own_text
    from resolved
)

select * from final
