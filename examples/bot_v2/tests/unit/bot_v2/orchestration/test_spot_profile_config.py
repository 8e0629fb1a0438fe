"""SPOT profile configuration, still written against the removed symbols wrapper."""

from decimal import Decimal

import pytest

from bot_v2.orchestration.symbols import SymbolUtils

spot_profile_service = pytest.importorskip("bot_v2.orchestration.spot_profile_service")


def test_profile_symbols_are_normalized() -> None:
    service = spot_profile_service.SpotProfileService()
    profile = service.load(" btc-usd ", max_notional=Decimal("500"))
    assert profile.symbol == SymbolUtils.normalize("BTC-USD")
