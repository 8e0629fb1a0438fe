"""The package-level picture of a project's imports, with the imports that break a contract.

This is what ``archlint graph`` draws. Its nodes are packages (or modules) at the level the
contracts speak of, and an edge between two nodes stands for every module import between them.

**Which nodes.** The candidates are

- each root package, and each of its children (modules and packages directly below it);
- each layer module of a ``layers`` contract, below each of its containers;
- each module an ``independence`` contract names (wildcards expanded).

Every module of the project belongs to the *finest* candidate that contains it (the longest
dotted prefix), and the candidates that end up holding at least one module are the nodes. So
with ``layers = ["orchestration", "features | monitoring", "shared"]`` in ``bot_v2`` and
``modules = ["bot_v2.features.*"]``, ``bot_v2.features.live_trade.risk.gate_validator`` is in
node ``bot_v2.features.live_trade``, and ``bot_v2.features`` is a node of its own only for its
``__init__.py``.

**Ranks.** The layers of every ``layers`` contract, top layer first, group the nodes that lie
in their layer modules (a node inside several layer modules takes the finest of them, then the
first in contract order). Nodes in no layer module (the root package itself, an entry point
module beside the layers) have no rank.

**What breaks.** An import (one module importing another, however many statements say so)
breaks a contract when

- by itself it breaks a ``layers``, ``independence``, ``forbidden``, ``protected`` or
  ``allowlist`` contract (:class:`~archlint.domain.rules.ContractIndex`: the rules of the flake8
  plugin's ARC101-105); or
- it lies on an import cycle that an ``acyclic`` contract forbids (its two modules are in one
  strongly connected component of a package the contract names), or that an
  ``acyclic_siblings`` contract forbids (it joins two children of a checked package that are in
  one strongly connected component of the graph of those children).

Each contract's ``ignore_imports`` and ``exclude_type_checking_imports`` (and an ``acyclic``
contract's ``exclude_lazy_imports``) apply as in ``archlint check``. Indirect chains are not
drawn: an edge is red only when one of its own imports breaks a contract.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from . import model
from .cycles import strongly_connected_components
from .expressions import is_in_package
from .metrics import ImportEdge, ModuleGraph, expand
from .rules import ContractIndex

__all__ = [
    "PackageEdge",
    "PackageGraph",
    "PackageNode",
    "Rank",
    "breaking_imports",
    "package_graph",
]

#: An import between two modules: ``(importer, imported)``.
Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class PackageNode:
    """One node: a package (or module) and what lies inside it."""

    name: str
    #: Modules (files) in the node, ``__init__.py`` included, namespace packages not.
    modules: int
    #: Imports between modules of the node, and how many of them break a contract.
    inner_imports: int = 0
    inner_breaks: int = 0
    #: Ids of the contracts its inner imports break, sorted.
    contracts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PackageEdge:
    """Every import from modules of ``source`` to modules of ``target``."""

    source: str
    target: str
    imports: int
    breaks: int = 0
    #: Ids of the contracts its imports break, sorted.
    contracts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Rank:
    """One layer: its label (the layer as written) and its nodes."""

    label: str
    nodes: tuple[str, ...]


@dataclass(frozen=True)
class PackageGraph:
    """Nodes sorted by name, edges sorted by (source, target), ranks top layer first."""

    nodes: tuple[PackageNode, ...]
    edges: tuple[PackageEdge, ...]
    ranks: tuple[Rank, ...] = ()


def package_graph(project: model.Project, graph: ModuleGraph) -> PackageGraph:
    """Aggregate ``graph`` to the nodes described in the module documentation."""
    candidates, layer_modules = _candidates(project, graph)
    node_of = {name: _finest(name, candidates) for name in graph.modules}
    breaks = breaking_imports(project, graph)

    sizes: dict[str, int] = defaultdict(int)
    for name, module in graph.modules.items():
        sizes[node_of[name]] += 0 if module.namespace else 1
    counts: dict[Pair, list[int]] = defaultdict(lambda: [0, 0])
    contracts: dict[Pair, set[str]] = defaultdict(set)
    for pair in graph.edges:
        key = (node_of[pair[0]], node_of[pair[1]])
        counts[key][0] += 1
        broken = breaks.get(pair)
        if broken:
            counts[key][1] += 1
            contracts[key].update(broken)

    nodes = tuple(
        PackageNode(
            name,
            sizes[name],
            counts[(name, name)][0] if (name, name) in counts else 0,
            counts[(name, name)][1] if (name, name) in counts else 0,
            tuple(sorted(contracts.get((name, name), ()))),
        )
        for name in sorted(sizes)
    )
    edges = tuple(
        PackageEdge(source, target, n, b, tuple(sorted(contracts.get((source, target), ()))))
        for (source, target), (n, b) in sorted(counts.items())
        if source != target
    )
    return PackageGraph(nodes, edges, _ranks(layer_modules, sorted(sizes)))


def _finest(module: str, candidates: set[str]) -> str:
    """The longest candidate that ``module`` is or lies below (its top-level name at worst)."""
    name = module
    while True:
        if name in candidates:
            return name
        head, dot, _ = name.rpartition(".")
        if not dot:
            return name
        name = head


#: A layer module and its layer: ``(name, rank label, rank position)``.
_LayerModule = tuple[str, str, int]


def _candidates(project: model.Project, graph: ModuleGraph) -> tuple[set[str], list[_LayerModule]]:
    """The candidate nodes, and every layer module with its rank, in contract order."""
    names = graph.names
    candidates: set[str] = set()
    for root in project.settings.root_packages:
        if root in graph:
            candidates.add(root)
            candidates.update(graph.children(root))
    groups: list[tuple[str, model.Layer, str]] = []
    for contract in project.contracts:
        if isinstance(contract, model.LayersContract):
            containers: Iterable[str] = [
                c for expression in contract.containers for c in expand(expression, names)
            ] or ([""] if not contract.containers else [])
            for container in containers:
                groups.extend((container, layer, contract.id) for layer in contract.layers)
        elif isinstance(contract, model.IndependenceContract):
            for expression in contract.modules:
                candidates.update(expand(expression, names))
    several = len({(container, cid) for container, _, cid in groups}) > 1
    layer_modules: list[_LayerModule] = []
    for position, (container, layer, cid) in enumerate(groups):
        text = layer.text or (" | " if layer.independent else " : ").join(
            m.name for m in layer.modules
        )
        label = f"{cid} {container}: {text}" if several else text
        for module in layer.modules:
            name = f"{container}.{module.name}" if container else module.name
            if name in graph:
                candidates.add(name)
                layer_modules.append((name, label, position))
    return candidates, layer_modules


def _ranks(layer_modules: list[_LayerModule], nodes: list[str]) -> tuple[Rank, ...]:
    """Group the nodes by the layer whose module holds them: the finest such module, then
    the first in contract order."""
    by_position: dict[int, tuple[str, list[str]]] = {}
    for node in nodes:
        found = [lm for lm in layer_modules if is_in_package(node, lm[0])]
        if not found:
            continue
        # The finest layer module first, then contract order.
        _, label, position = min(found, key=lambda lm: (-lm[0].count("."), lm[2]))
        by_position.setdefault(position, (label, []))[1].append(node)
    return tuple(Rank(label, tuple(members)) for _, (label, members) in sorted(by_position.items()))


def breaking_imports(project: model.Project, graph: ModuleGraph) -> dict[Pair, frozenset[str]]:
    """Every import of ``graph`` that breaks a contract, with the ids of what it breaks."""
    found: dict[Pair, set[str]] = defaultdict(set)
    index = ContractIndex(project.contracts, project.settings.root_packages)
    if index.contracts:
        for pair, edge in graph.edges.items():
            for breach in index.breaches(
                edge.importer, edge.imported, type_checking=edge.type_checking, project=project
            ):
                found[pair].add(breach.contract.id)
    for contract in project.contracts:
        if isinstance(contract, model.AcyclicContract):
            keep = _keeps(project, contract, contract.exclude_lazy_imports)
            for package in {p for e in contract.packages for p in expand(e, graph.names)}:
                for pair in _cycle_imports(graph.adjacency(within=package, keep=keep)):
                    found[pair].add(contract.id)
        elif isinstance(contract, model.AcyclicSiblingsContract):
            for pair in _sibling_cycle_imports(project, contract, graph):
                found[pair].add(contract.id)
    return {pair: frozenset(ids) for pair, ids in found.items()}


def _keeps(
    project: model.Project, contract: model.Contract, skip_lazy: bool = False
) -> Callable[[ImportEdge], bool]:
    """Whether an edge counts for ``contract``: not ignored, not left out by its options."""
    skip_tc = project.excludes_type_checking(contract)

    def keep(edge: ImportEdge) -> bool:
        if skip_tc and edge.type_checking:
            return False
        if skip_lazy and edge.lazy:
            return False
        return not contract.is_ignored(edge.importer, edge.imported)

    return keep


def _cycle_imports(adj: dict[str, set[str]]) -> list[Pair]:
    """The edges of ``adj`` that lie on a cycle: both ends in one strongly connected component."""
    component_of = {m: i for i, comp in enumerate(strongly_connected_components(adj)) for m in comp}
    out: list[Pair] = []
    for importer, targets in adj.items():
        c = component_of.get(importer)
        if c is None:
            continue
        out.extend((importer, t) for t in targets if t != importer and component_of.get(t) == c)
    return out


def _sibling_cycle_imports(
    project: model.Project, contract: model.AcyclicSiblingsContract, graph: ModuleGraph
) -> list[Pair]:
    """Imports joining two children of a checked package that are on a cycle among them.

    An import ``a -> b`` matters for exactly one package: the deepest one that holds both
    ``a`` and ``b`` below it (when neither holds the other). So the imports are grouped by
    that package once, and each checked package's group makes the graph of its children.
    """
    keep = _keeps(project, contract)
    ancestors = {a for e in contract.ancestors for a in expand(e, graph.names)}
    skipped = {s for e in contract.skip_descendants for s in expand(e, graph.names)}
    by_package: dict[str, list[tuple[str, str, Pair]]] = defaultdict(list)
    for pair, edge in graph.edges.items():
        if not keep(edge):
            continue
        a, b = pair[0].split("."), pair[1].split(".")
        common = 0
        for x, y in zip(a, b, strict=False):
            if x != y:
                break
            common += 1
        if common == 0 or common >= min(len(a), len(b)):
            continue  # different top-level packages, or one holds the other
        package = ".".join(a[:common])
        child_a, child_b = ".".join(a[: common + 1]), ".".join(b[: common + 1])
        by_package[package].append((child_a, child_b, pair))

    out: list[Pair] = []
    for package, imports in by_package.items():
        if not _checked(package, ancestors, skipped, contract.depth):
            continue
        children: dict[str, set[str]] = defaultdict(set)
        for child_a, child_b, _ in imports:
            children[child_a].add(child_b)
        component_of = {
            m: i for i, comp in enumerate(strongly_connected_components(children)) for m in comp
        }
        for child_a, child_b, pair in imports:
            c = component_of.get(child_a)
            if c is not None and component_of.get(child_b) == c:
                out.append(pair)
    return out


def _checked(package: str, ancestors: set[str], skipped: set[str], depth: int) -> bool:
    """Whether import-linter's ``acyclic_siblings`` looks for cycles among ``package``'s
    children: it is an ancestor, or lies at most ``depth`` levels below one with no skipped
    descendant on the way down (a skipped package is not entered)."""
    for ancestor in ancestors:
        if not is_in_package(package, ancestor):
            continue
        if package == ancestor:
            return True
        below = package[len(ancestor) + 1 :].split(".")
        if len(below) > depth:
            continue
        path = [f"{ancestor}.{'.'.join(below[: i + 1])}" for i in range(len(below))]
        if not any(p in skipped for p in path):
            return True
    return False
