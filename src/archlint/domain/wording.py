"""Counts in words that agree with their numbers: ``1 file``, ``2 files``."""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """``noun``, with an ``s`` unless ``count`` is 1."""
    return noun if count == 1 else f"{noun}s"


def counted(count: int, noun: str) -> str:
    """``count`` and ``noun`` in agreement: ``1 file``, ``2 files``."""
    return f"{count} {plural(count, noun)}"
