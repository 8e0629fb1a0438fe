"""Deprecated: ``RiskGateValidator`` has moved to ``bot_v2.features.live_trade.risk``.

Moved in the Phase 2 Tier 2 extraction (2025-10-05). This thin shim only re-exports it so
that old imports keep working for a while; import it from its new home instead::

    from bot_v2.features.live_trade.risk import RiskGateValidator
"""

import warnings

from ..features.live_trade.risk import RiskGateValidator

__all__ = ["RiskGateValidator"]

warnings.warn(
    "bot_v2.orchestration.risk_gate_validator is deprecated: "
    "import RiskGateValidator from bot_v2.features.live_trade.risk",
    DeprecationWarning,
    stacklevel=2,
)
