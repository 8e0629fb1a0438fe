"""OrderReconciler: matches the engine's open orders against the broker's view."""

from __future__ import annotations

from bot_v2.shared.types import OrderRequest

from . import live_execution


class OrderReconciler:
    """Finds orders the engine believes open but the broker no longer reports."""

    def __init__(self, engine: live_execution.LiveExecutionEngine) -> None:
        self.engine = engine

    def missing(self, broker_open: list[OrderRequest]) -> list[OrderRequest]:
        """Open orders of the engine that the broker does not know."""
        return [order for order in self.engine.open_orders if order not in broker_open]
