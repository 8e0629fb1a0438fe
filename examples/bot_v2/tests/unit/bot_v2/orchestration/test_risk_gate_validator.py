"""Risk gates, still patched through the old orchestration path."""

from decimal import Decimal

from pytest_mock import MockerFixture

from bot_v2.orchestration.risk_gate_validator import RiskGateValidator
from bot_v2.shared.types import OrderRequest


def test_engine_consults_the_risk_gate(mocker: MockerFixture) -> None:
    validate = mocker.patch("bot_v2.orchestration.risk_gate_validator.RiskGateValidator.validate")
    validate.return_value = False
    order = OrderRequest("BTC-PERP", "buy", Decimal("1"))
    assert RiskGateValidator().validate(order, Decimal("100"), {"USD": Decimal("10")}) is False
