"""``archlint check``, the one gate: the graph contracts and the per-file rules, one verdict.

The graph contracts are :func:`archlint.application.check.check`'s. The per-file rules are the
flake8 plugin's and ``archlint lint``'s (:mod:`archlint.application.lint`): deprecated imports
and strings (ARC0xx) and direct imports that break a contract (ARC1xx), over every Python file
of the project (:mod:`archlint.scanning.project_files`: ``tests/`` included, ``exclude`` and
what git ignores left out).

Most files need no parsing. A file is parsed only when

- its text could name a deprecated path (the text tests of
  :class:`~archlint.domain.deprecations.DeprecationIndex`), or
- its module has, in the import graph the contracts were checked on, a direct import that
  breaks a contract or an import of a module that imports it back inside an ``acyclic``
  contract's packages (ARC106).

Both tests err only towards parsing, so the findings are exactly what ``archlint lint`` gives
over the same files. Even then, a file of the graph is mostly not parsed whole: when its
findings can only come from its import statements (no string naming a deprecated path, not a
shim, every deprecated path it could name a module of the graph), each statement is parsed
alone from the line grimp gives (:mod:`archlint.application.import_lines`), and the rules
read that tree of import statements as they would read the file's.

With ``--contract``, only those contracts' direct breaks are reported and deprecations are
not: the selection asks about those contracts alone.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from archlint.config.cache import read_json, write_json
from archlint.config.loader import PYPROJECT, has_archlint_table
from archlint.config.stamps import file_stamp, now_ns, tool_stamp
from archlint.domain import model
from archlint.domain.expressions import is_in_package
from archlint.domain.imports import ImportRecord
from archlint.domain.results import FileFinding, GateReport
from archlint.scanning.imports import scan_imports
from archlint.scanning.modules import ModuleName
from archlint.scanning.project_files import Excludes, git_ignores, project_python_files
from archlint.scanning.screen import read_source
from archlint.scanning.source import SourceError, decode_source, parse_source

from .check import check, select_contracts
from .file_rules import FileRules
from .gate_files import (
    Deferred,
    QuickTrees,
    deprecation_half,
    lint_file,
    lint_files,
    named_twice,
    whys,
)
from .gate_fork import Child, Walked, can_fork, jobs_wanted
from .project import OpenProject, cache_dir

if TYPE_CHECKING:
    from archlint.backend.run import GraphOptions, Graphs

_CACHE = "gate.json"


def gate(
    opened: OpenProject,
    contract_ids: Sequence[str] = (),
    *,
    use_cache: bool = True,
    today: dt.date | None = None,
    jobs: int | None = None,
) -> GateReport:
    """Check the selected contracts on the graph and every project file with the per-file
    rules. Raises ``ConfigError`` when a contract cannot be checked.

    ``jobs`` (default: ``ARCHLINT_JOBS``, else 2 on more than one core) above 1 checks the
    deprecations in a child process while this one builds the graph
    (:mod:`archlint.application.gate_fork`); 1 does everything here. The findings are the
    same either way."""
    project = opened.project
    contracts = select_contracts(opened, contract_ids)
    folder: Path | None = None
    if use_cache:
        with contextlib.suppress(OSError):
            folder = cache_dir(project)
    scoped = dataclasses.replace(
        project,
        contracts=contracts,
        deprecations=() if contract_ids else project.deprecations,
    )
    rules = FileRules.compile(scoped, today)
    walked: Walked | None = None
    cached = None
    key = ""
    if folder is not None:
        # The key stamps every file: worked out only when there is a cache to read or write.
        walked = Walked(*_files(opened))
        key = _key(scoped, rules.today, walked.files, opened)
        cached = _read_cache(folder, key)
    child = None
    if cached is None and jobs_wanted(jobs) > 1 and can_fork():
        given = walked
        child = Child.start(
            lambda receive: deprecation_half(
                rules, opened, lambda: given or Walked(*_files(opened)), receive
            )
        )
    graphs = None
    early: dict[str, list[FileFinding] | str | None] = {}
    try:
        if cached is None:
            # The per-file rules read the graph the contracts are checked on. With their
            # findings cached, check builds a graph only if its own report is not cached,
            # and a warm check imports neither import-linter nor grimp.
            from archlint.backend.run import Graphs

            graphs = Graphs(project, folder, packages=opened.inventory.packages)
            if child is not None:
                graphs.on_built = _sender(child, rules, graphs)
        report = check(opened, contract_ids, use_cache=use_cache, graphs=graphs)
        if graphs is not None:
            suspects, quick = _graph_questions(rules, opened, graphs)
            if child is not None:
                _send_lines(child, rules, graphs)  # if no graph sent them yet
                # The direct breaks are this process's alone: found while the child
                # finishes (it has the deprecations of the same files).
                early = _lint_suspects(rules, opened, suspects, quick)
    except BaseException:
        if child is not None:
            child.cancel()
        raise
    answer = child.answer() if child is not None else None
    if answer is not None:
        walked = answer.walked
    elif walked is None:
        walked = Walked(*_files(opened))
    if cached is not None:
        findings, unreadable = cached
    else:
        findings, unreadable = lint_files(
            rules, walked.files, project.root, suspects, quick, answer, early
        )
        if folder is not None:
            _write_cache(folder, key, findings, unreadable)
    return GateReport(
        check=report,
        findings=tuple(findings),
        files=len(walked.files),
        unreadable=tuple(unreadable),
        notes=tuple(walked.notes),
        repository_prefix=walked.prefix,
    )


def _sender(
    child: Child, rules: FileRules, graphs: Graphs
) -> Callable[[GraphOptions, object], None]:
    """What ``Graphs.on_built`` calls: the child's lines, sent as soon as a graph that holds
    them (one with the imports under ``TYPE_CHECKING``) is built."""

    def built(opts: GraphOptions, graph: object) -> None:
        if not opts.exclude_type_checking_imports:
            _send_lines(child, rules, graphs)

    return built


def _send_lines(child: Child, rules: FileRules, graphs: Graphs) -> None:
    """Send the child the lines of every import a deprecation touches: the statements its
    files read as their import statements alone need (:class:`QuickTrees` reads the same
    lines of a file that may not break a contract). None when the graphs hold none."""
    from archlint.backend.run import import_lines_by_module

    if child.sent:
        return
    deprecations = rules.deprecations
    child.send(import_lines_by_module(graphs, lambda _, imported: deprecations.touches(imported)))


def _lint_suspects(
    rules: FileRules,
    opened: OpenProject,
    suspects: frozenset[str] | None,
    quick: QuickTrees | None,
) -> dict[str, list[FileFinding] | str | None]:
    """By path, the direct breaks (ARC1xx alone, :meth:`FileRules.without_deprecations`) in
    the file of each module that may break a contract directly; none when every file may
    (they are done with the others). :func:`lint_files` adds the child's deprecation
    findings in the same file."""
    early: dict[str, list[FileFinding] | str | None] = {}
    contract_rules = rules.without_deprecations()
    contract_quick = None if quick is None else quick.with_rules(contract_rules)
    why = whys(rules)
    root = opened.root
    for name in sorted(suspects or ()):
        found = opened.inventory.by_name.get(name)
        if found is None:
            continue
        path = found.path
        module = rules.module_of(str(path))
        if module is None or module.name != name:
            continue  # done with the others, if it is one of the project's files
        try:
            shown = path.relative_to(root).as_posix()
        except ValueError:
            continue
        result = lint_file(contract_rules, path, shown, module, True, contract_quick, why)
        assert not isinstance(result, Deferred)  # only the child's files are deferred
        early[str(path)] = result
    return early


def _graph_questions(
    rules: FileRules, opened: OpenProject, graphs: Graphs
) -> tuple[frozenset[str] | None, QuickTrees | None]:
    """The modules whose file may break a contract directly (None: every file may), and the
    quick trees of import statements (None when they cannot be had)."""
    from archlint.backend.run import GraphOptions, direct_imports

    suspects: frozenset[str] = frozenset()
    edges: dict[str, frozenset[str]] = {}
    if rules.contracts.contracts or rules.acyclic:
        if rules.contracts.concerns_external:
            return None, None  # imports of third-party packages: every file is looked at
        opts = GraphOptions(False, opened.project.settings.include_external_packages)
        edges = direct_imports(graphs, opts)
        suspects = _suspects(rules, edges)
    deprecations = rules.deprecations

    def wanted(importer: str, imported: str) -> bool:
        # The only imports whose statements can hold a finding: those of a deprecated path
        # (or of a module a deprecated name is in), and those that may break a contract.
        return deprecations.touches(imported) or (
            importer in suspects and _may_break(rules, edges, importer, imported)
        )

    if rules.acyclic:
        _read_imports_from_graph(rules, opened, graphs)
    return suspects, QuickTrees.make(rules, opened, graphs, wanted)


def _read_imports_from_graph(rules: FileRules, opened: OpenProject, graphs: Graphs) -> None:
    """ARC106 asks whether the imported module imports its importer back: that module's
    import statements are read from the lines of every import the graph holds of it, not by
    parsing its whole file. An import the graph does not hold (of a module outside the
    project, or missing from it) cannot be one of the project's modules importing back.

    A module written twice is parsed whole (:func:`named_twice`)."""
    from archlint.backend.run import import_lines

    from .import_lines import import_statements

    every = import_lines(graphs)
    if every is None:
        return
    twice = named_twice(opened)

    def read(module: str, text: str) -> ast.Module | None:
        if module in twice:
            return None
        return import_statements(text, every(module))

    rules.read_imports_with(read)


def _files(opened: OpenProject) -> tuple[list[Path], list[str], str]:
    """The project's Python files, a note when ``.gitignore`` could not be applied, and the
    project folder relative to the top of its git work tree. The folders of the root
    packages are not listed again: the module inventory's walk listed them."""
    project = opened.project
    root = project.root
    ignores = git_ignores(root)
    notes = []
    if ignores is None and (root / ".gitignore").is_file():
        notes.append("not a git work tree: .gitignore is not applied (use [tool.archlint] exclude)")

    def own_project(folder: str) -> bool:
        # Asked only of folders whose listing has a pyproject.toml.
        pyproject = os.path.join(folder, PYPROJECT)
        return os.path.isfile(pyproject) and has_archlint_table(Path(pyproject))

    excludes = Excludes(project.settings.exclude)
    files = project_python_files(root, excludes, ignores, own_project, opened.inventory.listing)
    prefix = ""
    if ignores is not None:
        with contextlib.suppress(ValueError, OSError):
            relative = root.resolve().relative_to(ignores.top.resolve()).as_posix()
            prefix = "" if relative == "." else relative + "/"
    return files, notes, prefix


