"""RiskGateValidator: rejects orders that would breach the account's risk gates."""

from __future__ import annotations

from decimal import Decimal

from bot_v2.orchestration.equity_calculator import EquityCalculator as Calc
from bot_v2.shared.types import OrderRequest


class RiskGateValidator:
    """Checks an order's notional against a fraction of account equity."""

    def __init__(
        self, max_leverage: Decimal = Decimal("3"), calculator: Calc | None = None
    ) -> None:
        self.max_leverage = max_leverage
        self.calculator = calculator or Calc()

    def validate(self, order: OrderRequest, price: Decimal, balances: dict[str, Decimal]) -> bool:
        """Whether ``order`` at ``price`` stays within ``max_leverage`` times equity."""
        equity = self.calculator.total(balances)
        return order.quantity * price <= equity * self.max_leverage
