"""RuntimeCoordinator: start-up, shutdown and per-cycle housekeeping of a PerpsBot."""

from __future__ import annotations

import importlib
from types import ModuleType

from bot_v2.monitoring.telemetry import AccountTelemetryService

from . import perps_bot


class RuntimeCoordinator:
    """Runs the housekeeping that follows every cycle of the bot."""

    def __init__(self, bot: perps_bot.PerpsBot) -> None:
        self.bot = bot
        self.telemetry = AccountTelemetryService(account_id=bot.config.profile, config=bot.config)
        self.cycles = 0

    def after_cycle(self) -> None:
        """Count the cycle and stop the bot if the guardrails say so."""
        self.cycles += 1
        if not self.bot.guards.allow_trading("*"):
            self.bot.stop("guardrails")


def load_market_monitor() -> ModuleType:
    """Load the market monitor lazily (kept lazy since the websocket rewrite)."""
    return importlib.import_module("bot_v2.orchestration.market_monitor")
