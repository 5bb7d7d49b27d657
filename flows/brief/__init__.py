"""Brief: the monthly brief, as findings JSON and PDF, from the warehouse's report tables.

`flows.brief.write.write_brief` writes both files of one month: `report_tables` reads
the month, `findings` shapes it into the findings dict, `render` (with `formatting`
and `i18n`) turns that dict into the PDF. `period` says which month a brief is about.
"""


class BriefError(Exception):
    """The brief cannot be produced; the message says why and what to do."""
