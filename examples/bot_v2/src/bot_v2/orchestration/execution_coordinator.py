"""ExecutionCoordinator: normalises and routes orders for the live execution engine."""

from __future__ import annotations

from bot_v2.orchestration import live_execution
from bot_v2.shared.types import OrderRequest

try:
    from bot_v2.orchestration.symbols import SymbolUtils
except ImportError:
    from bot_v2.shared.symbol_utils import SymbolUtils


class ExecutionCoordinator:
    """Routes orders back to the engine once their symbols are normalised."""

    def __init__(self, engine: live_execution.LiveExecutionEngine) -> None:
        self.engine = engine

    def submit(self, order: OrderRequest) -> None:
        """Normalise the order's symbol and hand it to the engine."""
        symbol = SymbolUtils.normalize(order.symbol)
        self.engine.place(OrderRequest(symbol=symbol, side=order.side, quantity=order.quantity))
