"""The flake8 plugin: ``ARC`` codes at the exact line, in editors, pre-commit and CI.

A thin adapter: flake8 hands over the AST, the file name and its lines; the work is done by
:func:`archlint.application.lint.lint_tree`. Each project's rules are loaded and compiled once
per process (flake8 ``-j`` runs several). The plugin never raises into flake8: a configuration
that cannot be loaded becomes one ARC900 at line 1 of each file of that project, and flake8
goes on with its other checks. The configuration is validated as ``archlint check`` validates
it, so that a mistake that makes ``check`` exit 2 is an ARC900 here, never silence.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from archlint import __version__

# Imported here, when flake8 loads its plugins in its main process, rather than on the first
# file: flake8 -j N forks its workers after that, so they share these modules instead of each
# importing them again.
from archlint.application.file_rules import FileRules
from archlint.application.lint import lint_tree
from archlint.application.project import check_configuration
from archlint.config.cache import load_project_cached
from archlint.config.loader import PYPROJECT, has_archlint_table
from archlint.domain.codes import CODES
from archlint.domain.errors import ArchlintError, ConfigError

Message = tuple[int, int, str, type[Any]]


@dataclass(frozen=True, slots=True)
class PluginOptions:
    """The plugin's options, parsed once."""

    #: ``--archlint-root``: the project folder, instead of finding it from each file.
    root: Path | None = None


# Per process: project root -> compiled rules, or the error that stopped loading them; and
# folder -> project root (or None), so that finding the project costs a dict lookup per file.
_RULES: dict[Path, Any] = {}
_ROOT_OF_DIR: dict[str, Path | None] = {}


def _project_root(folder: str, options: PluginOptions) -> Path | None:
    if options.root is not None:
        return options.root
    if folder in _ROOT_OF_DIR:
        return _ROOT_OF_DIR[folder]
    found: Path | None = None
    visited = []
    current = folder
    while True:
        if current in _ROOT_OF_DIR:
            found = _ROOT_OF_DIR[current]
            break
        visited.append(current)
        if has_archlint_table(Path(current) / PYPROJECT):
            found = Path(current)
            break
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    for name in visited:
        _ROOT_OF_DIR[name] = found
    return found


def _rules_for(root: Path) -> Any:
    """The compiled rules of the project at ``root``, or the error loading them raised.

    The configuration is validated exactly as ``archlint check`` validates it (root packages
    in the source roots, modules and layers that must exist), once per process, before
    ``-j`` forks when flake8 runs in the project; the source roots are walked only when a
    contract needs the whole list of modules (a wildcard) or something is wrong.
    """
    if root not in _RULES:
        try:
            project = load_project_cached(root)
            check_configuration(project)
            _RULES[root] = FileRules.compile(project)
        except ArchlintError as e:
            _RULES[root] = e
    return _RULES[root]


def _config_error_reason(error: ArchlintError) -> str:
    if isinstance(error, ConfigError):
        first = str(error.problems[0])
        more = len(error.problems) - 1
        return first + (f" (and {more} more: run 'archlint check')" if more else "")
    return str(error)


class ArchlintChecker:
    """flake8 entry point ``ARC``."""

    name = "archlint"
    version = __version__
    options: ClassVar[PluginOptions] = PluginOptions()

    def __init__(self, tree: ast.Module, filename: str, lines: list[str]) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines

    @classmethod
    def add_options(cls, parser: Any) -> None:
        """Register ``--archlint-root``."""
        parser.add_option(
            "--archlint-root",
            default=None,
            parse_from_config=True,
            help="archlint: the project folder holding pyproject.toml with [tool.archlint] "
            "(default: found from each checked file upwards)",
        )

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        """Keep the parsed options as one frozen object, and load the rules of the project
        flake8 runs in, once, before ``-j N`` forks its workers (which then share them)."""
        root = getattr(options, "archlint_root", None)
        cls.options = PluginOptions(root=Path(root).resolve() if root else None)
        # Only a head start: if anything goes wrong here, the same loading happens again for
        # the first file, and its error is reported there as ARC900.
        with contextlib.suppress(Exception):
            project = _project_root(os.getcwd(), cls.options)
            if project is not None:
                _rules_for(project)

    def run(self) -> Iterator[Message]:
        """Yield ``(line, col, "ARCnnn message", type)`` for each finding."""
        try:
            yield from self._run()
        except Exception as e:
            message = f"internal error: {type(e).__name__}: {e} (please report this)"
            yield 1, 0, CODES["ARC900"].message(reason=message), type(self)

    def _run(self) -> Iterator[Message]:
        path = os.path.abspath(self.filename)
        root = _project_root(os.path.dirname(path), self.options)
        if root is None:
            return
        rules = _rules_for(root)
        if isinstance(rules, ArchlintError):
            yield 1, 0, CODES["ARC900"].message(reason=_config_error_reason(rules)), type(self)
            return
        # flake8 applies the noqa comments itself (and knows --disable-noqa).
        for finding in lint_tree(rules, self.tree, path, "".join(self.lines), noqa=False):
            yield finding.line, finding.col, finding.text, type(self)
