"""SPOT trading profiles (moved here from ``bot_v2.orchestration.spot_profile_service``)."""

from bot_v2.features.live_trade.profiles.service import SpotProfileService

__all__ = ["SpotProfileService"]
