"""Guardrails: trading switches checked before every cycle of a PerpsBot."""

from __future__ import annotations

import bot_v2.orchestration.perps_bot as perps_bot_module
from bot_v2.shared.symbol_utils import SymbolUtils


class Guardrails:
    """Per-symbol kill switches plus the bot-wide running flag."""

    def __init__(self, bot: perps_bot_module.PerpsBot) -> None:
        self.bot = bot
        self.disabled: set[str] = set()

    def disable(self, symbol: str) -> None:
        """Stop trading ``symbol``."""
        self.disabled.add(SymbolUtils.normalize(symbol))

    def allow_trading(self, symbol: str) -> bool:
        """Whether the bot may trade ``symbol`` right now."""
        return self.bot.is_running() and SymbolUtils.normalize(symbol) not in self.disabled
