"""Feature slices. Each slice (``live_trade``, ``market_data``) stands alone: no slice
imports another; orchestration composes them."""
