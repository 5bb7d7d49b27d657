{#- Replace personal data in free text before it can reach a brief, in this order:
    1. emails -> [email];
    2. French phone numbers (0X XX XX XX XX, +33 / 0033 forms; spaces, dots or
       dashes between groups) -> [phone];
    3. IBAN-like numbers (2 letters, 2 digits, 11 to 30 grouped characters) and
       card-like numbers (13 to 19 digits, grouped or not) -> [number];
    4. international numbers written with a leading + or 00 -> [phone].
    Plain short numbers (order numbers, sizes, prices, dates) are kept. -#}
{% macro redact(column) -%}
    regexp_replace(
        regexp_replace(
            regexp_replace(
                regexp_replace(
                    regexp_replace(
                        cast({{ column }} as varchar),
                        '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}',
                        '[email]', 'g'
                    ),
                    '(?:\+|\b00)33[ .-]?(?:\(0\)[ .-]?)?[1-9](?:[ .-]?[0-9]{2}){4}\b|\b0[1-9](?:[ .-]?[0-9]{2}){4}\b',
                    '[phone]', 'g'
                ),
                '\b[A-Za-z]{2}[0-9]{2}(?:[ -]?[A-Za-z0-9]{4}){2,7}(?:[ -]?[A-Za-z0-9]{1,4})?\b',
                '[number]', 'g'
            ),
            '\b[0-9](?:[ .-]?[0-9]){12,18}\b',
            '[number]', 'g'
        ),
        '(?:\+|\b00)[1-9][0-9]{0,2}(?:[ .-]?(?:\([0-9]{1,4}\)|[0-9]{1,4})){2,6}',
        '[phone]', 'g'
    )
{%- endmacro %}
