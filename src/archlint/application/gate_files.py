"""The per-file half of ``archlint check``: each project file's findings.

:func:`lint_files` does every file in one process. With a child process
(:mod:`archlint.application.gate_fork`), :func:`deprecation_half` is what the child does,
and :func:`lint_files` given its answer what the parent does. Either way each file is
screened from its text first
(:meth:`~archlint.domain.deprecations.DeprecationIndex.last_words`), and most module files
are read as their import statements alone (:class:`QuickTrees`).
"""

from __future__ import annotations

import ast
import os
import re
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from archlint.domain.results import FileFinding
from archlint.scanning.modules import ModuleName
from archlint.scanning.screen import BadFile, read_source
from archlint.scanning.source import SourceError, decode_source, parse_source

from .file_rules import FileRules
from .gate_fork import ChildAnswer, FileResult, Lines, Walked
from .lint import Finding, climbing_import_in, lint_tree
from .project import OpenProject
from .shims import shim_at

if TYPE_CHECKING:
    from archlint.backend.run import Graphs

_CONTRACT_IN_MESSAGE = re.compile(r"breaks contract '([a-z0-9][a-z0-9_-]*)'")


def outside_segments(rules: FileRules, modules: Collection[str]) -> frozenset[str]:
    """The last segments of the deprecated paths that are not modules of the project: a file
    that writes one as a word may import such a path, which the graph may not hold (most
    files write none)."""
    return frozenset(
        d.old.rpartition(".")[2] for d in rules.project.deprecations if d.old not in modules
    )


def named_twice(opened: OpenProject) -> frozenset[str]:
    """The modules written twice (``a.py`` beside ``a/__init__.py``): the graph reads one
    file, the per-file rules read each, so the graph's lines of such a module say nothing
    for certain of either file's text. Their files are parsed whole."""
    names = Counter(m.name for m in opened.inventory)
    return frozenset(name for name, count in names.items() if count > 1)


class QuickTrees:
    """Trees of a file's import statements alone, read from the lines grimp gives
    (:mod:`archlint.application.import_lines`), for the files whose findings can only come
    from those statements: no string reference to a deprecated path, not a shim, and every
    deprecated path the file could name a module of the project (so that every import of it
    is in the graph: an import of a module outside it, or of a name, may not be)."""

    def __init__(
        self,
        rules: FileRules,
        lines_of: Callable[[str], frozenset[int]],
        modules: set[str],
        twice: frozenset[str] = frozenset(),
    ) -> None:
        self.rules = rules
        self.lines_of = lines_of
        self.outside = outside_segments(rules, modules)
        self.twice = twice

    @classmethod
    def make(
        cls,
        rules: FileRules,
        opened: OpenProject,
        graphs: Graphs,
        wanted: Callable[[str, str], bool] | None = None,
    ) -> QuickTrees | None:
        """``wanted(importer, imported)`` names the imports whose statements may hold a
        finding: only those statements are read."""
        from archlint.backend.run import import_lines

        lines_of = import_lines(graphs, wanted)
        if lines_of is None:
            return None
        return cls(rules, lines_of, set(opened.inventory.by_name), named_twice(opened))

    def with_rules(self, rules: FileRules) -> QuickTrees:
        """The same lines, read for ``rules``."""
        return QuickTrees(rules, self.lines_of, set(), self.twice)

    def tree(
        self, text: str, module: ModuleName, hits: frozenset[str], references: bool
    ) -> ast.Module | None:
        """The tree of the file's import statements, or None when the file must be parsed.
        ``hits`` and ``references`` are what the deprecation index's ``last_words`` and
        ``could_reference`` answer for ``text``."""
        from .import_lines import import_statements

        if self.rules.deprecations and (not self.outside.isdisjoint(hits) or references):
            return None
        if module.name in self.twice:
            return None
        return import_statements(text, self.lines_of(module.name))


