"""bot_v2: a perpetual-futures trading bot (archlint example, trimmed to its imports)."""
