"""LiveExecutionEngine: turns signals into orders and tracks them until filled."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from bot_v2.orchestration import order_reconciler
from bot_v2.orchestration.risk_gate_validator import RiskGateValidator
from bot_v2.shared.types import OrderRequest, Quote

from . import execution_coordinator

if TYPE_CHECKING:
    from .perps_bot import PerpsBot


class LiveExecutionEngine:
    """Places orders for the bot, after the risk gates agree."""

    def __init__(self, bot: PerpsBot) -> None:
        self.bot = bot
        self.risk = RiskGateValidator()
        self.coordinator = execution_coordinator.ExecutionCoordinator(self)
        self.reconciler = order_reconciler.OrderReconciler(self)
        self.open_orders: list[OrderRequest] = []

    def on_quote(self, quote: Quote) -> None:
        """React to a fresh quote (this example only records a probe order)."""
        order = OrderRequest(symbol=quote.symbol, side="buy", quantity=Decimal("0.01"))
        if self.risk.validate(order, quote.ask, {"USD": Decimal("1000")}):
            self.coordinator.submit(order)

    def place(self, order: OrderRequest) -> None:
        """Record ``order`` as open (a real engine would send it to the broker)."""
        if not self.bot.config.dry_run:
            self.open_orders.append(order)
