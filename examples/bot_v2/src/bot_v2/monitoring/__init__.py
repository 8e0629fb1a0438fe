"""Monitoring: telemetry and health reporting. Independent of ``bot_v2.features``."""