def lint_files(
    rules: FileRules,
    files: list[Path],
    root: Path,
    suspects: frozenset[str] | None,
    quick: QuickTrees | None = None,
    answer: ChildAnswer | None = None,
    early: Mapping[str, list[FileFinding] | str | None] | None = None,
) -> tuple[list[FileFinding], list[str]]:
    """Every file's findings, and the files that could not be read.

    With the child's ``answer`` (:func:`deprecation_half`), its findings are taken for the
    files it did, and the files it could not read are done here as one process does them (so
    that the error is the same too). The files that may break a contract directly add the
    direct breaks (``early``, by path: found already) to the child's findings.
    """
    findings: list[FileFinding] = []
    unreadable: list[str] = []
    why = whys(rules)
    for path in files:
        shown = path.relative_to(root).as_posix()
        module = rules.module_of(str(path))
        contracts = module is not None and (suspects is None or module.name in suspects)
        if answer is not None:
            child = answer.results.get(shown, [])
            if isinstance(child, list) and not contracts:
                findings.extend(child)
                continue
        found: list[FileFinding] | str | Deferred | None = None
        if answer is not None and early is not None and contracts:
            # The child's deprecations and this process's direct breaks, sorted as
            # lint_tree sorts one file's findings (stable: each half keeps its order).
            ours, theirs = early.get(str(path)), answer.results.get(shown, [])
            if isinstance(ours, list) and isinstance(theirs, list):
                found = sorted([*theirs, *ours], key=lambda f: (f.line, f.col, f.code))
        if found is None:
            found = lint_file(rules, path, shown, module, contracts, quick, why)
        assert not isinstance(found, Deferred)  # only the child's files are deferred
        if isinstance(found, str):
            unreadable.append(found)
        elif found:
            findings.extend(found)
    return findings, unreadable


def lint_file(
    rules: FileRules,
    path: Path,
    shown: str,
    module: ModuleName | None,
    contracts: bool,
    quick: QuickTrees | None,
    why: dict[str, str],
    *,
    outside: frozenset[str] | None = None,
) -> list[FileFinding] | str | Deferred | None:
    """One file's findings (ARC1xx only with ``contracts``); None when the file need not be
    looked into, a line saying why when it cannot be read.

    ``outside`` (:func:`outside_segments`) asks for the child's answer
    (:func:`deprecation_half`): a :class:`Deferred` for a file one process would read as a
    quick tree, finished once the graph's lines come (:func:`finish_deferred`)."""
    deprecations = rules.deprecations
    try:
        text = decode_source(read_source(path), shown)
        shim = module is not None and shim_at(deprecations, rules.modules, module.name)
        # Screened once, the answers shared by every question below. A string naming a
        # deprecated path writes the path's last segment as a word: no hit, no reference.
        hits = deprecations.last_words(text) if deprecations else frozenset()
        references = bool(hits) and deprecations.could_reference(text)
        mention = bool(hits) and deprecations.could_mention(
            text, _package(module), hits, references=references
        )
        if not contracts and not mention and not shim:
            return None
        if (
            outside is not None
            and module is not None
            and not shim
            and outside.isdisjoint(hits)
            and not references
        ):
            return Deferred(path, shown, module, text)
        # A shim's whole body is read (ARC004): only other files may go without parsing.
        tree = None
        if quick is not None and module is not None and not shim:
            tree = quick.tree(text, module, hits, references)
    except SourceError as e:
        return BadFile.from_source_error(path, e).shown_as(shown)
    except OSError as e:
        return BadFile.from_os_error(path, e).shown_as(shown)
    return _lint_text(rules, path, shown, module, text, tree, contracts, references, why)


@dataclass(frozen=True)
class Deferred:
    """A file the child read whose findings can only come from the import statements the
    graph holds: finished, from its text, once the parent sends their lines."""

    path: Path
    shown: str
    module: ModuleName
    text: str


def finish_deferred(
    rules: FileRules, deferred: Deferred, lines: Lines, why: dict[str, str]
) -> list[FileFinding] | str:
    """``deferred``'s deprecation findings, as :func:`lint_file` gives them with
    :class:`QuickTrees` over the same lines (``lines``: by module), or, with none, parsed
    whole."""
    from .import_lines import import_statements

    tree = None
    if lines is not None:
        tree = import_statements(deferred.text, lines.get(deferred.module.name, frozenset()))
    return _lint_text(
        rules,
        deferred.path,
        deferred.shown,
        deferred.module,
        deferred.text,
        tree,
        False,
        False,
        why,
    )


