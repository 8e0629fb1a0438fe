"""Deprecated: ``MarketDataService`` has moved to ``bot_v2.features.market_data``.

Moved in the Phase 2 Tier 1 extraction (2025-10-05). This thin shim only re-exports it so
that old imports keep working for a while; import it from its new home instead::

    from bot_v2.features.market_data import MarketDataService
"""

import warnings

from ..features.market_data import MarketDataService

__all__ = ["MarketDataService"]

warnings.warn(
    "bot_v2.orchestration.market_data_service is deprecated: "
    "import MarketDataService from bot_v2.features.market_data",
    DeprecationWarning,
    stacklevel=2,
)
