"""Emergency stop: halts a running bot when a hard risk limit trips."""

from __future__ import annotations

from decimal import Decimal

from bot_v2.orchestration.perps_bot import PerpsBot


def should_halt(drawdown: Decimal, limit: Decimal = Decimal("0.2")) -> bool:
    """Whether a drawdown (as a fraction of peak equity) trips the hard limit."""
    return drawdown >= limit


def halt(bot: PerpsBot, reason: str) -> None:
    """Stop ``bot`` and record why."""
    bot.stop(reason)