def _lint_text(
    rules: FileRules,
    path: Path,
    shown: str,
    module: ModuleName | None,
    text: str,
    tree: ast.Module | None,
    contracts: bool,
    references: bool,
    why: dict[str, str],
) -> list[FileFinding] | str:
    """The findings in ``text`` (read from ``tree`` when given, else from the whole file
    parsed), or a line saying why the file cannot be read."""
    if tree is None:
        try:
            tree = parse_source(text, shown)
        except SourceError as e:
            return BadFile.from_source_error(path, e).shown_as(shown)
        # As lint: a module whose relative import climbs above the top package is a bad
        # file (the graph, when one is built, says so too).
        climbing = climbing_import_in(rules, module, str(path), tree)
        if climbing is not None:
            return f"{shown}:{climbing[0]}: {climbing[1]}"
    found = lint_tree(
        rules, tree, os.path.abspath(path), text, contracts=contracts, references=references
    )
    return [_file_finding(shown, finding, why) for finding in found]


def whys(rules: FileRules) -> dict[str, str]:
    """By contract id, what its per-file messages end with (its ``why``), cut from them."""
    return {c.id: _why_suffix(c.why) for c in rules.project.contracts}


def deprecation_half(
    rules: FileRules,
    opened: OpenProject,
    walk: Callable[[], Walked],
    receive: Callable[[], Lines],
) -> ChildAnswer:
    """What the child process does: the project's files (``walk()``) and, for each file
    whose text could name a deprecated path (or a shim), its ARC0xx findings; None for a
    file it cannot read. The files read as their import statements alone wait for the lines
    ``receive()`` gives, after every other file (the parent is building the graph
    meanwhile); they are parsed whole when none come (no graph holds them: one process
    parses them whole too). The files with nothing to look into are left out."""
    project = opened.project
    walked = walk()
    outside = outside_segments(rules, opened.inventory.by_name)
    twice = named_twice(opened)
    results: dict[str, FileResult] = {}
    deferred: list[Deferred] = []
    why = whys(rules)
    for path in walked.files:
        shown = path.relative_to(project.root).as_posix()
        module = rules.module_of(str(path))
        found = lint_file(rules, path, shown, module, False, None, why, outside=outside)
        if isinstance(found, Deferred) and found.module.name in twice:
            # Parsed whole, as one process does it (see named_twice).
            found = _lint_text(
                rules, found.path, shown, found.module, found.text, None, False, False, why
            )
        if isinstance(found, Deferred):
            deferred.append(found)
        elif found is not None:
            results[shown] = None if isinstance(found, str) else found
    lines = receive() if deferred else None
    for one in deferred:
        finished = finish_deferred(rules, one, lines, why)
        results[one.shown] = None if isinstance(finished, str) else finished
    return ChildAnswer(walked, results)


def _package(module: ModuleName | None) -> str | None:
    # What FileRules.package_of gives, from the module already found.
    if module is None:
        return None
    return module.name if module.is_package else module.name.rpartition(".")[0]


def _why_suffix(why: str | None) -> str:
    # What the per-file messages end with (lint's ``_why``): shown once per contract instead.
    return f" ({' '.join(why.split())})" if why else ""


def _file_finding(path: str, finding: Finding, why: dict[str, str]) -> FileFinding:
    contract = None
    message = finding.message
    if finding.code.startswith("ARC1"):
        found = _CONTRACT_IN_MESSAGE.search(message)
        contract = found.group(1) if found else None
        suffix = why.get(contract or "", "")
        if suffix and message.endswith(suffix):
            message = message[: -len(suffix)]
    return FileFinding(
        path,
        finding.line,
        finding.col + 1,
        finding.code,
        message,
        contract,
        finding.fixable,
        finding.planned,
    )