def _suspects(rules: FileRules, edges: dict[str, frozenset[str]]) -> frozenset[str]:
    """The modules whose file may hold a direct break (:func:`_may_break`)."""
    return frozenset(
        importer
        for importer, targets in edges.items()
        if any(_may_break(rules, edges, importer, imported) for imported in targets)
    )


def _may_break(
    rules: FileRules, edges: dict[str, frozenset[str]], importer: str, imported: str
) -> bool:
    """Whether ``importer`` importing ``imported`` may be a direct break: it breaks a
    contract (as the per-file rules judge one import, TYPE_CHECKING aside, which only takes
    breaks away), or ``imported`` imports it back inside the packages of an ``acyclic``
    contract that does not ignore it (ARC106, as
    :func:`archlint.application.lint._cycle_findings` judges one; whether the imports are
    lazy or under TYPE_CHECKING only takes cycles away)."""
    if (
        rules.acyclic
        and importer in edges.get(imported, ())
        and _may_cycle(rules.acyclic, importer, imported)
    ):
        return True
    index = rules.contracts
    return bool(index.contracts) and bool(
        index.breaches(importer, imported, type_checking=False, project=rules.project)
    )


def _may_cycle(contracts: Sequence[model.AcyclicContract], importer: str, imported: str) -> bool:
    """Whether some ``acyclic`` contract may report ``importer`` importing ``imported``, who
    imports it back: both in one of its packages, and the import not ignored."""
    if importer == imported:
        return False
    for contract in contracts:
        if contract.is_ignored(importer, imported) or contract.is_ignored(imported, importer):
            continue
        for expression in contract.packages:
            package = expression.package_of(importer)
            if package is not None and is_in_package(imported, package):
                return True
    return False


