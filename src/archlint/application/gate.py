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
from .lint import FileRules, Finding, climbing_import_in, lint_tree
from .project import OpenProject, cache_dir
from .shims import shim_at

if TYPE_CHECKING:
    from archlint.backend.run import Graphs

_CACHE = "gate.json"
_CONTRACT_IN_MESSAGE = re.compile(r"breaks contract '([a-z0-9][a-z0-9_-]*)'")


def gate(
    opened: OpenProject,
    contract_ids: Sequence[str] = (),
    *,
    use_cache: bool = True,
    today: dt.date | None = None,
) -> GateReport:
    """Check the selected contracts on the graph and every project file with the per-file
    rules. Raises ``ConfigError`` when a contract cannot be checked."""
    from archlint.backend.run import GraphOptions, Graphs, direct_imports

    project = opened.project
    contracts = select_contracts(opened, contract_ids)
    folder: Path | None = None
    if use_cache:
        with contextlib.suppress(OSError):
            folder = cache_dir(project)
    graphs = Graphs(project, folder, packages=opened.inventory.packages)
    report = check(opened, contract_ids, use_cache=use_cache, graphs=graphs)

    files, notes, prefix = _files(project)
    scoped = dataclasses.replace(
        project,
        contracts=contracts,
        deprecations=() if contract_ids else project.deprecations,
    )
    rules = FileRules.compile(scoped, today)
    key = _key(scoped, rules.today, files, opened)
    cached = _read_cache(folder, key) if folder is not None else None
    if cached is not None:
        findings, unreadable = cached
    else:
        suspects: frozenset[str] | None = frozenset()
        if rules.contracts.contracts or rules.acyclic:
            if rules.contracts.concerns_external:
                suspects = None  # imports of third-party packages: every file is looked at
            else:
                opts = GraphOptions(False, project.settings.include_external_packages)
                suspects = _suspects(rules, direct_imports(graphs, opts))
        quick = None if suspects is None else _QuickTrees.make(rules, opened, graphs)
        findings, unreadable = _lint(rules, files, project.root, suspects, quick)
        if folder is not None:
            _write_cache(folder, key, findings, unreadable)
    return GateReport(
        check=report,
        findings=tuple(findings),
        files=len(files),
        unreadable=tuple(unreadable),
        notes=tuple(notes),
        repository_prefix=prefix,
    )


def _files(project: model.Project) -> tuple[list[Path], list[str], str]:
    """The project's Python files, a note when ``.gitignore`` could not be applied, and the
    project folder relative to the top of its git work tree."""
    root = project.root
    ignores = git_ignores(root)
    notes = []
    if ignores is None and (root / ".gitignore").is_file():
        notes.append("not a git work tree: .gitignore is not applied (use [tool.archlint] exclude)")

    def own_project(folder: str) -> bool:
        # Asked of every folder walked (2,455 in Django): one stat for the common answer.
        pyproject = os.path.join(folder, PYPROJECT)
        return os.path.isfile(pyproject) and has_archlint_table(Path(pyproject))

    files = project_python_files(root, Excludes(project.settings.exclude), ignores, own_project)
    prefix = ""
    if ignores is not None:
        with contextlib.suppress(ValueError, OSError):
            relative = root.resolve().relative_to(ignores.top.resolve()).as_posix()
            prefix = "" if relative == "." else relative + "/"
    return files, notes, prefix


def _suspects(rules: FileRules, edges: dict[str, frozenset[str]]) -> frozenset[str]:
    """The modules whose file may hold a direct break: an edge that breaks a contract (as the
    per-file rules judge one import, TYPE_CHECKING aside, which only takes breaks away), or an
    edge to a module that imports it back inside the packages of an ``acyclic`` contract that
    does not ignore it (ARC106, as :func:`archlint.application.lint._cycle_findings` judges
    one; whether the imports are lazy or under TYPE_CHECKING only takes cycles away)."""
    found = set()
    index = rules.contracts
    for importer, targets in edges.items():
        for imported in targets:
            if (
                rules.acyclic
                and importer in edges.get(imported, ())
                and _may_cycle(rules.acyclic, importer, imported)
            ):
                found.add(importer)
                break
            if index.contracts and index.breaches(
                importer, imported, type_checking=False, project=rules.project
            ):
                found.add(importer)
                break
    return frozenset(found)


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


