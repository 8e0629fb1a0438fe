"""The shortest import chains between two sets of modules, the same ones on every run.

grimp finds illegal chains greedily: take a shortest chain from the importers to the imported
modules, forbid its imports, and repeat until none is left. Which chain it takes among equally
short ones depends on the order modules entered its graph, which changes from run to run. This
module runs the same greedy search with one fixed rule for ties: the chain taken is the
lexicographically smallest by module names among the shortest ones (smallest first module,
then smallest second, ...). The same graph therefore always gives the same chains, in the
same order, whatever the iteration order of the sets it is given.

The graph is reached through two functions (the modules a module imports, the modules that
import it), so a caller can answer them from any graph, lazily; this module needs no library.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Set

__all__ = ["Neighbours", "shortest_chain", "shortest_chains"]

#: A module -> the modules on one side of it (what it imports, or what imports it).
Neighbours = Callable[[str], Collection[str]]


def shortest_chain(
    imports_of: Neighbours,
    importers_of: Neighbours,
    sources: Set[str],
    targets: Set[str],
    *,
    avoid: Set[str] = frozenset(),
    used: Set[tuple[str, str]] = frozenset(),
) -> tuple[str, ...] | None:
    """The lexicographically smallest of the shortest chains from ``sources`` to ``targets``.

    A chain is a tuple of modules, each importing the next, from a module of ``sources`` to
    one of ``targets``. No module of ``avoid`` is imported along it (grimp's "excluded
    modules": a contract's other layers), and no import of ``used`` is on it. ``None`` when
    there is no chain. ``sources`` and ``targets`` must not overlap.

    A breadth-first search backwards from ``targets`` gives each module its distance to them,
    level by level, until a level holds a source; the chain then starts at the smallest such
    source and steps each time to the smallest module one step closer.
    """
    distance: dict[str, int] = {t: 0 for t in targets}
    level = sorted(targets)
    depth = 0
    starts: list[str] = []
    while level and not starts:
        depth += 1
        following: list[str] = []
        for module in level:
            for importer in importers_of(module):
                if importer in distance or (importer, module) in used:
                    continue
                distance[importer] = depth
                if importer in sources:
                    starts.append(importer)
                elif importer not in avoid:  # no chain goes on through an avoided module
                    following.append(importer)
        level = following
    if not starts:
        return None
    chain = [min(starts)]
    for step in range(depth - 1, -1, -1):
        here = chain[-1]
        chain.append(
            min(
                m
                for m in imports_of(here)
                if distance.get(m) == step
                and (here, m) not in used
                and (m not in avoid or m in targets)
            )
        )
    return tuple(chain)


def shortest_chains(
    imports_of: Neighbours,
    importers_of: Neighbours,
    sources: Set[str],
    targets: Set[str],
    *,
    avoid: Set[str] = frozenset(),
) -> list[tuple[str, ...]]:
    """Every chain grimp's greedy search finds, each one chosen by :func:`shortest_chain`.

    After each chain its imports are forbidden for the next searches, so the chains share no
    import. The list comes out sorted by length, then by module names (a later chain is never
    shorter, and any chain of the same length was already there and larger).
    """
    chains: list[tuple[str, ...]] = []
    used: set[tuple[str, str]] = set()
    while True:
        chain = shortest_chain(imports_of, importers_of, sources, targets, avoid=avoid, used=used)
        if chain is None:
            return chains
        chains.append(chain)
        used.update(itertools.pairwise(chain))
