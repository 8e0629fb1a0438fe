"""The model: frozen dataclasses and pure functions. Knows nothing of flake8, import-linter,
files or the terminal."""
