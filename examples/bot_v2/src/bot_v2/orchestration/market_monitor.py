"""Deprecated: ``MarketActivityMonitor`` has moved to ``bot_v2.features.market_data``.

Moved in the Phase 2 Tier 1 extraction (2025-10-05). This thin shim only re-exports it so
that old imports keep working for a while; import it from its new home instead::

    from bot_v2.features.market_data import MarketActivityMonitor
"""

import warnings

from bot_v2.features.market_data import MarketActivityMonitor

__all__ = ["MarketActivityMonitor"]

warnings.warn(
    "bot_v2.orchestration.market_monitor is deprecated: "
    "import MarketActivityMonitor from bot_v2.features.market_data",
    DeprecationWarning,
    stacklevel=2,
)
