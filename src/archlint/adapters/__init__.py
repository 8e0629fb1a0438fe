"""What users touch: the command line, the flake8 plugin, and the output formats."""
