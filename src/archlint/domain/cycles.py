"""Cycle algorithms over module import graphs: components, cycles to show, edges to cut, depth.

A graph is a mapping from an importing module to the modules it imports directly
(:data:`Graph`). A module that only ever appears as an import target is a node too.

Self-loops (a module importing itself, which Python allows and which harms nobody) are
ignored by every function here: they never form a component, never appear in a cycle and
are never proposed as an edge to cut.

Everything is pure, deterministic (same graph in, same answer out, whatever the iteration
order of the mapping and its collections) and iterative: real projects have tens of
thousands of modules and long import chains, far past Python's recursion limit.
"""

from __future__ import annotations

import heapq
import itertools
from collections import deque
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence, Set

__all__ = [
    "Graph",
    "covering_cycles",
    "cycle_breakers",
    "import_depth",
    "mutual_pairs",
    "shortest_cycle_through",
    "strongly_connected_components",
]

#: Importing module -> the modules it imports directly.
Graph = Mapping[str, Collection[str]]

#: Above this many edges inside one component, :func:`cycle_breakers` skips its
#: minimisation pass: that pass costs one graph search per cut edge, which is quadratic, and a
#: component that large is reported as "untangle this" rather than edge by edge anyway.
_MINIMISE_MAX_EDGES = 2000


def strongly_connected_components(graph: Graph) -> list[frozenset[str]]:
    """Return every strongly connected component with at least two modules.

    Each component is a set of modules that all (transitively) import each other. Singletons
    are left out: a module alone is not a cycle, and self-loops are ignored. The list is sorted
    by each component's smallest module name.

    Linear in nodes + edges (iterative Tarjan), plus sorting the output.
    """
    names, adj = _index(graph)
    found = [frozenset(names[i] for i in comp) for comp in _tarjan(adj) if len(comp) >= 2]
    # Components are disjoint, so their smallest members are distinct: a total order.
    found.sort(key=min)
    return found


def mutual_pairs(graph: Graph) -> list[tuple[str, str]]:
    """Return every pair ``(a, b)``, ``a < b``, where ``a`` imports ``b`` and ``b`` imports ``a``.

    These are the two-module cycles, the most common and the easiest to fix. Sorted. Linear
    in edges (plus sorting the output).
    """
    # A set of edges, because the mapping's collections may be lists where ``in`` is linear.
    edges = {(a, b) for a, targets in graph.items() for b in targets if a != b}
    return sorted((a, b) for a, b in edges if a < b and (b, a) in edges)


def shortest_cycle_through(
    graph: Graph,
    importer: str,
    imported: str,
    within: Set[str] | None = None,
) -> tuple[str, ...] | None:
    """Return the shortest cycle that uses the edge ``importer -> imported``, or ``None``.

    The cycle is a tuple that starts and ends at ``importer``:
    ``("a", "b", "c", "a")`` means a imports b, b imports c, c imports a. It is found by a
    breadth-first search from ``imported`` back to ``importer`` that visits neighbours in
    sorted order, so among equally short cycles the answer is always the same one.

    With ``within``, only modules in that set may be on the cycle (typically one strongly
    connected component). ``None`` when the edge is not in the graph, is a self-loop, has an
    end outside ``within``, or lies on no cycle.
    """
    if importer == imported or imported not in graph.get(importer, ()):
        return None
    if within is not None and (importer not in within or imported not in within):
        return None

    def successors(node: str) -> Sequence[str]:
        # Sorted for deterministic tie-breaking; each node is expanded at most once per search.
        return sorted(
            {t for t in graph.get(node, ()) if t != node and (within is None or t in within)}
        )

    path = _shortest_path(successors, imported, importer)
    return None if path is None else (importer, *path)


def covering_cycles(
    graph: Graph,
    component: Set[str],
    limit: int | None = None,
) -> list[tuple[str, ...]]:
    """Return cycles inside ``component`` that together use every edge between its members.

    Built greedily: the component's edges are taken in sorted order; an edge already on a
    listed cycle is skipped, otherwise the shortest cycle through it (as
    :func:`shortest_cycle_through` finds it, within the component) is added. Every cycle is a
    tuple that starts and ends at its smallest member (``("a", "c", "b", "a")``), so one cycle
    never shows up under two rotations. The result is sorted by (length, tuple).

    Because each new cycle is a shortest one, a component made only of mutual imports yields
    exactly its two-module cycles, never a long tour through several of them.

    ``limit`` caps how many cycles are returned; the search stops as soon as that many are
    found, so a huge component stays cheap to report. The capped result is then the first
    ``limit`` cycles of the greedy walk (a subset of the uncapped result), sorted; it says
    nothing about how many more there are.

    ``component`` should be a strongly connected component; given any other set, edges of it
    that lie on no cycle inside it are simply left uncovered. Self-loops are ignored.
    """
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be >= 0, got {limit}")
    # The component's own adjacency, deduplicated and sorted once rather than per search:
    # covering a big component runs one breadth-first search per uncovered edge.
    succ: dict[str, list[str]] = {
        node: sorted({t for t in graph.get(node, ()) if t != node and t in component})
        for node in component
    }
    cycles: list[tuple[str, ...]] = []
    covered: set[tuple[str, str]] = set()
    if limit != 0:
        for importer, imported in _sorted_edges(succ):
            if (importer, imported) in covered:
                continue
            path = _shortest_path(succ.__getitem__, imported, importer)
            if path is None:
                continue
            cycle = _rotate_to_smallest((importer, *path))
            cycles.append(cycle)
            covered.update(itertools.pairwise(cycle))
            if len(cycles) == limit:
                break
    cycles.sort(key=lambda c: (len(c), c))
    return cycles


