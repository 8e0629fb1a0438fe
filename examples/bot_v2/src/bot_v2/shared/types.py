"""Plain value types shared by every layer."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class BotConfig:
    """What the bot trades and how."""

    symbols: tuple[str, ...] = ("BTC-PERP",)
    profile: str = "spot"
    dry_run: bool = True


@dataclass(frozen=True)
class Quote:
    """Best bid and ask for one symbol."""

    symbol: str
    bid: Decimal
    ask: Decimal

    @property
    def mid(self) -> Decimal:
        """The mid price."""
        return (self.bid + self.ask) / 2


@dataclass(frozen=True)
class OrderRequest:
    """An order the bot wants to place."""

    symbol: str
    side: str
    quantity: Decimal


class IBotRuntime(Protocol):
    """What services may ask of a running bot (Phase 1's cycle-breaking protocol)."""

    config: BotConfig

    def is_running(self) -> bool: ...

    def run_cycle(self) -> None: ...
