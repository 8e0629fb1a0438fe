"""Deprecated: ``EquityCalculator`` has moved to ``bot_v2.features.live_trade.equity``.

Moved in the Phase 2 Tier 1 extraction (2025-10-05). This thin shim only re-exports it so
that old imports keep working for a while; import it from its new home instead::

    from bot_v2.features.live_trade.equity import EquityCalculator
"""

import warnings

from ..features.live_trade.equity import EquityCalculator

__all__ = ["EquityCalculator"]

warnings.warn(
    "bot_v2.orchestration.equity_calculator is deprecated: "
    "import EquityCalculator from bot_v2.features.live_trade.equity",
    DeprecationWarning,
    stacklevel=2,
)
