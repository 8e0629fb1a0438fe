"""SpotProfileService: per-symbol limits for SPOT trading profiles."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bot_v2.features.market_data import MarketDataService
from bot_v2.shared.symbol_utils import SymbolUtils


@dataclass(frozen=True)
class SpotProfile:
    """Limits for one symbol."""

    symbol: str
    max_notional: Decimal


class SpotProfileService:
    """Loads profiles and sizes orders against the current market price."""

    def __init__(self, market_data: MarketDataService | None = None) -> None:
        self.market_data = market_data or MarketDataService()
        self._profiles: dict[str, SpotProfile] = {}

    def load(self, symbol: str, max_notional: Decimal) -> SpotProfile:
        """Register the profile of ``symbol``."""
        profile = SpotProfile(SymbolUtils.normalize(symbol), max_notional)
        self._profiles[profile.symbol] = profile
        return profile

    def max_quantity(self, symbol: str) -> Decimal:
        """The largest quantity the profile allows at the current mid price."""
        profile = self._profiles[SymbolUtils.normalize(symbol)]
        return profile.max_notional / self.market_data.fetch(symbol).mid
