"""``fix`` never makes the program worse: each planned import rewrite is checked against the
import graph as it will be after the fix.

A rewrite is refused, and left for a hand fix with the reason, when the import it writes

- closes an import-time cycle: a module-level import whose target, or a package ``__init__``
  on the way to it, imports the file's module back when it is imported (see
  :mod:`archlint.domain.import_time`); the chain that would close it is named; or
- breaks a contract that the code keeps today: the contract is checked with import-linter on
  the graph as it would be after the fix, and a new import on one of its illegal chains is
  refused.

The graph after the fix is the graph of today with the imports of every file the fix would
change read again from the file's new text. Refusing a rewrite puts its old import back, which
may in turn make another rewrite close a cycle: the review repeats until nothing new is
refused. Nothing is imported or run.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import grimp

from archlint.application.project import OpenProject
from archlint.backend import sites
from archlint.backend.run import GraphOptions, Graphs, check_contract, graph_options
from archlint.domain.deprecations import Replacement
from archlint.domain.import_time import (
    cycle_through,
    graph_target,
    import_time_targets,
    render_chain,
)
from archlint.domain.imports import ImportRecord
from archlint.domain.model import Contract
from archlint.domain.results import ContractResult
from archlint.scanning.imports import scan_imports
from archlint.scanning.modules import ModuleName
from archlint.scanning.screen import read_source
from archlint.scanning.source import SourceError, decode_source, parse_source

__all__ = ["FixSafety", "Veto", "replacement_record"]

#: Asked for each planned import rewrite: why it must not be made, or None.
Veto = Callable[[ImportRecord, Replacement], "str | None"]

#: ``edges[importer][imported] = line`` of the first import making it.
Edges = dict[str, dict[str, int]]


def replacement_record(record: ImportRecord, new: Replacement) -> ImportRecord:
    """The import ``new`` writes in place of ``record`` (same place, same context)."""
    module, name = (new.name, None) if new.module is None else (new.module, new.name)
    return ImportRecord(
        module=module,
        name=name,
        asname=new.asname,
        line=record.line,
        col=record.col,
        stmt_line=record.stmt_line,
        stmt_col=record.stmt_col,
        is_type_checking=record.is_type_checking,
        is_lazy=record.is_lazy,
    )


@dataclass
class _ModuleImports:
    """One module's imports, as two edge sets: import-time, and grimp's (every import)."""

    import_time: dict[str, int] = field(default_factory=dict)
    graph: dict[str, tuple[int, bool]] = field(default_factory=dict)  # -> (line, type_checking)


@dataclass
class FixSafety:
    """The graph before the fix, and the rewrites refused so far, per module."""

    opened: OpenProject
    modules: frozenset[str]
    before: dict[str, _ModuleImports]
    #: (importer, imported) -> why an import-time import making that edge must not be written.
    cycles: dict[tuple[str, str], str] = field(default_factory=dict)
    #: (importer, imported) -> why any import making that edge (grimp's) must not be written.
    contracts: dict[tuple[str, str], str] = field(default_factory=dict)
    _graphs: Graphs | None = None
    _kept: list[Contract] | None = None

    @classmethod
    def of(cls, opened: OpenProject) -> FixSafety:
        """Read every module of the project once (its imports; nothing is run)."""
        names = frozenset(opened.inventory.names())
        before: dict[str, _ModuleImports] = {}
        for found in opened.inventory:
            try:
                text = decode_source(read_source(found.path), str(found.path))
            except (OSError, SourceError):
                continue
            imports = _imports_of(text, ModuleName(found.name, found.is_package), names)
            if imports is not None:
                before[found.name] = imports
        return cls(opened, names, before)

    # --- the veto fix asks ---------------------------------------------------------------

    def veto_for(self, module: ModuleName | None) -> Veto | None:
        """The veto for the file of ``module`` (None outside the project)."""
        if module is None or module.name not in self.modules:
            return None
        importer = module.name

        def veto(record: ImportRecord, new: Replacement) -> str | None:
            written = replacement_record(record, new)
            for target in import_time_targets(written, importer, self.modules):
                reason = self.cycles.get((importer, target))
                if reason is not None:
                    return reason
            return self.contracts.get((importer, graph_target(written, self.modules)))

        return veto

    # --- the review of a planned fix -----------------------------------------------------

    def review(self, after_texts: dict[str, tuple[ModuleName, str]]) -> bool:
        """Refuse the new edges of the planned fix that close a cycle or break a kept
        contract. ``after_texts`` maps each module the fix changes to its new text.

        Returns whether anything new was refused (the fix must then be planned again)."""
        after = dict(self.before)
        for name, (module, text) in after_texts.items():
            imports = _imports_of(text, module, self.modules)
            if imports is not None:
                after[name] = imports
        new_edges = {
            (name, target): line
            for name in after_texts
            if name in after
            for target, line in after[name].import_time.items()
            if target not in self.before.get(name, _ModuleImports()).import_time
        }
        graph_edges = {
            (name, target)
            for name in after_texts
            if name in after
            for target in after[name].graph
            if target not in self.before.get(name, _ModuleImports()).graph
        }
        found = False
        edges: Edges = {name: dict(imports.import_time) for name, imports in after.items()}
        for (importer, imported), _line in sorted(new_edges.items()):
            if (importer, imported) in self.cycles:
                continue
            chain = cycle_through(importer, imported, edges)
            if chain is None:
                continue
            self.cycles[(importer, imported)] = (
                f"refused: would close an import-time cycle: {render_chain(chain)}"
            )
            found = True
        if graph_edges:
            found |= self._review_contracts(after, graph_edges - set(self.contracts))
        return found

    def _review_contracts(
        self, after: dict[str, _ModuleImports], new_edges: set[tuple[str, str]]
    ) -> bool:
        if not new_edges:
            return False
        project = self.opened.project
        graphs = self._before_graphs()
        found = False
        after_graphs: dict[GraphOptions, grimp.ImportGraph] = {}
        for contract in self._kept_contracts():
            opts = graph_options(project, contract)
            if opts not in after_graphs:
                after_graphs[opts] = self._graph_after(graphs.get(opts), after, opts)
            result = check_contract(
                project, contract, Graphs(project, None, built={opts: after_graphs[opts]})
            )
            if not isinstance(result, ContractResult) or result.kept:
                continue
            for importer, imported in _links_of(result):
                if (importer, imported) in new_edges and (importer, imported) not in self.contracts:
                    self.contracts[(importer, imported)] = (
                        f"refused: would break contract '{contract.id}', kept today "
                        f"({importer} -> {imported})"
                    )
                    found = True
        return found

    def _before_graphs(self) -> Graphs:
        if self._graphs is None:
            sites.clear()
            self._graphs = Graphs(
                self.opened.project, None, packages=self.opened.inventory.packages
            )
        return self._graphs

    def _kept_contracts(self) -> list[Contract]:
        if self._kept is None:
            graphs = self._before_graphs()
            self._kept = []
            for contract in self.opened.project.contracts:
                result = check_contract(self.opened.project, contract, graphs)
                if isinstance(result, ContractResult) and result.kept:
                    self._kept.append(contract)
        return self._kept

    def _graph_after(
        self, before: grimp.ImportGraph, after: dict[str, _ModuleImports], opts: GraphOptions
    ) -> grimp.ImportGraph:
        graph = copy.deepcopy(before)
        for name, imports in after.items():
            old = self.before.get(name)
            if old is imports or old is None:
                continue
            wanted = {
                target: line
                for target, (line, tc) in imports.graph.items()
                if not (tc and opts.exclude_type_checking_imports)
            }
            for target in old.graph:
                if target not in wanted and graph.direct_import_exists(
                    importer=name, imported=target
                ):
                    graph.remove_import(importer=name, imported=target)
            for target, line in wanted.items():
                if target in self.modules and not graph.direct_import_exists(
                    importer=name, imported=target
                ):
                    graph.add_import(
                        importer=name, imported=target, line_number=line, line_contents=""
                    )
        return graph


def _links_of(result: ContractResult) -> Iterable[tuple[str, str]]:
    for violation in result.violations:
        if violation.importer is not None and violation.imported is not None:
            yield violation.importer, violation.imported
        for chain in violation.chains:
            for link in (*chain.links, *chain.extra_firsts, *chain.extra_lasts):
                yield link.importer, link.imported


def _imports_of(text: str, module: ModuleName, names: frozenset[str]) -> _ModuleImports | None:
    try:
        tree = parse_source(text, module.name)
    except SourceError:
        return None
    imports = _ModuleImports()
    for record in scan_imports(tree, module):
        for target in import_time_targets(record, module.name, names):
            imports.import_time.setdefault(target, record.line)
        target = graph_target(record, names)
        if target in names and target != module.name:
            line, tc = imports.graph.get(target, (record.line, True))
            imports.graph[target] = (line, tc and record.is_type_checking)
    return imports


#: Plans one file with a veto, without writing: its text before and after.
Planner = Callable[[Path, "Veto | None"], tuple[str, str]]

#: How often the review may refuse more before the fix gives up refining (each round refuses
#: at least one edge, so this bounds only pathological projects).
_ROUNDS = 20


def safe_vetoes(
    opened: OpenProject, files: Iterable[tuple[Path, ModuleName | None]], plan: Planner
) -> dict[Path, Veto]:
    """The veto for each file of the project, such that the planned fix closes no new
    import-time cycle and breaks no contract kept today. Empty when nothing is to change."""
    names = opened.inventory.names()
    # A veto only takes changes away: a file the unvetoed fix leaves alone stays alone.
    changing: list[tuple[Path, ModuleName]] = []
    planned: dict[str, tuple[ModuleName, str]] = {}
    for path, module in files:
        if module is None or module.name not in names:
            continue
        before, after = plan(path, None)
        if before != after:
            changing.append((path, module))
            planned[module.name] = (module, after)
    if not planned:
        return {}
    safety = FixSafety.of(opened)
    vetoes: dict[Path, Veto] = {}
    for path, module in changing:
        veto = safety.veto_for(module)
        if veto is not None:
            vetoes[path] = veto
    for _ in range(_ROUNDS):
        if not safety.review(planned):
            break
        planned = {}
        for path, module in changing:
            before, after = plan(path, vetoes.get(path))
            if before != after:
                planned[module.name] = (module, after)
    return vetoes
