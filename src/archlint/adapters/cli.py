"""The ``archlint`` command.

Subcommands are thin: parse the arguments, call a use case, render its result, and return an
exit status. Only :func:`main` exits: 0 clean, 1 violations, 2 usage or configuration error
or a file that could not be read or parsed (never 1 for something archlint could not check).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from archlint import __version__
from archlint.domain.errors import ArchlintError, ConfigError
from archlint.scanning.screen import UnreadableFiles

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_ERROR = 2

if TYPE_CHECKING:
    from archlint.application.project import OpenProject
    from archlint.domain.results import GateReport

Command = Callable[[argparse.Namespace, TextIO], int]


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is returned as status 2 by main(), not raised as SystemExit
    from deep inside."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(f"{self.prog}: error: {message}")


class _UsageError(Exception):
    pass


def _add_root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root",
        type=Path,
        metavar="DIR",
        help="the project folder (default: the nearest folder upwards whose pyproject.toml "
        "has [tool.archlint])",
    )


def _add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of standard output"
    )


def _write(text: str, output: Path | None, out: TextIO) -> None:
    """``text`` to ``-o FILE`` when given, else to standard output."""
    if output is None:
        out.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as e:
        raise ArchlintError(f"cannot write {output}: {e.strerror}") from None


def _use_color(choice: str, out: TextIO) -> bool:
    """``--color``: always, never, or (auto) when writing to a terminal and ``NO_COLOR`` is
    not set (https://no-color.org)."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
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
        from . import render_text

        options = render_text.TextOptions(statistics=args.statistics, quiet=args.quiet)
        lines = render_text.render_report(report, Locator(opened), options)
        if _use_color(args.color, out):
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
    for unreadable in report.unreadable if args.format != "text" else ():
        print(f"error: {unreadable}", file=sys.stderr)
    if report.unreadable:
        if args.format == "text":
            for unreadable in report.unreadable:
                print(f"error: {unreadable}", file=sys.stderr)
        return EXIT_ERROR
    if ratchet is not None:
        from .render_baseline import render_ratchet

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
        raise _UsageError("archlint check: --write-baseline and --baseline: choose one")
    if args.write_baseline is not None and args.contract:
        raise _UsageError(
            "archlint check: --write-baseline records every contract: drop --contract"
        )
    if args.no_baseline and (args.baseline is not None or args.strict_baseline):
        raise _UsageError("archlint check: --no-baseline with --baseline or --strict-baseline")


def _baseline_file(args: argparse.Namespace, opened: OpenProject) -> tuple[Path, str] | None:
    """The baseline to judge by: ``--baseline FILE``, else ``[tool.archlint] baseline``."""
    from archlint.application.baseline_setting import settings_baseline

    if args.no_baseline:
        return None
    if args.baseline is not None:
        return args.baseline, str(args.baseline)
    chosen = settings_baseline(opened)
    if chosen is None and args.strict_baseline:
        raise _UsageError(
            "archlint check: --strict-baseline needs a baseline: --baseline FILE, or "
            "[tool.archlint] baseline"
        )
    return chosen


def _write_baseline(
    args: argparse.Namespace, opened: OpenProject, report: GateReport, out: TextIO
) -> int:
    from archlint.application.baseline import DEFAULT_BASELINE, record, write_baseline
    from archlint.config.loader import display_path

    from .render_baseline import render_recorded

    configured = opened.project.settings.baseline
    if args.write_baseline:
        path = Path(args.write_baseline)
    else:
        path = opened.root / (configured or DEFAULT_BASELINE)
    recorded = record(opened, report)
    if recorded.problems:
        # A baseline without the findings of an unreadable file would call them new later.
        return _unreadable(recorded.problems, "nothing written")
    write_baseline(path, recorded.text)
    is_default = configured is not None and (path.resolve() == (opened.root / configured).resolve())
    out.write(render_recorded(recorded, display_path(path), is_default=is_default))
    return EXIT_OK


def _cmd_compile(args: argparse.Namespace, out: TextIO) -> int:
    from archlint.application.compile import compile_project, format_for
    from archlint.application.project import open_project

    opened = open_project(root=args.root)
    text = compile_project(opened, format_for(args.output, args.format), args.output)
    if args.output is None:
        out.write(text)
    return EXIT_OK


def _cmd_fix(args: argparse.Namespace, out: TextIO) -> int:
    from archlint.application.fix import fix_paths
    from archlint.application.project import open_project

    from . import render_fix

    opened = open_project(root=args.root, planned=False)
    report = fix_paths(opened, args.paths, write=not args.diff)
    if args.diff:
        _write_bytes(render_fix.render_diff(report), out)
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


def _cmd_move(args: argparse.Namespace, out: TextIO) -> int:
    from archlint.application.move import MoveRequest, move
    from archlint.application.project import open_project

    from . import render_move

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


def _write_bytes(data: bytes, out: TextIO) -> None:
    """``data`` on ``out`` as they are: through its binary buffer when it has one (a real
    stdout), else decoded as UTF-8 with undecodable bytes kept as surrogates (a StringIO)."""
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        out.write(data.decode("utf-8", errors="surrogateescape"))
        return
    out.flush()
    buffer.write(data)
    buffer.flush()


def _cmd_lint(args: argparse.Namespace, out: TextIO) -> int:
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


def _cmd_explain(args: argparse.Namespace, out: TextIO) -> int:
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
        raise _UsageError(
            f"archlint explain: unknown code {args.code!r}; known: {', '.join(CODES)}"
        )
    out.write(render_rule_reference([wanted]))
    return EXIT_OK


def _cmd_report(args: argparse.Namespace, out: TextIO) -> int:
    from . import report_views

    text, problems = report_views.run(args)
    _write(text, args.output, out)
    return _unreadable(problems, "counted without its imports")


def _unreadable(problems: Sequence[str], what: str) -> int:
    """Print a ``FILE:LINE: why`` line per file that could not be read; exit 2 when any."""
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        return EXIT_OK
    count = len(problems)
    print(
        f"archlint: {count} file{'s' if count != 1 else ''} could not be read or parsed ({what})",
        file=sys.stderr,
    )
    return EXIT_ERROR


def _cmd_graph(args: argparse.Namespace, out: TextIO) -> int:
    from archlint.application.graph import project_graph

    from . import render_graph

    result = project_graph(root=args.root)
    _write(render_graph.render(result.graph, args.format), args.output, out)
    return _unreadable(result.problems, "drawn without its imports")


def _cmd_init(args: argparse.Namespace, out: TextIO) -> int:
    folder = args.root or Path.cwd()
    if args.from_importlinter is not None:
        from archlint.application.migrate import migrate

        from .render_adopt import render_migration

        given = None if args.from_importlinter == "" else Path(args.from_importlinter)
        result = migrate(folder, given, force=args.force, compare=not args.no_compare)
        out.write(render_migration(result))
        return EXIT_OK if result.verdicts_match else EXIT_VIOLATIONS
    from archlint.application.init import init_project

    from .render_adopt import render_init

    out.write(render_init(init_project(folder, force=args.force)))
    return EXIT_OK


def _cmd_export(args: argparse.Namespace, out: TextIO) -> int:
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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = _Parser(
        prog="archlint",
        description="Architecture contracts in TOML, checked on the whole import graph.",
    )
    parser.add_argument("--version", action="version", version=f"archlint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser(
        "check",
        help="the gate: every contract on the whole import graph, and the per-file rules "
        "(deprecations, direct breaks) over every Python file",
        description="Check every contract on the whole import graph, and every Python file of "
        "the project (tests included; [tool.archlint] exclude and what git ignores left out) "
        "with the per-file rules: deprecated imports and strings (ARC0xx) and direct imports "
        "that break a contract (ARC1xx). Exit 1 on any finding, 2 when the configuration is "
        "wrong or a file could not be read.",
    )
    _add_root(p)
    p.add_argument(
        "--format",
        choices=("text", "json", "sarif", "github"),
        default="text",
        help="output format (default: text)",
    )
    p.add_argument(
        "--contract",
        action="append",
        default=[],
        metavar="ID",
        help="check only this contract, and only its direct breaks per file (repeatable; "
        "deprecations are then not checked)",
    )
    p.add_argument("--no-cache", action="store_true", help="build the graph without the cache")
    p.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="processes for the per-file rules: 1 for one, 2 to check the deprecations while "
        "the graph is built (default: ARCHLINT_JOBS, else 2 on more than one core)",
    )
    p.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text output (default: auto, when writing to a terminal and NO_COLOR "
        "is not set)",
    )
    p.add_argument("--statistics", action="store_true", help="counts per contract and per code")
    p.add_argument("-q", "--quiet", action="store_true", help="print the summary only")
    p.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 even with findings (a configuration error or unreadable file still exits 2)",
    )
    p.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="findings this file records (written by --write-baseline, or an earlier "
        "'--format json' report) do not fail the check, new ones do (default: [tool.archlint] "
        "baseline)",
    )
    p.add_argument(
        "--write-baseline",
        nargs="?",
        const="",
        metavar="FILE",
        help="record today's findings in FILE (default: [tool.archlint] baseline, else "
        "archlint-baseline.toml next to pyproject.toml) and exit 0",
    )
    p.add_argument(
        "--strict-baseline",
        action="store_true",
        help="also fail when a baseline entry no longer occurs, so the baseline can only shrink",
    )
    p.add_argument(
        "--no-baseline", action="store_true", help="ignore [tool.archlint] baseline: show all"
    )
    p.set_defaults(run=_cmd_check)

    p = sub.add_parser("compile", help="write the contracts as a lint-imports configuration")
    _add_root(p)
    p.add_argument(
        "--format",
        choices=("ini", "toml"),
        help="configuration format (default: ini for -o *.ini, *.cfg or .importlinter, else toml)",
    )
    _add_output(p)
    p.set_defaults(run=_cmd_compile)

    p = sub.add_parser(
        "report",
        help="figures per package (modules, lines, import cycles, import depth), "
        "before / after with --compare",
        description="For each root package and each package a contract names: modules (.py "
        "files other than __init__.py), lines (physical lines of every .py file, __init__.py "
        "included), mutual imports and cycle tangles (strongly connected components) among its "
        "own modules, and import depth (modules on the longest import chain, a tangle counting "
        "as one). Imports inside functions and under TYPE_CHECKING count.",
    )
    _add_root(p)
    p.add_argument(
        "--compare",
        metavar="GIT_REF",
        help="also read the tree at GIT_REF (without touching the working tree) and show "
        "Before / After / Change",
    )
    p.add_argument(
        "--history",
        metavar="REV_RANGE",
        help="the figures of every commit of REV_RANGE (e.g. main~50..main), read without "
        "touching the working tree: deprecated references, contract breaks, cycles",
    )
    p.add_argument(
        "--every", type=int, default=1, metavar="N", help="with --history: every Nth commit"
    )
    p.add_argument(
        "--format",
        choices=("text", "markdown", "json", "csv", "html"),
        default="text",
        help="output format (default: text; html: a self-contained page, best with -o; "
        "csv: with --history)",
    )
    _add_output(p)
    p.set_defaults(run=_cmd_report)

    p = sub.add_parser(
        "graph",
        help="the package-level import graph, imports that break a contract in red",
        description="Nodes: the layer modules of layers contracts, the children of each root "
        "package and the modules independence contracts name; each module belongs to the "
        "finest of these that holds it. Edges count the imports between nodes; red edges "
        "hold imports that break a contract (directly, or on a cycle an acyclic contract "
        "forbids).",
    )
    _add_root(p)
    p.add_argument(
        "--format",
        choices=("dot", "mermaid", "svg"),
        default="dot",
        help="output format (default: dot; svg needs Graphviz's dot on PATH)",
    )
    _add_output(p)
    p.set_defaults(run=_cmd_graph)

    p = sub.add_parser(
        "fix", help="rewrite deprecated imports and module paths in strings to their replacements"
    )
    _add_root(p)
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files and folders to fix (default: the source roots and tests/)",
    )
    p.add_argument(
        "--diff",
        action="store_true",
        help="print a unified diff of the changes instead of making them; exit 1 if any",
    )
    p.set_defaults(run=_cmd_fix)

    p = sub.add_parser("move", help="move a module or package: shim, deprecation, rewrite, verify")
    _add_root(p)
    p.add_argument("old", metavar="OLD", help="the dotted name of the module or package to move")
    p.add_argument("new", metavar="NEW", help="its new dotted name")
    p.add_argument("--dry-run", action="store_true", help="print the plan only; write nothing")
    p.add_argument(
        "--no-shim",
        action="store_true",
        help="leave nothing at the old path (a removal); its deprecation ends today",
    )
    p.add_argument("--why", metavar="TEXT", help="the deprecation's why")
    p.set_defaults(run=_cmd_move)

    p = sub.add_parser(
        "lint",
        help="the flake8 plugin's checks (ARC codes) over files, without flake8",
        description="Report every ARC finding the flake8 plugin would, as path:line:col: "
        "CODE message. Exit 1 when there is any; 2 when a file could not be read or parsed "
        "(one FILE:LINE: why line each on standard error).",
    )
    _add_root(p)
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files and folders to check (default: the source roots and tests/)",
    )
    p.add_argument(
        "--select",
        default="",
        metavar="CODES",
        help="comma-separated code prefixes, e.g. ARC0 for deprecations only (default: all)",
    )
    p.set_defaults(run=_cmd_lint)

    p = sub.add_parser(
        "init",
        help="write starter contracts, or migrate an import-linter configuration",
        description="Infer starter contracts (layers, independence, acyclic) from the imports "
        "and write them to contracts/inferred.toml, each holding today. "
        "With --from-importlinter: read .importlinter, setup.cfg or "
        "[tool.importlinter] in pyproject.toml (or FILE) with import-linter's reader, write "
        "[tool.archlint] and contracts/importlinter.toml, then run archlint check and "
        "lint-imports and compare their verdicts contract by contract (exit 1 if one differs).",
    )
    p.add_argument(
        "--root", type=Path, metavar="DIR", help="the project folder (default: the current one)"
    )
    p.add_argument(
        "--from-importlinter",
        nargs="?",
        const="",
        metavar="FILE",
        help="migrate this import-linter configuration (default: the one lint-imports finds)",
    )
    p.add_argument(
        "--force", action="store_true", help="overwrite the contract file (and [tool.archlint])"
    )
    p.add_argument(
        "--no-compare", action="store_true", help="write only; do not run both tools to compare"
    )
    p.set_defaults(run=_cmd_init)

    p = sub.add_parser(
        "export",
        help="write the deprecations for another tool: ruff's banned-api (TID251)",
        description="Write [tool.ruff.lint.flake8-tidy-imports.banned-api] into pyproject.toml "
        "(or -o FILE; a ruff.toml gets [lint.flake8-tidy-imports.banned-api]; -o - prints it), "
        "keeping every other byte and your own entries.",
    )
    p.add_argument("tool", choices=("ruff",), help="the tool to write for")
    _add_root(p)
    _add_output(p)
    p.set_defaults(run=_cmd_export)

    p = sub.add_parser("explain", help="what an ARC code flags, why, and how to fix it")
    p.add_argument("code", nargs="?", help="e.g. ARC001 (default: list every code)")
    p.add_argument("--markdown", action="store_true", help="every code, as the README shows it")
    p.set_defaults(run=_cmd_explain)
    return parser


