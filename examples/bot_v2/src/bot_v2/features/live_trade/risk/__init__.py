"""Risk gates and validation (moved here from ``bot_v2.orchestration.risk_gate_validator``)."""

from bot_v2.features.live_trade.risk.gate_validator import RiskGateValidator

__all__ = ["RiskGateValidator"]
