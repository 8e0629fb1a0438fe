"""AccountTelemetryService: periodic snapshots of an account's balances."""

from __future__ import annotations

from decimal import Decimal

from bot_v2.shared.types import BotConfig


class AccountTelemetryService:
    """Collects balance snapshots for one account."""

    def __init__(self, account_id: str, config: BotConfig | None = None) -> None:
        self.account_id = account_id
        self.config = config or BotConfig()
        self._balances: dict[str, Decimal] = {}

    def record_balance(self, asset: str, amount: Decimal) -> None:
        """Remember the latest balance of ``asset``."""
        self._balances[asset] = amount

    def snapshot(self) -> dict[str, object]:
        """The current snapshot, ready to log or publish."""
        return {"account": self.account_id, "balances": dict(self._balances)}
