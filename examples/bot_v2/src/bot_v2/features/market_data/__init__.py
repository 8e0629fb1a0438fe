"""Market data slice: quotes and market activity monitoring."""

from bot_v2.features.market_data.monitoring.activity_monitor import MarketActivityMonitor
from bot_v2.features.market_data.service import MarketDataService

__all__ = ["MarketActivityMonitor", "MarketDataService"]
