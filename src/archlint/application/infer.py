"""Starter contracts inferred from a module graph, made to hold on the code they come from.

Pure: a :class:`~archlint.domain.metrics.ModuleGraph` in, contracts (as plain field lists) out.

- **Layers**, per root package: its children ordered by what they reach. A child *reaches*
  another when any of its modules imports, directly or through any chain of other modules
  (the root's ``__init__`` included), a module of the other. That is stronger than the direct
  imports between children, so the order holds for import-linter's indirect chains too.
  Children that reach each other share one ``:`` layer; each child's level is the longest path
  of children below it, and children of one level reach none of each other, so they form one
  ``|`` layer (a ``:`` group gets a layer of its own next to it).
- **Independence**, per child package of a root: its child packages that reach none of each
  other (all of its children as ``P.*`` when every one of them is independent of the rest).
- **Acyclic**, for the outermost packages (a root, else its packages, and so on down) with at
  least two modules and no import cycle among their modules today.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any

from archlint.domain.cycles import strongly_connected_components
from archlint.domain.expressions import is_in_package
from archlint.domain.metrics import ModuleGraph


@dataclass(frozen=True)
class Inferred:
    """One inferred contract: its fields in order, and what to tell the user about it."""

    id: str
    fields: tuple[tuple[str, Any], ...]
    #: Comment lines written above it (what was left out and why).
    notes: tuple[str, ...] = ()


def _reach(adjacency: Mapping[str, Set[str]], start: Set[str]) -> set[str]:
    """Every module reachable from ``start`` by one import or more."""
    seen: set[str] = set()
    queue = deque(m for s in start for m in adjacency.get(s, ()))
    while queue:
        module = queue.popleft()
        if module in seen:
            continue
        seen.add(module)
        queue.extend(adjacency.get(module, ()))
    return seen


def _owner(module: str, parents: Sequence[str]) -> str | None:
    """The one of ``parents`` (siblings) that holds ``module``."""
    for parent in parents:
        if is_in_package(module, parent):
            return parent
    return None


def reaches(
    graph: ModuleGraph, adjacency: Mapping[str, Set[str]], siblings: Sequence[str]
) -> dict[str, set[str]]:
    """For each sibling, the other siblings it reaches through the whole graph."""
    found: dict[str, set[str]] = {}
    for sibling in siblings:
        members = {m for m in graph.names if is_in_package(m, sibling)}
        reached = {_owner(m, siblings) for m in _reach(adjacency, members)}
        found[sibling] = {s for s in reached if s is not None and s != sibling}
    return found


def _last(name: str) -> str:
    return name.rpartition(".")[2]


def layers(
    graph: ModuleGraph, adjacency: Mapping[str, Set[str]], root: str
) -> tuple[list[str], list[str]]:
    """The layers of ``root``'s children, top first, and notes on the ``:`` groups."""
    children = graph.children(root)
    reach = reaches(graph, adjacency, children)
    groups = strongly_connected_components(reach)
    group_of = {c: frozenset([c]) for c in children}
    for group in groups:
        for member in group:
            group_of[member] = group
    below: dict[frozenset[str], set[frozenset[str]]] = {}
    for child in children:
        mine = group_of[child]
        below.setdefault(mine, set()).update(
            group_of[r] for r in reach[child] if group_of[r] != mine
        )
    level: dict[frozenset[str], int] = {}

    def level_of(group: frozenset[str]) -> int:
        # The group graph is acyclic (components collapsed); iterate to avoid deep recursion.
        stack = [group]
        while stack:
            top = stack[-1]
            pending = [g for g in below[top] if g not in level]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            level[top] = 1 + max((level[g] for g in below[top]), default=-1)
        return level[group]

    by_level: dict[int, list[frozenset[str]]] = {}
    for group in sorted(set(group_of.values()), key=lambda g: sorted(g)):
        by_level.setdefault(level_of(group), []).append(group)
    out: list[str] = []
    notes: list[str] = []
    for n in sorted(by_level, reverse=True):
        singles = sorted(_last(next(iter(g))) for g in by_level[n] if len(g) == 1)
        if singles:
            out.append(" | ".join(singles))
        for group in (g for g in by_level[n] if len(g) > 1):
            names = sorted(_last(m) for m in group)
            out.append(" : ".join(names))
            notes.append(
                f"{', '.join(names)} import each other today (directly or through other "
                "modules), so they share one layer (':'); untangle them to split it"
            )
    return out, notes


