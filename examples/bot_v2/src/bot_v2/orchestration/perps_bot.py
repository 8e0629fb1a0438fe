"""PerpsBot: the top-level bot that wires market data, execution and risk together."""

from __future__ import annotations

from bot_v2.features.live_trade.equity import EquityCalculator
from bot_v2.orchestration import config_controller
from bot_v2.orchestration.live_execution import LiveExecutionEngine
from bot_v2.orchestration.market_data_service import MarketDataService
from bot_v2.shared.types import BotConfig

from . import guardrails, runtime_coordinator
from .perps_bot_builder import PerpsBotBuilder


class PerpsBot:
    """One bot instance: a config, its services and a run loop."""

    def __init__(self, config: BotConfig) -> None:
        self.config = config
        self.market_data = MarketDataService()
        self.equity = EquityCalculator()
        self.execution = LiveExecutionEngine(self)
        self.runtime = runtime_coordinator.RuntimeCoordinator(self)
        self.guards = guardrails.Guardrails(self)
        self.config_controller = config_controller.ConfigController(self)
        self._running = True
        self.stop_reason: str | None = None

    @classmethod
    def from_config(cls, config: BotConfig) -> PerpsBot:
        """Build a fully wired bot (goes through the builder, as the CLI does)."""
        bot = PerpsBotBuilder(config).build()
        assert isinstance(bot, cls)
        return bot

    def is_running(self) -> bool:
        """Whether the bot has not been stopped."""
        return self._running

    def stop(self, reason: str) -> None:
        """Stop the run loop."""
        self._running = False
        self.stop_reason = reason

    def run_cycle(self) -> None:
        """One pass: refresh quotes, check guardrails, let execution act."""
        for symbol in self.config.symbols:
            quote = self.market_data.fetch(symbol)
            if self.guards.allow_trading(symbol):
                self.execution.on_quote(quote)
        self.runtime.after_cycle()