def _key(project: model.Project, today: dt.date, files: list[Path], opened: OpenProject) -> str:
    """A digest of everything the per-file findings depend on: the software (see
    :func:`tool_stamp`), the day (a ``remove_after`` date turns a warning into an error), the
    rules, and the stamp of every file read and of every module (whose existence an import's
    meaning depends on): the same stamps as the report cache's, content digests included
    for files changed within the clock's resolution."""
    now = now_ns()
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{tool_stamp()}\0{today.isoformat()}\0".encode())
    digest.update(repr((project.settings, project.contracts, project.deprecations)).encode())
    for path in files:
        digest.update(f"{path}\0{file_stamp(path, now)!r}\0".encode())
    for module in opened.inventory:
        digest.update(f"{module.name}\0{file_stamp(module.path, now)!r}\0".encode())
    return digest.hexdigest()


def _read_cache(folder: Path, key: str) -> tuple[list[FileFinding], list[str]] | None:
    """The findings stored under ``key``; None when absent, stale or not what archlint wrote.

    Plain JSON, read by the cache's own reader and checked field by field: nothing from the
    checked tree is ever unpickled.
    """
    document = read_json(folder / _CACHE, "gate")
    if document is None or document.get("key") != key:
        return None
    try:
        findings = [
            FileFinding(
                str(f["path"]),
                int(f["line"]),
                int(f["col"]),
                str(f["code"]),
                str(f["message"]),
                None if f["contract"] is None else str(f["contract"]),
                bool(f["fixable"]),
                bool(f["planned"]),
            )
            for f in document["findings"]
        ]
        return findings, [str(u) for u in document["unreadable"]]
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def _write_cache(
    folder: Path, key: str, findings: list[FileFinding], unreadable: list[str]
) -> None:
    body = {
        "key": key,
        "findings": [dataclasses.asdict(f) for f in findings],
        "unreadable": unreadable,
    }
    with contextlib.suppress(OSError):  # a read-only checkout still works, only slower
        write_json(folder / _CACHE, "gate", body)


