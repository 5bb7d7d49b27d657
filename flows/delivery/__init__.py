"""Delivery of the monthly brief: by e-mail (flows.delivery.mail) and as Prefect artifacts
(flows.delivery.artifacts), from the settings of `delivery.yaml` (flows.delivery.settings).
"""

from __future__ import annotations


class DeliveryError(RuntimeError):
    """The brief could not be delivered: what failed, and what to do.

    `transient` says whether trying again may succeed (the server unreachable or busy,
    a 4xx reply); a wrong setting, a refused login or a refused recipient is not.
    """

    def __init__(self, message: str, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient
