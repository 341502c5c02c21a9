"""Load reference data and the active models before the first request, in each server and worker process."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def warm_up() -> None:
    from riskscore import registry
    from riskscore.features import reference

    reference.warm_up()
    for kind in ("signup", "account"):
        try:
            registry.active_model(kind)
        except Exception as exc:  # noqa: BLE001 - a missing model or database shows in /readyz, not at boot
            logger.warning("no %s model loaded at start: %s", kind, exc)
