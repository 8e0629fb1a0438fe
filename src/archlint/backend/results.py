"""import-linter's check results turned into archlint's :mod:`~archlint.domain.results`.

Each import-linter contract type keeps its findings in its own ``metadata`` shape; this module
reads each shape into chains of :class:`~archlint.domain.results.Link` with line numbers, so
that every output format renders every contract type the same way.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import grimp
from importlinter import Contract as ImportLinterContract
from importlinter import ContractCheck

from archlint.domain import cycles, model
from archlint.domain.results import Chain, ContractResult, Link, Violation

from . import canonical, sites


def _lines(numbers: Iterable[int | None]) -> tuple[int, ...]:
    return tuple(sorted({n for n in numbers if n is not None}))


def _make_link(importer: str, imported: str, numbers: Iterable[int | None]) -> Link:
    lines = _lines(numbers)
    context, lazy, checking = sites.link_facts(importer, lines)
    return Link(importer, imported, lines, context.lazy, context.type_checking, lazy, checking)


def _link(raw: Mapping[str, Any], graph: grimp.ImportGraph | None = None) -> Link:
    if "lazy" in raw:  # archlint's own contract types already looked the context up
        return Link(
            raw["importer"],
            raw["imported"],
            _lines(raw["line_numbers"]),
            bool(raw["lazy"]),
            bool(raw.get("type_checking", False)),
            _lines(raw.get("lazy_lines", ())),
            _lines(raw.get("type_checking_lines", ())),
        )
    return _make_link(raw["importer"], raw["imported"], raw.get("line_numbers", ()))


def _detailed_chain(raw: Mapping[str, Any], graph: grimp.ImportGraph) -> Chain:
    return Chain(
        links=tuple(_link(link, graph) for link in raw["chain"]),
        extra_firsts=tuple(_link(link, graph) for link in raw.get("extra_firsts", ())),
        extra_lasts=tuple(_link(link, graph) for link in raw.get("extra_lasts", ())),
    )


def _layers(check: ContractCheck, graph: grimp.ImportGraph) -> list[Violation]:
    out = [
        Violation(
            summary=f"{dep['importer']} is not allowed to import {dep['imported']}",
            chains=tuple(_detailed_chain(route, graph) for route in dep["routes"]),
            importer=dep["importer"],
            imported=dep["imported"],
        )
        for dep in sorted(
            check.metadata.get("invalid_dependencies", []),
            key=lambda d: (d["importer"], d["imported"]),
        )
    ]
    undeclared = sorted(check.metadata.get("undeclared_modules", ()))
    if undeclared:
        out.append(
            Violation(
                summary="not listed as a layer (the contract is exhaustive): "
                + ", ".join(undeclared)
            )
        )
    return out


def _independence(check: ContractCheck, graph: grimp.ImportGraph) -> list[Violation]:
    return [
        Violation(
            summary=f"{data['downstream_module']} is not allowed to import "
            f"{data['upstream_module']}",
            chains=tuple(_detailed_chain(c, graph) for c in data["chains"]),
            importer=data["downstream_module"],
            imported=data["upstream_module"],
        )
        for data in sorted(
            check.metadata.get("invalid_chains", []),
            key=lambda d: (d["downstream_module"], d["upstream_module"]),
        )
    ]


def _forbidden(check: ContractCheck, graph: grimp.ImportGraph) -> list[Violation]:
    return [
        Violation(
            summary=f"{data['downstream_module']} is not allowed to import "
            f"{data['upstream_module']}",
            chains=tuple(
                Chain(tuple(_link(link, graph) for link in chain)) for chain in data["chains"]
            ),
            importer=data["downstream_module"],
            imported=data["upstream_module"],
        )
        for data in check.metadata.get("invalid_chains", [])
    ]


def _protected(check: ContractCheck, graph: grimp.ImportGraph) -> list[Violation]:
    out = []
    # One entry per protected module, in the order of a set of expressions: sort them.
    found = sorted(
        check.metadata.get("illegal_imports", []),
        key=lambda d: (d.top_level_module, d.original_expression or ""),
    )
    for data in found:
        via = f" (via {data.original_expression})" if data.original_expression else ""
        out.append(
            Violation(
                summary=f"illegal imports of protected {data.top_level_module}{via}",
                chains=tuple(Chain((_link(link, graph),)) for link in data.illegal_links),
                imported=data.top_level_module,
            )
        )
    return out


def _child(package: str, module: str) -> str | None:
    """The child of ``package`` that ``module`` is, or lies below."""
    prefix = package + "."
    if not module.startswith(prefix):
        return None
    head = module[len(prefix) :].split(".", 1)[0]
    return prefix + head


def sibling_graph(
    graph: grimp.ImportGraph, package: str
) -> tuple[dict[str, set[str]], dict[tuple[str, str], list[tuple[str, str]]]]:
    """The children of ``package`` as one node each, and the module imports behind each edge."""
    adjacency: dict[str, set[str]] = {c: set() for c in graph.find_children(package)}
    behind: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for module in sorted(graph.find_descendants(package)):
        source = _child(package, module)
        if source is None:
            continue
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            target = _child(package, imported)
            if target is None or target == source:
                continue
            adjacency[source].add(target)
            behind.setdefault((source, target), []).append((module, imported))
    return adjacency, behind


def _acyclic_siblings(check: ContractCheck, graph: grimp.ImportGraph) -> list[Violation]:
    out = []
    for package in sorted(check.metadata.get("cycle_breakers_by_package", {})):
        adjacency, behind = sibling_graph(graph, package)
        for component in cycles.strongly_connected_components(adjacency):
            for cycle in cycles.covering_cycles(adjacency, component):
                links = []
                for source, target in itertools.pairwise(cycle):
                    importer, imported = behind[(source, target)][0]
                    details = graph.get_import_details(importer=importer, imported=imported)
                    links.append(
                        _make_link(importer, imported, (d["line_number"] for d in details))
                    )
                names = " -> ".join(_relative(c, package) for c in cycle)
                out.append(
                    Violation(summary=f"cycle in {package}: {names}", chains=(Chain(tuple(links)),))
                )
    return out


def _acyclic_siblings_notes(check: ContractCheck) -> list[str]:
    notes = []
    for summary in sorted(check.metadata.get("summaries", ())):
        deps = sorted(summary.dependencies)
        shown = [
            f".{d.downstream.rsplit('.', 1)[-1]} -> .{d.upstream.rsplit('.', 1)[-1]}"
            f" ({d.num_imports} import{'s' if d.num_imports != 1 else ''})"
            for d in deps
        ]
        notes.append(
            f"{summary.package} could be made acyclic by removing {len(deps)} "
            f"dependenc{'ies' if len(deps) != 1 else 'y'}:"
        )
        notes.extend(f"- {item}" for item in shown)
    return notes


def _relative(module: str, package: str) -> str:
    """``.sub.mod`` for a module below ``package`` (the way import-linter shortens names)."""
    return module[len(package) :] if module.startswith(package + ".") else module


def _acyclic(check: ContractCheck, graph: grimp.ImportGraph) -> list[Violation]:
    out = []
    for component in check.metadata.get("components", []):
        package = component["package"]
        cycles_found = component["cycles"]
        for number, raw_cycle in enumerate(cycles_found, start=1):
            chain = Chain(tuple(_link(link) for link in raw_cycle))
            names = " -> ".join(_relative(m, package) for m in chain.modules)
            out.append(
                Violation(
                    summary=f"cycle {number} of {len(cycles_found)} among "
                    f"{len(component['modules'])} modules of {package}: {names}",
                    chains=(chain,),
                )
            )
    return out


def _acyclic_notes(check: ContractCheck) -> list[str]:
    notes = []
    for component in check.metadata.get("components", []):
        package = component["package"]
        breakers = component["breakers"]
        notes.append(
            f"Removing {len(breakers)} import{'s' if len(breakers) != 1 else ''} would break "
            f"every cycle among the {len(component['modules'])} modules of {package}:"
        )
        for link in breakers:
            lines = ", ".join(f"l.{n}" for n in link["line_numbers"]) or "l.?"
            notes.append(f"- {link['importer']} -> {link['imported']} ({lines})")
    return notes


def _allowlist(check: ContractCheck, graph: grimp.ImportGraph) -> list[Violation]:
    return [
        Violation(
            summary=f"{v['source']} imports modules it is not allowed to",
            chains=tuple(Chain((_link(link),)) for link in v["links"]),
            importer=v["source"],
        )
        for v in check.metadata.get("violations", [])
    ]


_Reader = Callable[[ContractCheck, grimp.ImportGraph], list[Violation]]

_READERS: dict[str, _Reader] = {
    "layers": _layers,
    "independence": _independence,
    "forbidden": _forbidden,
    "protected": _protected,
    "acyclic_siblings": _acyclic_siblings,
    "acyclic": _acyclic,
    "allowlist": _allowlist,
}


def to_result(
    contract: model.Contract,
    check: ContractCheck,
    graph: grimp.ImportGraph,
    checker: ImportLinterContract,
) -> ContractResult:
    """archlint's result for ``contract`` from import-linter's ``check`` of it on ``graph``.

    ``checker`` is the import-linter contract that made ``check``, and ``graph`` the graph it
    checked (its ignored imports removed). Chains are made canonical first (the same on every
    run: :mod:`.canonical`); every list shown is sorted.
    """
    check = canonical.canonical_check(contract.type_name, checker, check, graph)
    violations = () if check.kept else tuple(_READERS[contract.type_name](check, graph))
    notes: list[str] = []
    if not check.kept and contract.type_name == "acyclic_siblings":
        notes = _acyclic_siblings_notes(check)
    elif not check.kept and contract.type_name == "acyclic":
        notes = _acyclic_notes(check)
    return ContractResult(
        contract=contract,
        kept=check.kept,
        violations=violations,
        # import-linter lists unmatched ignored imports in the order of a set.
        warnings=tuple(sorted(check.warnings)),
        notes=tuple(notes),
        ignored_import_count=check.ignored_import_count,
    )
