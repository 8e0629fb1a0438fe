"""Formatting helpers for logs and the CLI."""

from __future__ import annotations

from decimal import Decimal

from bot_v2.features.live_trade.equity import EquityCalculator


def format_money(amount: Decimal) -> str:
    """``Decimal("1234.5")`` -> ``"$1,234.50"``."""
    return f"${amount:,.2f}"


def format_equity(calculator: EquityCalculator, balances: dict[str, Decimal]) -> str:
    """Render the total equity of ``balances`` as money."""
    return format_money(calculator.total(balances))
