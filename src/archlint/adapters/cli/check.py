"""``archlint check``: the gate, its baseline options, and its output."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .base import EXIT_ERROR, EXIT_OK, EXIT_VIOLATIONS, UsageError, report_unreadable

if TYPE_CHECKING:
    from archlint.application.project import OpenProject
    from archlint.domain.results import GateReport


def use_color(choice: str, out: TextIO) -> bool:
    """``--color``: always, never, or (auto) when writing to a terminal and ``NO_COLOR`` is
    not set (https://no-color.org)."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    from archlint.application.gate import Locator, gate
    from archlint.application.project import open_project

    _check_baseline_options(args)
    opened = open_project(root=args.root)
    for warning in opened.warnings:  # planned moves: shown, never a failure
        print(f"warning: {warning}", file=sys.stderr)
    report = gate(opened, args.contract, use_cache=not args.no_cache, jobs=args.jobs)
    if args.write_baseline is not None:
        return _write_baseline(args, opened, report, out)
    ratchet = None
    chosen = _baseline_file(args, opened)
    if chosen is not None:
        from archlint.application.baseline import judge, read_baseline

        baseline = read_baseline(*chosen)
        ratchet = judge(opened, report, baseline, all_contracts=not args.contract)
        report = ratchet.report
    if args.format == "text":
        from .. import render_text

        options = render_text.TextOptions(
            statistics=args.statistics, quiet=args.quiet, baseline=ratchet is not None
        )
        lines = render_text.render_report(report, Locator(opened), options)
        if use_color(args.color, out):
            render_text.write_styled(lines, out)
        else:
            out.write(render_text.to_plain(lines))
    else:
        from archlint.adapters import render_machine

        out.write(render_machine.render(report, args.format, opened))
    # A shim removed before its remove_after is a warning (ARC004, a shim that grew code, is
    # one of the per-file findings above).
    from archlint.application.shim_check import check_shims

    if not args.contract:
        shims = check_shims(opened)
        for line in [*shims.warnings, *(f"error: {p}" for p in shims.problems)]:
            print(line, file=sys.stderr)
        if shims.problems:
            return EXIT_ERROR
    for unreadable in report.unreadable:
        print(f"error: {unreadable}", file=sys.stderr)
    if report.unreadable:
        return EXIT_ERROR
    if ratchet is not None:
        from ..render_baseline import render_ratchet

        # Machine formats keep standard output for the report alone.
        (out if args.format == "text" else sys.stderr).write(
            render_ratchet(ratchet, strict=args.strict_baseline)
        )
    if args.exit_zero:
        return EXIT_OK
    if ratchet is not None:
        return EXIT_OK if ratchet.ok(strict=args.strict_baseline) else EXIT_VIOLATIONS
    return EXIT_OK if report.ok else EXIT_VIOLATIONS


def _check_baseline_options(args: argparse.Namespace) -> None:
    """Refuse the baseline options that contradict each other."""
    if args.write_baseline is not None and args.baseline is not None:
        raise UsageError("archlint check: --write-baseline and --baseline: choose one")
    if args.write_baseline is not None and args.contract:
        raise UsageError("archlint check: --write-baseline records every contract: drop --contract")
    if args.no_baseline and (args.baseline is not None or args.strict_baseline):
        raise UsageError("archlint check: --no-baseline with --baseline or --strict-baseline")


def _baseline_file(args: argparse.Namespace, opened: OpenProject) -> tuple[Path, str] | None:
    """The baseline to judge by: ``--baseline FILE``, else ``[tool.archlint] baseline``."""
    from archlint.application.baseline_setting import settings_baseline

    if args.no_baseline:
        return None
    if args.baseline is not None:
        return args.baseline, str(args.baseline)
    chosen = settings_baseline(opened)
    if chosen is None and args.strict_baseline:
        raise UsageError(
            "archlint check: --strict-baseline needs a baseline: --baseline FILE, or "
            "[tool.archlint] baseline"
        )
    return chosen


def _write_baseline(
    args: argparse.Namespace, opened: OpenProject, report: GateReport, out: TextIO
) -> int:
    from archlint.application.baseline import DEFAULT_BASELINE, record, write_baseline
    from archlint.config.loader import display_path

    from ..render_baseline import render_recorded

    configured = opened.project.settings.baseline
    if args.write_baseline:
        path = Path(args.write_baseline)
    else:
        path = opened.root / (configured or DEFAULT_BASELINE)
    recorded = record(opened, report)
    if recorded.problems:
        # A baseline without the findings of an unreadable file would call them new later.
        return report_unreadable(recorded.problems, "nothing written")
    write_baseline(path, recorded.text)
    is_default = configured is not None and (path.resolve() == (opened.root / configured).resolve())
    out.write(render_recorded(recorded, display_path(path), is_default=is_default))
    return EXIT_OK
