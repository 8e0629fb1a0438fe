"""Deprecated: ``AccountTelemetryService`` has moved to ``bot_v2.monitoring.telemetry``.

Moved in the Phase 2 Tier 1 extraction (2025-10-05). This thin shim only re-exports it so
that old imports keep working for a while; import it from its new home instead::

    from bot_v2.monitoring.telemetry import AccountTelemetryService

It is removed after 2026-01-05.
"""

import warnings

from bot_v2.monitoring.telemetry import AccountTelemetryService

__all__ = ["AccountTelemetryService"]

warnings.warn(
    "bot_v2.orchestration.account_telemetry is deprecated: "
    "import AccountTelemetryService from bot_v2.monitoring.telemetry",
    DeprecationWarning,
    stacklevel=2,
)
