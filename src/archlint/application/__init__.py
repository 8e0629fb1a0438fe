"""Use cases: check, lint one file, fix, report. They return results; they never print or exit."""
