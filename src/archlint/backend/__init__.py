"""The import-linter backend: the grimp graph, archlint's own contract types, and the
configuration that plain `lint-imports` reads."""
