"""Command-line entry point: builds a PerpsBot and runs it once.

This module sits above the layers (it is not in ``orchestration``), so it may import
anything; it is also the only importer the ``protected`` contract allows for the builder.
"""

from __future__ import annotations

import argparse

from bot_v2.orchestration.account_telemetry import (
    AccountTelemetryService,
)
from bot_v2.orchestration.perps_bot_builder import PerpsBotBuilder
from bot_v2.shared.types import BotConfig


def parse_args(argv: list[str] | None = None) -> BotConfig:
    """Turn command-line arguments into a BotConfig."""
    parser = argparse.ArgumentParser(prog="bot-v2")
    parser.add_argument("--symbol", action="append", default=[])
    parser.add_argument("--profile", default="spot")
    parser.add_argument("--live", action="store_true")
    args = parser.parse_args(argv)
    symbols = tuple(args.symbol or ["BTC-PERP"])
    return BotConfig(symbols=symbols, profile=args.profile, dry_run=not args.live)


def main(argv: list[str] | None = None) -> int:
    """Build the bot from the command line, run one cycle and print the account snapshot."""
    config = parse_args(argv)
    bot = PerpsBotBuilder(config).build()
    bot.run_cycle()
    print(AccountTelemetryService(account_id=config.profile).snapshot())
    return 0
