"""import-linter's chains replaced by the same chains on every run.

For ``forbidden``, ``independence`` and ``layers`` contracts, grimp picks one chain among
equally short ones in an order that changes from run to run, and import-linter hands the
routes of a layer dependency over as a set. The verdict does not move, the chains shown do,
so two runs on the same code print different reports and a baseline of chains never matches.

This module keeps import-linter's verdict and its list of broken (importer, imported) pairs,
and recomputes the chains of each pair with grimp's public graph queries, by grimp's own
greedy rule (a shortest chain, its imports forbidden, again) with ties broken by module name
(:mod:`archlint.domain.shortest_chains`). It runs on the graph the contract was checked on, so
the contract's ``ignore_imports`` are already removed from it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any, cast

import grimp
from importlinter import Contract as ImportLinterContract
from importlinter import ContractCheck
from importlinter.domain.helpers import module_expressions_to_modules
from importlinter.domain.imports import ModuleExpression

from archlint.domain.shortest_chains import shortest_chains

__all__ = ["canonical_check"]


class _Graph:
    """Memoised neighbour queries on one grimp graph."""

    def __init__(self, graph: grimp.ImportGraph) -> None:
        self.graph = graph
        self._imports: dict[str, frozenset[str]] = {}
        self._importers: dict[str, frozenset[str]] = {}

    def imports_of(self, module: str) -> frozenset[str]:
        found = self._imports.get(module)
        if found is None:
            found = frozenset(self.graph.find_modules_directly_imported_by(module))
            self._imports[module] = found
        return found

    def importers_of(self, module: str) -> frozenset[str]:
        found = self._importers.get(module)
        if found is None:
            found = frozenset(self.graph.find_modules_that_directly_import(module))
            self._importers[module] = found
        return found

    def package(self, module: str, *, as_package: bool = True) -> frozenset[str]:
        """``module`` and, as a package, every module below it."""
        if not as_package or self.graph.is_module_squashed(module):
            return frozenset((module,))
        return frozenset((module, *self.graph.find_descendants(module)))

    def link(self, importer: str, imported: str) -> dict[str, Any]:
        details = self.graph.get_import_details(importer=importer, imported=imported)
        lines = tuple(sorted({d["line_number"] for d in details}))
        return {"importer": importer, "imported": imported, "line_numbers": lines}

    def links(self, chain: Iterable[str]) -> list[dict[str, Any]]:
        return [self.link(a, b) for a, b in itertools.pairwise(chain)]

    def chains(
        self, sources: frozenset[str], targets: frozenset[str], avoid: frozenset[str]
    ) -> list[tuple[str, ...]]:
        return shortest_chains(self.imports_of, self.importers_of, sources, targets, avoid=avoid)

    def routes(
        self, sources: frozenset[str], targets: frozenset[str], avoid: frozenset[str]
    ) -> list[dict[str, Any]]:
        """The chains as import-linter's detailed chains (grimp's routes): every module of
        ``sources`` importing a chain's first middle module is a head, shown as one chain
        with ``extra_firsts``; the same for tails."""
        seen: set[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = set()
        routes = []
        for chain in self.chains(sources, targets, avoid):
            heads: tuple[str, ...]
            middle: tuple[str, ...]
            tails: tuple[str, ...]
            if len(chain) == 2:
                heads, middle, tails = (chain[0],), (), (chain[1],)
            else:
                middle = chain[1:-1]
                heads = tuple(sorted(self.importers_of(middle[0]) & sources))
                tails = tuple(sorted(self.imports_of(middle[-1]) & targets))
            if (heads, middle, tails) in seen:
                continue  # grimp's routes are a set: two chains through one middle are one route
            seen.add((heads, middle, tails))
            routes.append(
                {
                    "chain": self.links((heads[0], *middle, tails[0])),
                    "extra_firsts": [self.link(h, middle[0]) for h in heads[1:]] if middle else [],
                    "extra_lasts": [self.link(middle[-1], t) for t in tails[1:]] if middle else [],
                }
            )
        routes.sort(key=_route_order)
        return routes


def _route_order(route: dict[str, Any]) -> tuple[int, list[str]]:
    links = route["chain"]
    return len(links), [links[0]["importer"], *(link["imported"] for link in links)]


def _names(graph: grimp.ImportGraph, expressions: Any) -> list[str]:
    found = module_expressions_to_modules(graph, cast("Iterable[ModuleExpression]", expressions))
    return sorted(m.name for m in found)


def _forbidden(
    checker: ImportLinterContract, metadata: dict[str, Any], g: _Graph
) -> dict[str, Any]:
    as_packages = bool(getattr(checker, "as_packages", True))
    indirect_allowed = str(getattr(checker, "allow_indirect_imports", False)).lower() == "true"
    out = []
    for entry in metadata.get("invalid_chains", []):
        if indirect_allowed:  # direct imports only: a set of pairs, nothing to choose
            chains = sorted(
                entry["chains"], key=lambda c: [(x["importer"], x["imported"]) for x in c]
            )
        else:
            sources = g.package(entry["downstream_module"], as_package=as_packages)
            targets = g.package(entry["upstream_module"], as_package=as_packages)
            chains = [g.links(c) for c in g.chains(sources, targets, frozenset())]
        out.append({**entry, "chains": chains or entry["chains"]})
    out.sort(key=lambda e: (e["downstream_module"], e["upstream_module"]))
    return {**metadata, "invalid_chains": out}


def _independence(
    checker: ImportLinterContract, metadata: dict[str, Any], g: _Graph
) -> dict[str, Any]:
    members = frozenset().union(
        *(g.package(m) for m in _names(g.graph, getattr(checker, "modules", ())))
    )
    out = []
    for entry in metadata.get("invalid_chains", []):
        sources = g.package(entry["downstream_module"])
        targets = g.package(entry["upstream_module"])
        routes = g.routes(sources, targets, members - sources - targets)
        out.append({**entry, "chains": routes or entry["chains"]})
    out.sort(key=lambda e: (e["downstream_module"], e["upstream_module"]))
    return {**metadata, "invalid_chains": out}


def _layer_modules(checker: ImportLinterContract, g: _Graph) -> list[list[str]]:
    """For each container (sorted), the modules of all its layers that are in the graph."""
    containers: list[str | None] = list(_names(g.graph, getattr(checker, "containers", None) or ()))
    if not containers:
        containers = [None]
    modules = g.graph.modules
    found = []
    for container in containers:
        names = []
        for layer in getattr(checker, "layers", ()):
            for tail in layer.module_tails:
                name = tail.name if container is None else f"{container}.{tail.name}"
                if name in modules:
                    names.append(name)
        found.append(names)
    return found


def _layers(checker: ImportLinterContract, metadata: dict[str, Any], g: _Graph) -> dict[str, Any]:
    per_container = _layer_modules(checker, g)
    members = [frozenset().union(*(g.package(m) for m in names)) for names in per_container]
    out = []
    taken: dict[tuple[str, str], int] = {}
    for entry in sorted(
        metadata.get("invalid_dependencies", []), key=lambda d: (d["importer"], d["imported"])
    ):
        importer, imported = entry["importer"], entry["imported"]
        # The container the dependency came from: the one listing both layers (grimp reports
        # a pair once per container that has it, so a repeated pair takes the next one).
        candidates = [
            i for i, names in enumerate(per_container) if importer in names and imported in names
        ]
        index = taken.get((importer, imported), 0)
        taken[(importer, imported)] = index + 1
        routes = []
        if index < len(candidates):
            sources, targets = g.package(importer), g.package(imported)
            avoid = members[candidates[index]] - sources - targets
            routes = g.routes(sources, targets, avoid)
        out.append({**entry, "routes": routes or entry["routes"]})
    return {**metadata, "invalid_dependencies": out}


_CANONICAL = {
    "forbidden": _forbidden,
    "independence": _independence,
    "layers": _layers,
}


def canonical_check(
    type_name: str,
    checker: ImportLinterContract,
    check: ContractCheck,
    graph: grimp.ImportGraph,
) -> ContractCheck:
    """``check`` with each broken pair's chains replaced by the canonical ones.

    ``checker`` is the import-linter contract that made ``check`` on ``graph`` (the graph
    after it removed the contract's ignored imports). Other contract types, and kept
    contracts, are returned as they are.
    """
    rewrite = _CANONICAL.get(type_name)
    if rewrite is None or check.kept:
        return check
    return ContractCheck(
        kept=check.kept,
        metadata=rewrite(checker, dict(check.metadata), _Graph(graph)),
        warnings=list(check.warnings),
        ignored_import_count=check.ignored_import_count,
    )
