"""The ``archlint`` argument parser: every subcommand, its options and its help."""

from __future__ import annotations

import argparse
from pathlib import Path

from archlint import __version__

from . import commands
from .base import UsageError
from .check import cmd_check


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is returned as status 2 by main(), not raised as SystemExit
    from deep inside."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: error: {message}")


def add_root(parser: argparse.ArgumentParser) -> None:
    """``--root DIR``: the project folder."""
    parser.add_argument(
        "--root",
        type=Path,
        metavar="DIR",
        help="the project folder (default: the nearest folder upwards whose pyproject.toml "
        "has [tool.archlint])",
    )


def add_output(parser: argparse.ArgumentParser) -> None:
    """``-o FILE``: where the output goes instead of standard output."""
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of standard output"
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = Parser(
        prog="archlint",
        description="Architecture contracts in TOML, checked on the whole import graph.",
    )
    parser.add_argument("--version", action="version", version=f"archlint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

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
    add_root(p)
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
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("compile", help="write the contracts as a lint-imports configuration")
    add_root(p)
    p.add_argument(
        "--format",
        choices=("ini", "toml"),
        help="configuration format (default: ini for -o *.ini, *.cfg or .importlinter, else toml)",
    )
    add_output(p)
    p.set_defaults(run=commands.cmd_compile)

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
    add_root(p)
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
    add_output(p)
    p.set_defaults(run=commands.cmd_report)

    p = sub.add_parser(
        "graph",
        help="the package-level import graph, imports that break a contract in red",
        description="Nodes: the layer modules of layers contracts, the children of each root "
        "package and the modules independence contracts name; each module belongs to the "
        "finest of these that holds it. Edges count the imports between nodes; red edges "
        "hold imports that break a contract (directly, or on a cycle an acyclic contract "
        "forbids).",
    )
    add_root(p)
    p.add_argument(
        "--format",
        choices=("dot", "mermaid", "svg"),
        default="dot",
        help="output format (default: dot; svg needs Graphviz's dot on PATH)",
    )
    add_output(p)
    p.set_defaults(run=commands.cmd_graph)

    p = sub.add_parser(
        "fix", help="rewrite deprecated imports and module paths in strings to their replacements"
    )
    add_root(p)
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
    p.set_defaults(run=commands.cmd_fix)

    p = sub.add_parser("move", help="move a module or package: shim, deprecation, rewrite, verify")
    add_root(p)
    p.add_argument("old", metavar="OLD", help="the dotted name of the module or package to move")
    p.add_argument("new", metavar="NEW", help="its new dotted name")
    p.add_argument("--dry-run", action="store_true", help="print the plan only; write nothing")
    p.add_argument(
        "--no-shim",
        action="store_true",
        help="leave nothing at the old path (a removal); its deprecation ends today",
    )
    p.add_argument("--why", metavar="TEXT", help="the deprecation's why")
    p.set_defaults(run=commands.cmd_move)

    p = sub.add_parser(
        "lint",
        help="the flake8 plugin's checks (ARC codes) over files, without flake8",
        description="Report every ARC finding the flake8 plugin would, as path:line:col: "
        "CODE message. Exit 1 when there is any; 2 when a file could not be read or parsed "
        "(one FILE:LINE: why line each on standard error).",
    )
    add_root(p)
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
    p.set_defaults(run=commands.cmd_lint)

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
    p.set_defaults(run=commands.cmd_init)

    p = sub.add_parser(
        "export",
        help="write the deprecations for another tool: ruff's banned-api (TID251)",
        description="Write [tool.ruff.lint.flake8-tidy-imports.banned-api] into pyproject.toml "
        "(or -o FILE; a ruff.toml gets [lint.flake8-tidy-imports.banned-api]; -o - prints it), "
        "keeping every other byte and your own entries.",
    )
    p.add_argument("tool", choices=("ruff",), help="the tool to write for")
    add_root(p)
    add_output(p)
    p.set_defaults(run=commands.cmd_export)

    p = sub.add_parser("explain", help="what an ARC code flags, why, and how to fix it")
    p.add_argument("code", nargs="?", help="e.g. ARC001 (default: list every code)")
    p.add_argument("--markdown", action="store_true", help="every code, as the README shows it")
    p.set_defaults(run=commands.cmd_explain)
    return parser
