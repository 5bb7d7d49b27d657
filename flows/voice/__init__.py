"""Customer voice before it leaves the raw layer: markup removed, personal data redacted.

`redaction` replaces e-mails, phones, bank details, addresses and person names with
tokens; `markup` turns HTML into plain text; `texts` applies both to every free-text
column of the raw layer (the dbt model `stg_voice__texts` calls it).
"""