_WORD = re.compile(r"\w+")


class _QuickTrees:
    """Trees of a file's import statements alone, read from the lines grimp gives
    (:mod:`archlint.application.import_lines`), for the files whose findings can only come
    from those statements: no string reference to a deprecated path, not a shim, and every
    deprecated path the file could name a module of the project (so that every import of it
    is in the graph: an import of a module outside it, or of a name, may not be)."""

    def __init__(
        self, rules: FileRules, lines_of: Callable[[str], frozenset[int]], modules: set[str]
    ) -> None:
        self.rules = rules
        self.lines_of = lines_of
        # The last segments of the deprecated paths that are not modules of the project:
        # a file that writes one as a word may import such a path, which the graph may not
        # hold (most files write none: one search each).
        outside = {
            d.old.rpartition(".")[2] for d in rules.project.deprecations if d.old not in modules
        }
        self.outside = frozenset(outside)

    @classmethod
    def make(cls, rules: FileRules, opened: OpenProject, graphs: Graphs) -> _QuickTrees | None:
        from archlint.backend.run import import_lines

        lines_of = import_lines(graphs)
        if lines_of is None:
            return None
        return cls(rules, lines_of, set(opened.inventory.by_name))

    def tree(self, text: str, module: ModuleName) -> ast.Module | None:
        """The tree of the file's import statements, or None when the file must be parsed."""
        from .import_lines import import_statements

        deprecations = self.rules.deprecations
        if deprecations:
            # One pass collecting words: a regular expression of a thousand alternatives
            # sharing a prefix (mod0 ... mod999) is many times slower.
            if self.outside and not self.outside.isdisjoint(_WORD.findall(text)):
                return None
            if deprecations.could_reference(text):
                return None
        return import_statements(text, self.lines_of(module.name))


def _lint(
    rules: FileRules,
    files: list[Path],
    root: Path,
    suspects: frozenset[str] | None,
    quick: _QuickTrees | None = None,
) -> tuple[list[FileFinding], list[str]]:
    deprecations = rules.deprecations
    findings: list[FileFinding] = []
    unreadable: list[str] = []
    why = {c.id: _why_suffix(c.why) for c in rules.project.contracts}
    for path in files:
        shown = path.relative_to(root).as_posix()
        module = rules.module_of(str(path))
        contracts = module is not None and (suspects is None or module.name in suspects)
        try:
            text = decode_source(read_source(path), shown)
            shim = module is not None and shim_at(deprecations, rules.modules, module.name)
            if (
                not contracts
                and not (deprecations and deprecations.could_mention(text, _package(module)))
                and not shim
            ):
                continue
            # A shim's whole body is read (ARC004): only other files may go without parsing.
            tree = None if quick is None or module is None or shim else quick.tree(text, module)
            if tree is None:
                tree = parse_source(text, shown)
                # As lint: a module whose relative import climbs above the top package is
                # a bad file (the graph, when one is built, says so too).
                climbing = climbing_import_in(rules, module, str(path), tree)
                if climbing is not None:
                    unreadable.append(f"{shown}:{climbing[0]}: {climbing[1]}")
                    continue
        except SourceError as e:
            unreadable.append(str(e))
            continue
        except OSError as e:
            unreadable.append(f"{shown}: cannot read: {e.strerror}")
            continue
        for finding in lint_tree(rules, tree, os.path.abspath(path), text, contracts=contracts):
            findings.append(_file_finding(shown, finding, why))
    return findings, unreadable


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