#: The exit status when the reader of the output went away (``archlint check | head``):
#: what a shell reports for a command ended by SIGPIPE.
EXIT_BROKEN_PIPE = 128 + 13


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run archlint; return the exit status (the console script exits with it)."""
    if out is None:
        # Standard output closed (``>&-``): the verdict is the exit status alone.
        out = sys.stdout if sys.stdout is not None else open(os.devnull, "w")  # noqa: SIM115
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "command", None):
            parser.print_help(out)
            return EXIT_ERROR
        status: int = args.run(args, out)
        return status
    except _UsageError as e:
        parser.print_usage(sys.stderr)
        print(e, file=sys.stderr)
        return EXIT_ERROR
    except UnreadableFiles as e:
        from archlint.config.loader import display_path

        for bad in e.bad_files:
            print(bad.show(display_path), file=sys.stderr)
        count = len(e.bad_files)
        print(
            f"archlint: {count} file{'s' if count != 1 else ''} could not be read or parsed",
            file=sys.stderr,
        )
        return EXIT_ERROR
    except ConfigError as e:
        for problem in e.problems:
            print(f"error: {problem}", file=sys.stderr)
        count = len(e.problems)
        print(f"archlint: {count} configuration error{'s' if count != 1 else ''}", file=sys.stderr)
        return EXIT_ERROR
    except ArchlintError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader stopped reading: end quietly. What is still buffered for it goes
        # nowhere, instead of failing again when Python flushes it at exit.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


if __name__ == "__main__":
    sys.exit(main())
