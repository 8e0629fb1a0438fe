"""Finding a project, reading `pyproject.toml` and `contracts/*.toml`, validating them into the
model with every error reported at once."""
