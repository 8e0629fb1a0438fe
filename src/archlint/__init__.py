"""archlint: architecture contracts in TOML, kept true by import-linter and flake8."""

__version__ = "0.1.0"
