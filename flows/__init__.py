"""Terrain: Prefect flows and the code they call.

Prefect reads its settings when first imported, so the defaults Terrain relies on
are set here, before any flow module imports it. A value already in the
environment wins.
"""

import os

_PREFECT_DEFAULTS = {
    # No telemetry and no call home; also avoids a telemetry race that logs
    # "database is locked" on the temporary server.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    # The temporary server of a plain flow call needs more than the default 20 s
    # to start on a loaded 2-core machine.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}
for _name, _value in _PREFECT_DEFAULTS.items():
    os.environ.setdefault(_name, _value)
