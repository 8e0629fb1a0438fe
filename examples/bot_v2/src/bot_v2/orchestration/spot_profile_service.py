"""Deprecated: ``SpotProfileService`` has moved to ``bot_v2.features.live_trade.profiles``.

Moved in the Phase 2 Tier 2 extraction (2025-10-05). This thin shim only re-exports it so
that old imports keep working for a while; import it from its new home instead::

    from bot_v2.features.live_trade.profiles import SpotProfileService
"""

import warnings

from bot_v2.features.live_trade.profiles import SpotProfileService

__all__ = ["SpotProfileService"]

warnings.warn(
    "bot_v2.orchestration.spot_profile_service is deprecated: "
    "import SpotProfileService from bot_v2.features.live_trade.profiles",
    DeprecationWarning,
    stacklevel=2,
)
