"""``archlint report``'s output, chosen from its options: the figures (text, markdown, JSON),
the HTML page, or the history of a range of commits (text, markdown, JSON, CSV, or in the page).
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from archlint.domain.errors import ArchlintError


class ReportUsageError(ArchlintError):
    """Options of ``archlint report`` that do not go together."""


def _check_options(args: argparse.Namespace) -> None:
    if args.format == "csv" and args.history is None:
        raise ReportUsageError("archlint report: --format csv needs --history")
    if args.history is not None and args.compare is not None and args.format != "html":
        raise ReportUsageError(
            "archlint report: --compare and --history go together only with --format html"
        )
    if args.every < 1:
        raise ReportUsageError(f"archlint report: --every must be 1 or more, not {args.every}")
    if args.history is None and args.every != 1:
        raise ReportUsageError("archlint report: --every needs --history")


def run(args: argparse.Namespace) -> tuple[str, tuple[str, ...]]:
    """The report ``args`` ask for, as text, and a ``FILE:LINE: why`` line for each file that
    could not be read (counted without its imports). Warnings about commits go to stderr."""
    _check_options(args)
    if args.format == "html":
        from archlint.application.overview import overview

        from .render_html import render_html

        view = overview(root=args.root, compare=args.compare)
        history_html = ""
        if args.history is not None:
            history_html = _history(args, "html", sys.stderr)
        return render_html(view, history_html), tuple(view.problems)
    if args.history is not None:
        return _history(args, args.format, sys.stderr), ()
    from archlint.application.report import report

    from . import render_report

    result = report(root=args.root, compare=args.compare)
    return render_report.render(result, args.format), tuple(result.problems)


def _history(args: argparse.Namespace, fmt: str, err: TextIO) -> str:
    from archlint.application.history import history

    from . import render_history

    found = history(args.root, args.history, args.every)
    for figures in found.commits:
        if figures.problem:
            print(f"warning: {figures.commit.sha[:12]}: {figures.problem}", file=err)
    return render_history.render(found, fmt)
