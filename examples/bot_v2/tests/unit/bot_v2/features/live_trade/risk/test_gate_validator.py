"""RiskGateValidator in its new home (moved from orchestration/test_risk_gate_validator.py)."""

from decimal import Decimal

from bot_v2.features.live_trade.risk import RiskGateValidator
from bot_v2.shared.types import OrderRequest


def test_order_within_leverage_passes() -> None:
    order = OrderRequest("BTC-PERP", "buy", Decimal("1"))
    assert RiskGateValidator(max_leverage=Decimal("2")).validate(
        order, Decimal("100"), {"USD": Decimal("60")}
    )
