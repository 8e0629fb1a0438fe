"""Portfolio valuation (moved here from ``bot_v2.orchestration.equity_calculator``)."""

from .calculator import EquityCalculator

__all__ = ["EquityCalculator"]
