"""Health: does the warehouse hold data a brief can stand on?

`check.check_ingest` runs after ingestion, `check.check_transform` after the dbt build
and `check.check_before_brief` before a brief is rendered (flows/pipeline.py). A check
that fails raises `DataHealthError` (exit code 2, a Failed Prefect state) unless partial
data is allowed (`--allow-partial`, or `allow_partial: true` in export-settings.yaml);
either way it is recorded in the warehouse (`store`), so the brief can say on its cover
that it was rendered from data that failed its checks.
"""


class DataHealthError(Exception):
    """The data failed its health check; the message names each problem and its fix."""
