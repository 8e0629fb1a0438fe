"""MarketActivityMonitor: notices when a symbol's stream goes quiet.

Moved from ``orchestration.market_monitor``. Its directory, ``features/market_data/monitoring/``,
has no ``__init__.py``: it is a namespace package inside a regular one.
"""

from __future__ import annotations

import time

from ..service import MarketDataService


class MarketActivityMonitor:
    """Tracks the time of the last update per symbol."""

    def __init__(
        self, max_staleness_s: float = 5.0, service: MarketDataService | None = None
    ) -> None:
        self.max_staleness_s = max_staleness_s
        self.service = service
        self._last_update: dict[str, float] = {}

    def record_update(self, symbol: str, at: float | None = None) -> None:
        """Note that ``symbol`` just received an update."""
        self._last_update[symbol] = time.monotonic() if at is None else at

    def is_stale(self, symbol: str, now: float | None = None) -> bool:
        """Whether ``symbol`` has been quiet for longer than allowed."""
        last = self._last_update.get(symbol)
        now = time.monotonic() if now is None else now
        return last is None or now - last > self.max_staleness_s
