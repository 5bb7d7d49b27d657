with

texts as (
    -- free text, plain and redacted (the only copy later layers read)
    select * from {{ ref('stg_voice__texts') }}
),

authors as (
    select * from {{ ref('int_voice_authors_resolved') }}
),

reviews as (
    select * from {{ ref('stg_shop__reviews') }}
),

returns as (
    select * from {{ ref('int_returns_linked') }}
),

products as (
    select * from {{ ref('int_products_mapped') }}
),

sku_offers as (
    select * from {{ ref('int_skus_mapped_to_offers') }}
),

tickets as (
    select * from {{ ref('int_tickets_linked') }}
),

ticket_comments as (
    select * from {{ ref('stg_support__ticket_comments') }}
),

satisfaction as (
    select * from {{ ref('stg_support__satisfaction') }}
),

notes as (
    select * from {{ ref('stg_crm__notes') }}
),

deals as (
    select * from {{ ref('stg_crm__deals') }}
),

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

shop_keys as (
    select * from {{ ref('int_shop_customer_keys') }}
),

customers as (
    select * from {{ ref('int_customers_unified') }}
),

texts_by_row as (
    -- one row per raw row with text: its columns side by side
    select
        source_entity,
        source_id,
        any_value(text) filter (where text_column = 'title') as title,
        any_value(text) filter (where text_column = 'body') as body,
        any_value(text) filter (where text_column = 'subject') as subject,
        any_value(text) filter (where text_column = 'description') as description,
        any_value(text) filter (where text_column = 'reason_text') as reason_text,
        any_value(text) filter (where text_column = 'lost_reason') as lost_reason,
        any_value(text) filter (where text_column = 'comment') as comment
    from texts
    group by all
),

deal_offers as (
    -- the first sku of the deal that maps to an offer
    select
        deal_skus.deal_id,
        arg_min(sku_offers.offer_id, deal_skus.sku_position) as offer_id
    from (
        select
            deal_id,
            unnest(sku_list) as sku,
            generate_subscripts(sku_list, 1) as sku_position
        from deals
    ) as deal_skus
    inner join sku_offers
        on deal_skus.sku = sku_offers.sku
    group by all
),

review_items as (
    select
        'review:' || reviews.review_id as evidence_id,
        'review' as evidence_source,
        reviews.review_id as source_id,
        reviews.created_at,
        shop_keys.customer_key,
        coalesce(products_by_sku.offer_id, products_by_id.offer_id) as offer_id,
        coalesce(products_by_sku.product_id, products_by_id.product_id) as product_id,
        concat_ws(' — ', review_texts.title, review_texts.body) as evidence_text
    from reviews
    inner join texts_by_row as review_texts
        on review_texts.source_entity = 'shop/reviews'
        and reviews.review_id = review_texts.source_id
    left join shop_keys
        on reviews.customer_id = shop_keys.customer_id
    left join products as products_by_sku
        on reviews.sku = products_by_sku.sku
    left join products as products_by_id
        on reviews.sku is null
        and reviews.product_id = products_by_id.product_id
    qualify row_number() over (partition by reviews.review_id order by products_by_sku.product_id) = 1
),

ticket_items as (
    select
        'ticket:' || tickets.ticket_id as evidence_id,
        'ticket' as evidence_source,
        tickets.ticket_id as source_id,
        tickets.created_at,
        tickets.customer_key,
        tickets.offer_id,
        concat_ws(' — ', ticket_texts.subject, ticket_texts.description) as evidence_text
    from tickets
    inner join texts_by_row as ticket_texts
        on ticket_texts.source_entity = 'support/tickets'
        and tickets.ticket_id = ticket_texts.source_id
),

ticket_texts as (
    -- what customers wrote on a ticket after opening it: their comments (agents'
    -- answers are not customer voice, int_voice_authors_resolved) and their
    -- satisfaction comments
    select
        'ticket_comment:' || ticket_comments.comment_id as evidence_id,
        'ticket_comment' as evidence_source,
        ticket_comments.comment_id as source_id,
        ticket_comments.created_at,
        ticket_comments.ticket_id,
        comment_texts.body as evidence_text
    from ticket_comments
    inner join texts_by_row as comment_texts
        on comment_texts.source_entity = 'support/ticket_comments'
        and ticket_comments.comment_id = comment_texts.source_id
    inner join authors
        on 'ticket_comment:' || ticket_comments.comment_id = authors.evidence_id
    where authors.author_role = 'customer'
    union all by name
    select
        'satisfaction:' || satisfaction.rating_id as evidence_id,
        'satisfaction_comment' as evidence_source,
        satisfaction.rating_id as source_id,
        satisfaction.created_at,
        satisfaction.ticket_id,
        satisfaction_texts.comment as evidence_text
    from satisfaction
    inner join texts_by_row as satisfaction_texts
        on satisfaction_texts.source_entity = 'support/satisfaction'
        and satisfaction.rating_id = satisfaction_texts.source_id
),

ticket_text_items as (
    -- linked to their customer and offer through the ticket
    select
        ticket_texts.evidence_id,
        ticket_texts.evidence_source,
        ticket_texts.source_id,
        ticket_texts.created_at,
        tickets.customer_key,
        tickets.offer_id,
        ticket_texts.evidence_text
    from ticket_texts
    left join tickets
        on ticket_texts.ticket_id = tickets.ticket_id
),

