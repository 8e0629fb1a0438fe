"""MarketDataService through its old orchestration path (moves to features/market_data)."""

from decimal import Decimal

import pytest

from bot_v2.orchestration import symbols
from bot_v2.orchestration.market_data_service import MarketDataService
from bot_v2.shared.types import Quote


def test_fetch_caches_the_quote(monkeypatch: pytest.MonkeyPatch) -> None:
    quote = Quote("BTC-PERP", Decimal("1"), Decimal("2"))
    monkeypatch.setattr(
        "bot_v2.orchestration.market_data_service.MarketDataService.fetch",
        lambda self, symbol: quote,
    )
    assert MarketDataService().fetch("btc-perp") is quote


def test_symbols_are_normalized_before_fetching() -> None:
    quote = MarketDataService().fetch(" btc-perp ")
    assert quote.symbol == symbols.SymbolUtils.normalize("BTC-PERP")
