"""The ``archlint`` subcommands other than ``check``: each parses nothing itself, calls a use
case, renders its result and returns an exit status."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from .base import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_VIOLATIONS,
    UsageError,
    report_unreadable,
    write_bytes,
    write_output,
)


def cmd_compile(args: argparse.Namespace, out: TextIO) -> int:
    from archlint.application.compile import compile_project, format_for
    from archlint.application.project import open_project

    opened = open_project(root=args.root)
    text = compile_project(opened, format_for(args.output, args.format), args.output)
    if args.output is None:
        out.write(text)
    return EXIT_OK


def cmd_fix(args: argparse.Namespace, out: TextIO) -> int:
    from archlint.application.fix import fix_paths
    from archlint.application.project import open_project

    from .. import render_fix

    opened = open_project(root=args.root, planned=False)
    report = fix_paths(opened, args.paths, write=not args.diff)
    if args.diff:
        write_bytes(render_fix.render_diff(report), out)
    for site in sorted([*report.errors, *report.hand_fixes], key=lambda s: (s.path, s.line)):
        print(site, file=sys.stderr)
    for site in report.skipped:  # planned moves: listed, never a failure
        print(f"{site.path}:{site.line}:{site.col}: skipped: {site.reason}", file=sys.stderr)
    # A file that could not be read or parsed was skipped: that is never "findings" (1).
    failed = EXIT_ERROR if report.unreadable else EXIT_VIOLATIONS
    if args.diff:
        # stdout holds the diff alone, so that it can be applied with patch or git apply.
        if report.changed or not report.ok:
            print(report.summary(), file=sys.stderr)
        return failed if report.changed or not report.ok else EXIT_OK
    nothing = not report.changed and report.ok
    out.write("Nothing to fix.\n" if nothing else f"{report.summary()}\n")
    return EXIT_OK if report.ok else failed


def cmd_move(args: argparse.Namespace, out: TextIO) -> int:
    from archlint.application.move import MoveRequest, move
    from archlint.application.project import open_project

    from .. import render_move

    opened = open_project(root=args.root)
    request = MoveRequest(args.old, args.new, shim=not args.no_shim, why=args.why)
    outcome = move(opened, request, dry_run=args.dry_run)
    out.write(render_move.render_plan(outcome, dry_run=args.dry_run))
    if args.dry_run:
        return EXIT_OK
    out.write(render_move.render_done(outcome))
    hand = (
        outcome.performed is not None
        and outcome.performed.fix is not None
        and (not outcome.performed.fix.ok)
    )
    return EXIT_OK if outcome.as_planned and not hand else EXIT_VIOLATIONS


def cmd_lint(args: argparse.Namespace, out: TextIO) -> int:
    from archlint.application.lint_files import lint_paths
    from archlint.application.project import open_project

    select = [code.strip().upper() for code in args.select.split(",") if code.strip()]
    # Validated as check validates: a wrong root package or module is exit 2, never silence.
    opened = open_project(root=args.root, planned=False)
    result = lint_paths(opened.project, args.paths, select)
    for shown, finding in result.findings:
        out.write(f"{shown}:{finding.line}:{finding.col + 1}: {finding.text}\n")
    for problem in result.problems:
        print(problem, file=sys.stderr)
    count = len(result.findings)
    # Sites of planned moves are shown but do not fail (as check's warning about the plan).
    planned = sum(1 for _, finding in result.findings if finding.planned)
    if count:
        of_them = f" ({planned} of a planned move)" if planned else ""
        out.write(f"Found {count} finding{'s' if count != 1 else ''}{of_them}.\n")
    if result.problems:
        return EXIT_ERROR  # never 1 for a file that could not be checked
    return EXIT_VIOLATIONS if count > planned else EXIT_OK


def cmd_explain(args: argparse.Namespace, out: TextIO) -> int:
    from archlint.domain.codes import CODES, render_rule_reference

    if args.code is None:
        if args.markdown:
            out.write(render_rule_reference())
        else:
            for entry in CODES.values():
                out.write(f"{entry.code}  {entry.slug:30} {entry.summary}\n")
        return EXIT_OK
    wanted = args.code.upper()
    if wanted not in CODES:
        raise UsageError(f"archlint explain: unknown code {args.code!r}; known: {', '.join(CODES)}")
    out.write(render_rule_reference([wanted]))
    return EXIT_OK


def cmd_report(args: argparse.Namespace, out: TextIO) -> int:
    from .. import report_views

    text, problems = report_views.run(args)
    write_output(text, args.output, out)
    return report_unreadable(problems, "counted without its imports")


def cmd_graph(args: argparse.Namespace, out: TextIO) -> int:
    from archlint.application.graph import project_graph

    from .. import render_graph

    result = project_graph(root=args.root)
    write_output(render_graph.render(result.graph, args.format), args.output, out)
    return report_unreadable(result.problems, "drawn without its imports")


def cmd_init(args: argparse.Namespace, out: TextIO) -> int:
    folder = args.root or Path.cwd()
    if args.from_importlinter is not None:
        from archlint.application.migrate import migrate

        from ..render_adopt import render_migration

        given = None if args.from_importlinter == "" else Path(args.from_importlinter)
        result = migrate(folder, given, force=args.force, compare=not args.no_compare)
        out.write(render_migration(result))
        return EXIT_OK if result.verdicts_match else EXIT_VIOLATIONS
    from archlint.application.init import init_project

    from ..render_adopt import render_init

    out.write(render_init(init_project(folder, force=args.force)))
    return EXIT_OK


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    from archlint.application.export import export_ruff
    from archlint.application.project import load_project

    export, written = export_ruff(load_project(root=args.root), args.output)
    if written is None:
        out.write(export.text)
        return EXIT_OK
    out.write(f"Wrote {export.entries} banned-api entries to {written}")
    out.write(f" (kept {len(export.kept)} of your own).\n" if export.kept else ".\n")
    for path in export.replaced:
        out.write(f"Replaced your entry for {path}: a deprecation names it.\n")
    out.write('ruff reports them as TID251: select it (e.g. extend-select = ["TID251"]).\n')
    return EXIT_OK