note_items as (
    -- notes written by the customer (or not recognised as staff's,
    -- int_voice_authors_resolved); staff notes are not customer voice
    select
        'crm_note:' || notes.note_id as evidence_id,
        'crm_note' as evidence_source,
        notes.note_id as source_id,
        notes.created_at,
        {{ customer_key_from_email('contacts.email') }} as customer_key,
        coalesce(notes.account_id, contacts.account_id, deals.account_id) as account_id,
        deal_offers.offer_id,
        note_texts.body as evidence_text
    from notes
    inner join texts_by_row as note_texts
        on note_texts.source_entity = 'crm/notes'
        and notes.note_id = note_texts.source_id
    inner join authors
        on 'crm_note:' || notes.note_id = authors.evidence_id
        and authors.author_role = 'customer'
    left join contacts
        on notes.contact_id = contacts.contact_id
    left join deals
        on notes.deal_id = deals.deal_id
    left join deal_offers
        on notes.deal_id = deal_offers.deal_id
),

return_items as (
    select
        'return:' || returns.return_id as evidence_id,
        'return_reason' as evidence_source,
        returns.return_id as source_id,
        returns.returned_at as created_at,
        returns.customer_key,
        returns.offer_id,
        return_texts.reason_text as evidence_text
    from returns
    inner join texts_by_row as return_texts
        on return_texts.source_entity = 'shop/returns'
        and returns.return_id = return_texts.source_id
),

lost_deal_items as (
    select
        'lost_deal:' || deals.deal_id as evidence_id,
        'lost_deal_reason' as evidence_source,
        deals.deal_id as source_id,
        coalesce(deals.closed_at, deals.created_at) as created_at,
        deals.account_id,
        deal_offers.offer_id,
        deal_texts.lost_reason as evidence_text
    from deals
    inner join texts_by_row as deal_texts
        on deal_texts.source_entity = 'crm/deals'
        and deals.deal_id = deal_texts.source_id
    left join deal_offers
        on deals.deal_id = deal_offers.deal_id
    where deals.outcome = 'lost'
),

unioned as (
    -- by name: each source brings the links it has (customer, account, offer, product),
    -- the others are NULL
    select * from review_items
    union all by name
    select * from ticket_items
    union all by name
    select * from ticket_text_items
    union all by name
    select * from note_items
    union all by name
    select * from return_items
    union all by name
    select * from lost_deal_items
),

with_customer as (
    -- the account comes from the item itself, else from the customer's identity
    select
        unioned.evidence_id,
        unioned.evidence_source,
        unioned.source_id,
        unioned.created_at,
        {{ month_of('unioned.created_at') }} as evidence_month,
        unioned.customer_key,
        coalesce(unioned.account_id, customers.account_id) as account_id,
        unioned.offer_id,
        unioned.product_id,
        unioned.evidence_text
    from unioned
    left join customers
        on unioned.customer_key = customers.customer_key
    where nullif(trim(unioned.evidence_text), '') is not null
        and unioned.created_at is not null
),

sku_mentions as (
    -- items not linked through a product, order, ticket or deal that name a sku in
    -- their text ("my JB-101-BRUT"): the first sku named, by position in the text
    select
        with_customer.evidence_id,
        arg_min(
            sku_offers.offer_id, strpos(upper(with_customer.evidence_text), upper(sku_offers.sku))
        ) as offer_id
    from with_customer
    inner join sku_offers
        on with_customer.offer_id is null
        and length(sku_offers.sku) >= 4
        and contains(upper(with_customer.evidence_text), upper(sku_offers.sku))
    group by all
),

linked as (
    select
        with_customer.* exclude (offer_id),  -- noqa: RF02
        coalesce(with_customer.offer_id, sku_mentions.offer_id) as offer_id,
        case
            when with_customer.offer_id is not null
                then
                    case with_customer.evidence_source
                        when 'review' then 'product'
                        when 'return_reason' then 'order'
                        when 'crm_note' then 'deal'
                        when 'lost_deal_reason' then 'deal'
                        else 'ticket'
                    end
            when sku_mentions.offer_id is not null then 'sku_mention'
        end as offer_link
    from with_customer
    left join sku_mentions
        on with_customer.evidence_id = sku_mentions.evidence_id
),

final as (
    select
        linked.evidence_id,
        linked.evidence_source,
        linked.source_id,
        linked.created_at,
        linked.evidence_month,
        linked.customer_key,
        linked.account_id,
        linked.offer_id,
        linked.offer_link,
        linked.product_id,
        authors.author_role_source,
        linked.evidence_text,
        length(linked.evidence_text) as text_length,
        -- matched without what the customer only quotes (macro strip_quoted), without
        -- staff templates (notes and comments: int_voice_authors_resolved.own_text) and
        -- without the pipeline's tokens ([name], [link]...)
        {{ text_for_matching(without_tokens(
            'coalesce(authors.own_text, ' ~ strip_quoted('linked.evidence_text') ~ ')'
        )) }} as match_text
    from linked
    left join authors
        on linked.evidence_id = authors.evidence_id
)

select * from final