def cycle_breakers(graph: Graph, component: Set[str]) -> set[tuple[str, str]]:
    """Return edges ``(importer, imported)`` inside ``component`` whose removal makes it acyclic.

    This is a feedback arc set. Finding a minimum one is NP-hard, so this is a heuristic: the
    Eades–Lin–Smyth greedy ordering puts the modules in a line (sinks to the end, sources to
    the front, otherwise the module with the most "imports minus importers" next), and the
    edges pointing backwards along that line are the candidates. A minimisation pass then
    puts back every candidate whose return would not close a cycle, so the answer is minimal
    by inclusion (no edge of it can be dropped) though not necessarily minimum in size. That
    pass is skipped for components with more than 2,000 edges, where it would be too slow.

    For a component made only of mutual imports the result has exactly one edge per pair.
    Deterministic; self-loops are ignored. O((V + E) log V) plus the minimisation pass.
    """
    names = sorted(component)
    ids = {name: i for i, name in enumerate(names)}
    succ = [
        sorted({ids[t] for t in graph.get(name, ()) if t != name and t in ids}) for name in names
    ]
    order = _eades_lin_smyth(succ)
    position = [0] * len(names)
    for pos, node in enumerate(order):
        position[node] = pos

    kept: list[list[int]] = [[] for _ in names]
    backward: list[tuple[int, int]] = []
    for u, targets in enumerate(succ):
        for v in targets:
            if position[u] < position[v]:
                kept[u].append(v)
            else:
                backward.append((u, v))

    if sum(len(targets) for targets in succ) <= _MINIMISE_MAX_EDGES:
        # ``kept`` is acyclic and stays so: an edge goes back in only when its target cannot
        # reach its source. An edge refused now would still close a cycle later (``kept`` only
        # grows), so one pass suffices for inclusion-minimality. ``backward`` is in sorted
        # order, which keeps the pass deterministic.
        needed: list[tuple[int, int]] = []
        for u, v in backward:
            if _reaches(kept, v, u):
                needed.append((u, v))
            else:
                kept[u].append(v)
        backward = needed
    return {(names[u], names[v]) for u, v in backward}


def import_depth(graph: Graph) -> int:
    """Return the number of modules on the longest import chain, counting each cycle as one.

    This is the longest path, in nodes, of the condensation (the DAG whose nodes are the
    strongly connected components). A single module with no imports has depth 1,
    ``a -> b -> c`` has depth 3, the empty graph has depth 0. Modules that are only imported
    count. Linear in nodes + edges.
    """
    _, adj = _index(graph)
    components = _tarjan(adj)
    component_of = [0] * len(adj)
    for c, members in enumerate(components):
        for node in members:
            component_of[node] = c
    # Tarjan emits a component only after every component it can reach, so walking them in
    # emission order sees each successor's depth before it is needed.
    depth = [1] * len(components)
    for c, members in enumerate(components):
        best = 1
        for node in members:
            for target in adj[node]:
                d = component_of[target]
                if d != c and depth[d] >= best:
                    best = depth[d] + 1
        depth[c] = best
    return max(depth, default=0)


def _index(graph: Graph) -> tuple[list[str], list[list[int]]]:
    """Number the graph's nodes (keys first, then target-only modules) and map its edges.

    Self-loops are dropped here so that no algorithm downstream has to think about them.
    """
    ids: dict[str, int] = {}
    names: list[str] = []
    for node in graph:
        if node not in ids:
            ids[node] = len(names)
            names.append(node)
    adj: list[list[int]] = [[] for _ in names]
    for node, targets in graph.items():
        i = ids[node]
        row = adj[i]
        for target in targets:
            j = ids.get(target)
            if j is None:
                j = ids[target] = len(names)
                names.append(target)
                adj.append([])
            if j != i:
                row.append(j)
    return names, adj


