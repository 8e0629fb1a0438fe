"""Account telemetry (moved here from ``bot_v2.orchestration.account_telemetry``)."""

from bot_v2.monitoring.telemetry.account_snapshot import AccountTelemetryService

__all__ = ["AccountTelemetryService"]
