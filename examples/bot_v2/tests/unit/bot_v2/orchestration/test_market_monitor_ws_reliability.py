"""Websocket reliability of the market monitor (not yet moved: still uses the old paths)."""

from unittest import mock

from bot_v2.orchestration.market_monitor import MarketActivityMonitor


def test_quiet_symbol_is_stale() -> None:
    monitor = MarketActivityMonitor(max_staleness_s=1.0)
    monitor.record_update("BTC-PERP", at=0.0)
    assert monitor.is_stale("BTC-PERP", now=2.0)


@mock.patch("bot_v2.orchestration.market_monitor.MarketActivityMonitor.record_update")
def test_reconnect_records_an_update(record_update: mock.MagicMock) -> None:
    MarketActivityMonitor().record_update("ETH-PERP")
    record_update.assert_called_once_with("ETH-PERP")
