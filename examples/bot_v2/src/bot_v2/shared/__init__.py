"""Shared building blocks: plain types and helpers every layer may use."""
