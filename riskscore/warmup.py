"""Load reference data and the active model before the first request, in each server process."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def warm_up() -> None:
    from riskscore import registry
    from riskscore.features import reference

    reference.warm_up()
    try:
        registry.active_model("signup")
    except Exception as exc:  # noqa: BLE001 - a missing model or database shows in /readyz, not at boot
        logger.warning("no signup model loaded at start: %s", exc)
