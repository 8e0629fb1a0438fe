"""``archlint lint``: the flake8 plugin's checks over a tree, without flake8.

The same rules and the same findings as the plugin, for CI jobs and hooks that do not run
flake8, and for deprecation scans: when only ARC0 codes are selected, a file whose text names
no deprecated path is not even parsed.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from archlint.domain.model import Project
from archlint.scanning.screen import (
    BadFile,
    read_source,
)
from archlint.scanning.source import SourceError, decode_source, parse_source

from .file_rules import FileRules
from .files import default_paths, display_path, python_files
from .lint import Finding, climbing_import_in, lint_tree
from .shims import shim_at


@dataclass(frozen=True)
class LintResult:
    """Every finding, by file, and the files that could not be read."""

    findings: tuple[tuple[str, Finding], ...]
    problems: tuple[str, ...]
    files: int


def selected(code: str, select: Sequence[str]) -> bool:
    """Whether ``code`` is chosen by ``select`` (prefixes, as flake8 and ruff read them)."""
    return not select or any(code.startswith(prefix) for prefix in select)


def is_shim(rules: FileRules, path: Path) -> bool:
    """Whether ``path`` is a shim (its text is needed for ARC004 even when it names no
    deprecated path)."""
    module = rules.module_of(str(path))
    return (
        module is not None and shim_at(rules.deprecations, rules.modules, module.name) is not None
    )


def lint_paths(
    project: Project, paths: Sequence[Path] = (), select: Sequence[str] = ()
) -> LintResult:
    """Check every Python file of ``paths`` (default: the source roots and ``tests/``).

    ``project`` must have been validated (:func:`~archlint.application.project.open_project`),
    as the flake8 plugin and ``archlint check`` validate it. Findings suppressed by
    ``# noqa`` are left out.
    """
    rules = FileRules.compile(project)
    deprecations_only = bool(select) and all(prefix.startswith("ARC0") for prefix in select)
    cwd = Path.cwd()
    findings: list[tuple[str, Finding]] = []
    problems: list[str] = []
    files = python_files(paths if paths else default_paths(project))
    for path in files:
        shown = display_path(path, cwd)
        try:
            text = decode_source(read_source(path), shown)
            if (
                deprecations_only
                and not rules.deprecations.could_mention(text, rules.package_of(str(path)))
                and not is_shim(rules, path)  # shims (issue 12): ARC004 needs the tree
            ):
                continue
            tree = parse_source(text, shown)
        except SourceError as e:
            problems.append(BadFile.from_source_error(path, e).shown_as(shown))
            continue
        except OSError as e:
            problems.append(BadFile.from_os_error(path, e).shown_as(shown))
            continue
        # A relative import above the top package is a bad file, as in check, for modules
        # of the root packages (check reads no other).
        climbing = climbing_import_in(rules, rules.module_of(str(path)), str(path), tree)
        if climbing is not None:
            problems.append(f"{shown}:{climbing[0]}: {climbing[1]}")
            continue
        for finding in lint_tree(
            rules, tree, os.path.abspath(path), text, contracts=not deprecations_only
        ):
            if selected(finding.code, select):
                findings.append((shown, finding))
    return LintResult(tuple(findings), tuple(problems), len(files))
