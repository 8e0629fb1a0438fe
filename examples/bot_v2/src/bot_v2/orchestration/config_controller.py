"""ConfigController: applies configuration changes to a running PerpsBot."""

from __future__ import annotations

from decimal import Decimal

import bot_v2.orchestration.perps_bot
import bot_v2.orchestration.spot_profile_service
from bot_v2.shared.types import BotConfig


class ConfigController:
    """Owns the bot's live configuration and its SPOT profiles."""

    def __init__(self, bot: bot_v2.orchestration.perps_bot.PerpsBot) -> None:
        self.bot = bot
        self.profiles = bot_v2.orchestration.spot_profile_service.SpotProfileService()

    def apply(self, config: BotConfig) -> None:
        """Switch the bot to ``config`` and load a default profile per symbol."""
        self.bot.config = config
        for symbol in config.symbols:
            self.profiles.load(symbol, max_notional=Decimal("1000"))
