"""Orchestration: wires the feature slices and monitoring into a running bot.

After the Phase 2 refactor this package holds only the core orchestration modules and
deprecated re-export shims for the seven modules that moved out.
"""
