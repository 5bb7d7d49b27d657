{#- Helpers for reading customer voice (evidence, themes, emerging terms). -#}

{#- The text without what the customer quotes rather than says: spans between « »,
    “ ” or straight double quotes (up to 200 characters: the company's own wording,
    a product description, an agent's answer), and quoted reply lines starting with ">".
    Used for matching only; quotes shown in the brief keep the full text. -#}
{% macro strip_quoted(column) -%}
    regexp_replace(
        regexp_replace(
            coalesce({{ column }}, ''),
            '«[^«»]{0,200}»|“[^“”]{0,200}”|"[^"]{0,200}"',
            ' ', 'g'
        ),
        '(^|\n)[ \t]*>[^\n]*',
        '\1', 'g'
    )
{%- endmacro %}

{#- Regular expression (RE2, on a text normalised by text_for_matching) of one theme
    term: its words in sequence, the last one open when the term ends with *. -#}
{% macro term_regex(term_text, is_wildcard) -%}
    '\b' || {{ term_text }} || case when {{ is_wildcard }} then '[a-z0-9]*' else '' end || '\b'
{%- endmacro %}

{#- Regular expression of a term said in the negative: "pas de taille", "aucun problème
    de livraison", "sans réparation", "no issue with the size", "without repair". Group
    1 captures "toujours" / "encore" / "still" just before, which turns the negation
    into a complaint ("toujours pas de colis", "still no parcel"): such occurrences
    still count. A negated verb ("pas livré", "not delivered") is a complaint about the
    theme, so it is not treated as a negation. -#}
{% macro negated_term_regex(term_text, is_wildcard) -%}
    '(?:\b(toujours |encore |still |yet ))?\b(?:pas de|pas d|pas un|pas une|aucun|aucune|sans|no|without|not any|never any)'
    || '(?: (?:probleme|souci|reproche|problem|issue|complaint)s?(?: (?:de|d|du|des|avec|with|about|on|regarding))?)?'
    || '(?: (?:le|la|les|l|mon|ma|mes|the|my|a|an))? '
    || {{ term_text }} || case when {{ is_wildcard }} then '[a-z0-9]*' else '' end || '\b'
{%- endmacro %}

{#- A quote for the brief: whitespace flattened, at most max_chars characters, cut at
    the last space before the limit, with an ellipsis when cut. -#}
{% macro trimmed_quote(column, max_chars) -%}
    case
        when length(trim(regexp_replace({{ column }}, '\s+', ' ', 'g'))) <= {{ max_chars }}
            then trim(regexp_replace({{ column }}, '\s+', ' ', 'g'))
        else coalesce(
            nullif(regexp_extract(
                left(trim(regexp_replace({{ column }}, '\s+', ' ', 'g')), {{ max_chars - 1 }}),
                '^(.*\S)\s', 1
            ), ''),
            left(trim(regexp_replace({{ column }}, '\s+', ' ', 'g')), {{ max_chars - 1 }})
        ) || '…'
    end
{%- endmacro %}

{#- Evidence ids, latest first (ties: by id), of the rows that pass `where` (every row
    when omitted), for an aggregate. `evidence` names the relation holding evidence_id and
    created_at. -#}
{% macro latest_evidence_ids(where=none, evidence='evidence') -%}
    list({{ evidence }}.evidence_id order by {{ evidence }}.created_at desc, {{ evidence }}.evidence_id)
    {%- if where %} filter (where {{ where }}){% endif %}
{%- endmacro %}

{#- The pipeline's own tokens in a text: what the redactor put in place of personal data
    ([email], [phone], [iban], [card], [address], [name]) and what markup removal put in
    place of a link ([link]), all a lower-case word in square brackets
    (tests/voice/test_texts.py checks that every token has this shape). -#}
{% macro without_tokens(column) -%}
    regexp_replace(coalesce({{ column }}, ''), '\[[a-z]{2,12}\]', ' ', 'g')
{%- endmacro %}

{#- The sentences of a text, as a list: split after . ! ? ; or … followed by a space (or
    the end), and at line breaks; "3.5 kg" and "v1.2" stay whole. May hold blanks. -#}
{% macro sentences_of(column) -%}
    regexp_split_to_array(coalesce({{ column }}, ''), '[.!?;…]+(?:\s+|$)|\n+')
{%- endmacro %}

{#- A sentence's fingerprint, for telling repeated (templated) sentences: normalised like
    the texts (macro text_for_matching: case, accents, punctuation), without digits, so
    "Appel de suivi le 12/03 - tout va bien" and "appel de suivi le 3/4, tout va bien !"
    are one; a redacted name or address is its token word ("[name]" -> "name"), so the
    same sentence about different people is one too. Blank for a sentence of no words. -#}
{% macro sentence_fingerprint(column) -%}
    trim(regexp_replace(
        regexp_replace({{ text_for_matching(column) }}, '[0-9]+', ' ', 'g'), ' +', ' ', 'g'
    ))
{%- endmacro %}

{#- A system message: no lower-case letter at all once tokens are removed, and at least
    three capital letters ("SHIPPING ADDRESS UPDATED: [address]", "STAGE -> PROPOSAL").
    CRMs and help desks log field changes that way; people write sentences. -#}
{% macro is_system_message(column) -%}
    (
        not regexp_matches({{ without_tokens(column) }}, '\p{Ll}')
        and regexp_matches({{ without_tokens(column) }}, '\p{Lu}.*\p{Lu}.*\p{Lu}')
    )
{%- endmacro %}
