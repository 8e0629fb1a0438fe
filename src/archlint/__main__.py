"""``python -m archlint``."""

from archlint.adapters.cli import entry_point

entry_point()
