"""``archlint compile``: the project's contracts as a configuration for plain lint-imports."""

from __future__ import annotations

from archlint.backend.compile import compile_config

from .project import OpenProject


def compile_project(opened: OpenProject, fmt: str) -> str:
    """The configuration text, ``"toml"`` or ``"ini"``."""
    return compile_config(opened.project, fmt)
