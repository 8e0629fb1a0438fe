"""Symbol helpers (the home of SymbolUtils since ``orchestration.symbols`` was removed)."""

from __future__ import annotations


class SymbolUtils:
    """Normalise and split exchange symbols such as ``btc-perp``."""

    @staticmethod
    def normalize(symbol: str) -> str:
        """Upper-case a symbol and strip spaces."""
        return symbol.strip().upper()

    @staticmethod
    def base_asset(symbol: str) -> str:
        """``BTC-PERP`` -> ``BTC``."""
        return SymbolUtils.normalize(symbol).split("-", 1)[0]

    @staticmethod
    def is_perp(symbol: str) -> bool:
        """Whether the symbol names a perpetual future."""
        return SymbolUtils.normalize(symbol).endswith("-PERP")
