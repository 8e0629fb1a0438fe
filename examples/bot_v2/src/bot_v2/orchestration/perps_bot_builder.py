"""PerpsBotBuilder: assembles a PerpsBot from a BotConfig."""

from __future__ import annotations

from bot_v2.shared.types import BotConfig, IBotRuntime


class PerpsBotBuilder:
    """Collects configuration, then builds the bot."""

    def __init__(self, config: BotConfig | None = None) -> None:
        self.config = config or BotConfig()

    def with_symbols(self, *symbols: str) -> PerpsBotBuilder:
        """Trade ``symbols`` instead of the configured ones."""
        config = self.config
        self.config = BotConfig(symbols=symbols, profile=config.profile, dry_run=config.dry_run)
        return self

    def build(self) -> IBotRuntime:
        """Create the bot (imported here: perps_bot imports this module at load time)."""
        from bot_v2.orchestration.perps_bot import PerpsBot

        return PerpsBot(self.config)
