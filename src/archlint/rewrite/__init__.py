"""Rewriting source files: deprecated imports and string references to their replacements,
with libcst so that every byte not asked to change stays as it was."""
