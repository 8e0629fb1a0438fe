"""Checking the model's contracts in-process, with import-linter's contract classes.

The graph is built once per set of graph options (most projects need one), each contract is
checked on its own copy, and import-linter's results are read back into archlint's model.
A contract that import-linter cannot check (a module missing from the graph, an ignored import
that matches nothing) becomes a :class:`~archlint.domain.errors.ConfigProblem`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grimp
from importlinter import Contract as ImportLinterContract
from importlinter import configuration as importlinter_configuration
from importlinter.contracts.acyclic_siblings import AcyclicSiblingsContract
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.independence import IndependenceContract
from importlinter.contracts.layers import LayersContract
from importlinter.contracts.protected import ProtectedContract
from importlinter.domain.contract import InvalidContractOptions
from importlinter.domain.helpers import MissingImport

from archlint.domain import model
from archlint.domain.errors import ConfigProblem
from archlint.domain.results import ContractResult
from archlint.scanning.inventory import RootPackage

from . import contract_types, options, results, sites
from .graph import build_graph
from .grimp_cache import build_cached, grimp_cache_dir

importlinter_configuration.configure()

_CLASSES: dict[str, type[ImportLinterContract]] = {
    "layers": LayersContract,
    "independence": IndependenceContract,
    "forbidden": ForbiddenContract,
    "protected": ProtectedContract,
    "acyclic_siblings": AcyclicSiblingsContract,
    "acyclic": contract_types.AcyclicContract,
    "allowlist": contract_types.AllowlistContract,
    "archlint_layers": contract_types.LayersWithOptions,
    "archlint_independence": contract_types.IndependenceWithOptions,
    "archlint_forbidden": contract_types.ForbiddenWithOptions,
    "archlint_protected": contract_types.ProtectedWithOptions,
    "archlint_acyclic_siblings": contract_types.AcyclicSiblingsWithOptions,
}


@dataclass(frozen=True, slots=True)
class GraphOptions:
    """The options a graph is built with; contracts that agree on them share one graph."""

    exclude_type_checking_imports: bool
    include_external_packages: bool


def graph_options(project: model.Project, contract: model.Contract) -> GraphOptions:
    """The graph ``contract`` must be checked on (the same rule the per-file rules use)."""
    return GraphOptions(
        project.excludes_type_checking(contract), project.includes_external_packages(contract)
    )


@dataclass
class Graphs:
    """Builds each graph the contracts need, once."""

    project: model.Project
    #: archlint's cache folder; each graph keeps grimp's cache in a folder of its own below.
    cache_dir: Path | None
    #: Root packages already walked, so that grimp does not walk them again.
    packages: tuple[RootPackage, ...] = ()
    built: dict[GraphOptions, grimp.ImportGraph] = field(default_factory=dict)
    #: Called with each graph as soon as it is built (before any contract is checked on
    #: it): ``archlint check`` sends its child the lines it waits for.
    on_built: Callable[[GraphOptions, grimp.ImportGraph], None] | None = None

    def get(self, opts: GraphOptions) -> grimp.ImportGraph:
        """The graph for ``opts``, built on first use."""
        if opts not in self.built:
            cache = None
            if self.cache_dir is not None:
                cache = grimp_cache_dir(
                    self.cache_dir,
                    self.packages,
                    exclude_type_checking=opts.exclude_type_checking_imports,
                    external=opts.include_external_packages,
                )
            self.built[opts] = build_cached(
                lambda cache_dir: build_graph(
                    self.project.settings.root_packages,
                    self.project.source_root_paths,
                    exclude_type_checking_imports=opts.exclude_type_checking_imports,
                    include_external_packages=opts.include_external_packages,
                    cache_dir=cache_dir,
                    packages=self.packages,
                ),
                cache,
            )
            if self.on_built is not None:
                self.on_built(opts, self.built[opts])
        return self.built[opts]


def _problem(contract: model.Contract, message: str, field: str | None = None) -> ConfigProblem:
    return ConfigProblem(
        contract.origin.file,
        message,
        contract.origin.line,
        f"contract '{contract.id}'",
        field,
    )


def check_contract(
    project: model.Project, contract: model.Contract, graphs: Graphs
) -> ContractResult | ConfigProblem:
    """Check one contract; a problem instead when import-linter cannot check it."""
    opts = graph_options(project, contract)
    graph = graphs.get(opts)
    session: dict[str, Any] = options.session_options(project.settings)
    # The graph handed over already has this contract's options: tell the contract so, and
    # it will not build another.
    session["exclude_type_checking_imports"] = str(opts.exclude_type_checking_imports)
    session["include_external_packages"] = str(opts.include_external_packages)
    contract_options = options.contract_options(contract, project.settings)
    cls = _CLASSES[contract_options["type"]]
    try:
        checker = cls(
            name=contract.name, session_options=session, contract_options=contract_options
        )
        # The contract removes its ignored imports from its copy: the chains shown are read
        # from that copy.
        checked = copy.deepcopy(graph)
        check = checker.check(checked, verbose=False)
    except InvalidContractOptions as e:
        field_name, message = next(iter(e.errors.items()))
        return _problem(contract, message, field_name)
    except MissingImport as e:
        # One line per unmatched expression, in the order of a set: sorted, so that the
        # message is the same on every run.
        return _problem(contract, "; ".join(sorted(str(e).splitlines())), "ignore_imports")
    except (ValueError, KeyError) as e:
        return _problem(contract, str(e).strip("'\""))
    return results.to_result(contract, check, checked, checker)


def check_contracts(
    project: model.Project, contracts: Sequence[model.Contract], graphs: Graphs
) -> tuple[list[ContractResult], list[ConfigProblem]]:
    """Check each contract; return the results and the problems, in contract order."""
    # Import sites are remembered by module name: forget another project's (a process may
    # check several, as tests do).
    sites.clear()
    checked: list[ContractResult] = []
    problems: list[ConfigProblem] = []
    for contract in contracts:
        outcome = check_contract(project, contract, graphs)
        if isinstance(outcome, ConfigProblem):
            problems.append(outcome)
        else:
            checked.append(outcome)
    return checked, problems


def direct_imports(graphs: Graphs, opts: GraphOptions) -> dict[str, frozenset[str]]:
    """Every module's directly imported modules, over every graph ``graphs`` built; when it
    built none (a cached check), over the graph for ``opts``, built now."""
    built = list(graphs.built.values()) or [graphs.get(opts)]
    edges: dict[str, set[str]] = {}
    for graph in built:
        for module in graph.modules:
            edges.setdefault(module, set()).update(graph.find_modules_directly_imported_by(module))
    return {module: frozenset(targets) for module, targets in edges.items()}


def import_lines(
    graphs: Graphs, wanted: Callable[[str, str], bool] | None = None
) -> Callable[[str], frozenset[int]] | None:
    """The lines of a module's import statements that the graphs hold (the first line of
    each statement, as grimp reports it), over the graphs ``graphs`` built with the imports
    under ``TYPE_CHECKING``; None when it built no such graph. With ``wanted``, only the
    lines of the imports ``wanted(importer, imported)`` asks for.

    Asked per module, so that only the modules whose file is checked pay for the lookups.
    """
    full = [g for o, g in graphs.built.items() if not o.exclude_type_checking_imports]
    if not full:
        return None

    def lines_of(module: str) -> frozenset[int]:
        found: set[int] = set()
        for graph in full:
            if module not in graph.modules:
                continue
            for imported in graph.find_modules_directly_imported_by(module):
                if wanted is not None and not wanted(module, imported):
                    continue
                for detail in graph.get_import_details(importer=module, imported=imported):
                    found.add(int(detail["line_number"]))
        return frozenset(found)

    return lines_of


def import_lines_by_module(
    graphs: Graphs, wanted: Callable[[str, str], bool]
) -> dict[str, frozenset[int]] | None:
    """:func:`import_lines` of every module that has any, at once; None when no graph was
    built with the imports under ``TYPE_CHECKING``."""
    lines_of = import_lines(graphs, wanted)
    if lines_of is None:
        return None
    modules: set[str] = set()
    for opts, graph in graphs.built.items():
        if not opts.exclude_type_checking_imports:
            modules.update(graph.modules)
    return {module: found for module in modules if (found := lines_of(module))}