@dataclasses.dataclass(frozen=True, slots=True)
class Location:
    """Where an import is: its file relative to the project folder, 1-based line and column."""

    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


class Locator:
    """The file, line and column of the imports the graph names by module and line.

    grimp gives an import's line, not its column: the column is read from the importing
    file's import statements, parsed once per file and only for imports that are shown.
    """

    def __init__(self, opened: OpenProject) -> None:
        self.opened = opened
        self._records: dict[str, list[ImportRecord]] = {}

    def file(self, module: str) -> str | None:
        """The file of ``module`` relative to the project folder, if it is in the project."""
        path = self.opened.inventory.file_of(module)
        if path is None:
            return None
        try:
            return path.relative_to(self.opened.root).as_posix()
        except ValueError:
            return str(path)

    def locate(self, importer: str, imported: str, line: int | None) -> Location | None:
        """Where ``importer`` imports ``imported`` at ``line`` (column 1 when not found):
        the first line and column of its statement, where every per-file finding on an
        import is reported too (one finding, one place)."""
        shown = self.file(importer)
        if shown is None or line is None:
            return None
        col = 1
        for record in self._imports(importer):
            if line in (record.stmt_line, record.line) and (
                record.path == imported
                or record.module == imported
                or record.path.startswith(imported + ".")
            ):
                line, col = record.stmt_line, record.stmt_col + 1
                break
        return Location(shown, line, col)

    def _imports(self, module: str) -> list[ImportRecord]:
        if module not in self._records:
            records: list[ImportRecord] = []
            found = self.opened.inventory.by_name.get(module)
            if found is not None:
                with contextlib.suppress(OSError, SourceError):
                    path = str(found.path)
                    tree = parse_source(decode_source(read_source(found.path), path), path)
                    records = scan_imports(tree, ModuleName(module, found.is_package))
            self._records[module] = records
        return self._records[module]


_LINE_REFERENCE = re.compile(r"\(l\.\d+\)")