def independent_children(
    graph: ModuleGraph, adjacency: Mapping[str, Set[str]], package: str
) -> list[str] | None:
    """``package``'s child packages that reach none of each other (greedily, in name order);
    ``[package.*]`` when every child does; None when fewer than two."""
    children = graph.children(package)
    reach = reaches(graph, adjacency, children)

    def independent(a: str, b: str) -> bool:
        return b not in reach[a] and a not in reach[b]

    if len(children) >= 2 and all(
        independent(a, b) for i, a in enumerate(children) for b in children[i + 1 :]
    ):
        return [f"{package}.*"]
    subpackages = [c for c in children if graph.modules[c].is_package]
    chosen: list[str] = []
    for candidate in subpackages:
        if all(independent(candidate, other) for other in chosen):
            chosen.append(candidate)
    return chosen if len(chosen) >= 2 else None


def acyclic_packages(graph: ModuleGraph, adjacency: Mapping[str, Set[str]], root: str) -> list[str]:
    """The outermost packages below (and including) ``root`` whose modules form no cycle."""
    found: list[str] = []
    stack = [root]
    while stack:
        package = stack.pop()
        members = _below(graph, package)
        inside = {m: adjacency.get(m, set()) & members for m in members}
        if len(inside) < 2:
            continue
        if not strongly_connected_components(inside):
            found.append(package)
            continue
        stack.extend(c for c in reversed(graph.children(package)) if graph.modules[c].is_package)
    return sorted(found)


def _below(graph: ModuleGraph, package: str) -> set[str]:
    return {m for m in graph.names if is_in_package(m, package)}


def _id(text: str) -> str:
    from .migrate_translate import slugify

    return slugify(text.replace(".", "-"))


def infer(
    graph: ModuleGraph, roots: Sequence[str], *, exclude_type_checking: bool = False
) -> list[Inferred]:
    """Starter contracts for ``roots``, each with a ``why`` saying it was inferred and how."""
    keep = (lambda e: not e.type_checking) if exclude_type_checking else None
    adjacency = graph.adjacency(keep=keep)
    found: list[Inferred] = []
    for root in roots:
        layered, notes = layers(graph, adjacency, root)
        if len(layered) >= 2:
            why = (
                f"Inferred by `archlint init` from today's imports: each layer of {root} "
                "imports only layers below it, directly or through other modules."
            )
            found.append(
                Inferred(
                    _id(f"{root}-layers"),
                    (
                        ("type", "layers"),
                        ("name", f"{root} layers (inferred)"),
                        ("why", why),
                        ("containers", [root]),
                        ("layers", layered),
                    ),
                    tuple(notes),
                )
            )
        for child in graph.children(root):
            if not graph.modules[child].is_package:
                continue
            modules = independent_children(graph, adjacency, child)
            if modules is None:
                continue
            why = (
                f"Inferred by `archlint init` from today's imports: these parts of {child} "
                "import none of each other, directly or through other modules."
            )
            found.append(
                Inferred(
                    _id(f"{child}-independent"),
                    (
                        ("type", "independence"),
                        ("name", f"{child} parts stand alone (inferred)"),
                        ("why", why),
                        ("modules", modules),
                    ),
                )
            )
        for package in acyclic_packages(graph, adjacency, root):
            why = (
                f"Inferred by `archlint init`: no module of {package} is on an import cycle "
                "with others today; keep it that way."
            )
            found.append(
                Inferred(
                    _id(f"{package}-acyclic"),
                    (
                        ("type", "acyclic"),
                        ("name", f"No import cycle in {package} (inferred)"),
                        ("why", why),
                        ("packages", [package]),
                    ),
                )
            )
    return found