def _tarjan(adj: Sequence[Sequence[int]]) -> list[list[int]]:
    """Return all strongly connected components (singletons included) of an indexed graph.

    Iterative Tarjan: an explicit stack of (node, iterator over its successors) stands in for
    the call stack, so chains of any length are fine. Components come out in reverse
    topological order: each after every component it can reach.
    """
    n = len(adj)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    components: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] >= 0:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        calls = [(root, iter(adj[root]))]
        while calls:
            node, successors = calls[-1]
            for succ in successors:
                if index[succ] < 0:
                    # "Recurse": suspend ``node`` mid-iteration and descend into ``succ``.
                    index[succ] = low[succ] = counter
                    counter += 1
                    stack.append(succ)
                    on_stack[succ] = True
                    calls.append((succ, iter(adj[succ])))
                    break
                if on_stack[succ] and index[succ] < low[node]:
                    low[node] = index[succ]
            else:
                # All successors done: "return" from ``node``.
                calls.pop()
                if calls:
                    parent = calls[-1][0]
                    if low[node] < low[parent]:
                        low[parent] = low[node]
                if low[node] == index[node]:
                    members: list[int] = []
                    while True:
                        member = stack.pop()
                        on_stack[member] = False
                        members.append(member)
                        if member == node:
                            break
                    components.append(members)
    return components


def _shortest_path(
    successors: Callable[[str], Sequence[str]], start: str, goal: str
) -> list[str] | None:
    """Return the shortest path ``[start, ..., goal]`` by breadth-first search, or ``None``.

    ``successors`` must return neighbours in a fixed (sorted) order: the first node to reach
    another becomes its parent, which is what makes ties deterministic.
    """
    parent: dict[str, str] = {start: start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for succ in successors(node):
            if succ in parent:
                continue
            parent[succ] = node
            if succ == goal:
                # Stop at discovery rather than at dequeue: the parent is already fixed.
                path = [goal]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                path.reverse()
                return path
            queue.append(succ)
    return None


def _sorted_edges(succ: Mapping[str, Sequence[str]]) -> Iterator[tuple[str, str]]:
    """Yield the edges of an adjacency map whose rows are sorted, in sorted order."""
    for importer in sorted(succ):
        for imported in succ[importer]:
            yield importer, imported


def _rotate_to_smallest(cycle: tuple[str, ...]) -> tuple[str, ...]:
    """Rotate a closed cycle ``(a, ..., a)`` so that it starts and ends at its smallest member."""
    body = cycle[:-1]
    i = body.index(min(body))
    rotated = body[i:] + body[:i]
    return (*rotated, rotated[0])


def _eades_lin_smyth(succ: Sequence[Sequence[int]]) -> list[int]:
    """Order the nodes so that few edges point backwards (Eades, Lin & Smyth, 1993).

    Repeatedly: remove sinks to the back of the order, then sources to the front; when there
    are neither, move the node with the largest out-degree minus in-degree to the front
    (smallest index on ties, for determinism). A heap with lazy deletion finds that node:
    O((V + E) log V) instead of the bucket structure's O(V + E), for far simpler code.
    ``succ`` must be free of self-loops and duplicate edges.
    """
    n = len(succ)
    pred: list[list[int]] = [[] for _ in range(n)]
    for u, targets in enumerate(succ):
        for v in targets:
            pred[v].append(u)
    outdeg = [len(targets) for targets in succ]
    indeg = [len(sources) for sources in pred]
    removed = [False] * n
    front: list[int] = []
    back: list[int] = []
    sinks = deque(i for i in range(n) if outdeg[i] == 0)
    sources = deque(i for i in range(n) if indeg[i] == 0)
    # Keyed on in - out, so the heap's minimum is the node with the largest out - in.
    heap = [(indeg[i] - outdeg[i], i) for i in range(n)]
    heapq.heapify(heap)
    remaining = n
    while remaining:
        if sinks:
            node = sinks.popleft()
            if removed[node]:
                continue
            back.append(node)
        elif sources:
            node = sources.popleft()
            if removed[node]:
                continue
            front.append(node)
        else:
            key, node = heapq.heappop(heap)
            # Stale entry: the node is gone or its degrees changed since it was pushed.
            if removed[node] or key != indeg[node] - outdeg[node]:
                continue
            front.append(node)
        removed[node] = True
        remaining -= 1
        for v in succ[node]:
            if not removed[v]:
                indeg[v] -= 1
                if indeg[v] == 0:
                    sources.append(v)
                heapq.heappush(heap, (indeg[v] - outdeg[v], v))
        for u in pred[node]:
            if not removed[u]:
                outdeg[u] -= 1
                if outdeg[u] == 0:
                    sinks.append(u)
                heapq.heappush(heap, (indeg[u] - outdeg[u], u))
    back.reverse()
    return front + back


def _reaches(adj: Sequence[Sequence[int]], start: int, goal: int) -> bool:
    """Whether ``goal`` is reachable from ``start`` (iterative depth-first search)."""
    if start == goal:
        return True
    seen = {start}
    stack = [start]
    while stack:
        for succ in adj[stack.pop()]:
            if succ == goal:
                return True
            if succ not in seen:
                seen.add(succ)
                stack.append(succ)
    return False
