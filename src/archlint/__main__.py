"""``python -m archlint``."""

from archlint.adapters.entry import entry_point

entry_point()
