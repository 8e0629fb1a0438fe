"""EquityCalculator: values a portfolio in its quote currency."""

from __future__ import annotations

from decimal import Decimal

from bot_v2.shared.types import Quote


class EquityCalculator:
    """Sums balances, pricing non-cash assets at the quote's mid."""

    def __init__(self, cash_asset: str = "USD") -> None:
        self.cash_asset = cash_asset

    def total(
        self, balances: dict[str, Decimal], quotes: dict[str, Quote] | None = None
    ) -> Decimal:
        """Total equity of ``balances``; assets without a quote count at zero."""
        quotes = quotes or {}
        equity = Decimal("0")
        for asset, amount in balances.items():
            if asset == self.cash_asset:
                equity += amount
            elif asset in quotes:
                equity += amount * quotes[asset].mid
        return equity
