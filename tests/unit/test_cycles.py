"""Tests for archlint.domain.cycles: small tables, naive-oracle properties, and scale."""

from __future__ import annotations

import itertools
from collections.abc import Collection, Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archlint.domain.cycles import (
    covering_cycles,
    cycle_breakers,
    import_depth,
    mutual_pairs,
    shortest_cycle_through,
    strongly_connected_components,
)

Graph = Mapping[str, Collection[str]]

# --- fixtures -----------------------------------------------------------------------------

EMPTY: Graph = {}
SINGLE: Graph = {"a": []}
DAG: Graph = {"a": ["b", "c"], "b": ["c"], "c": []}
TWO_CYCLE: Graph = {"a": ["b"], "b": ["a"]}
TRIANGLE: Graph = {"a": ["b"], "b": ["c"], "c": ["a"]}
TWO_SCCS: Graph = {
    "a": ["b"],
    "b": ["a", "x"],
    "x": ["y"],
    "y": ["z"],
    "z": ["x"],
}
SELF_LOOP: Graph = {"a": ["a", "b"], "b": ["b"]}
# Modules that are only imported ("c", "d") are nodes too.
TARGETS_ONLY: Graph = {"a": ["b", "c"], "b": ["a", "d"]}
# A hub p in mutual pairs with a..e, plus x <-> a and y <-> x: seven two-cycles.
HUB: Graph = {
    "p": ["a", "b", "c", "d", "e"],
    "a": ["p", "x"],
    "b": ["p"],
    "c": ["p"],
    "d": ["p"],
    "e": ["p"],
    "x": ["a", "y"],
    "y": ["x"],
}
HUB_PAIRS = [
    ("a", "p"),
    ("a", "x"),
    ("b", "p"),
    ("c", "p"),
    ("d", "p"),
    ("e", "p"),
    ("x", "y"),
]


# --- naive oracles ------------------------------------------------------------------------


def nodes_of(graph: Graph) -> set[str]:
    return set(graph) | {t for targets in graph.values() for t in targets}


def edges_of(graph: Graph) -> set[tuple[str, str]]:
    """All edges, self-loops excluded (the module under test ignores them)."""
    return {(a, b) for a, targets in graph.items() for b in targets if a != b}


def reach(graph: Graph) -> dict[str, set[str]]:
    """Node -> nodes reachable by a path of at least one edge (self-loops excluded)."""
    edges = edges_of(graph)
    result: dict[str, set[str]] = {}
    for start in nodes_of(graph):
        seen: set[str] = set()
        frontier = [start]
        while frontier:
            node = frontier.pop()
            for a, b in edges:
                if a == node and b not in seen:
                    seen.add(b)
                    frontier.append(b)
        result[start] = seen
    return result


def naive_all_sccs(graph: Graph) -> set[frozenset[str]]:
    r = reach(graph)
    return {frozenset({v} | {u for u in r[v] if v in r[u]}) for v in nodes_of(graph)}


def naive_sccs(graph: Graph) -> set[frozenset[str]]:
    return {c for c in naive_all_sccs(graph) if len(c) >= 2}


def naive_depth(graph: Graph) -> int:
    comps = list(naive_all_sccs(graph))
    comp_of = {v: i for i, c in enumerate(comps) for v in c}
    dag = {(comp_of[a], comp_of[b]) for a, b in edges_of(graph) if comp_of[a] != comp_of[b]}
    # Bellman-Ford style relaxation of longest paths; the DAG has at most ~30 nodes.
    depth = [1] * len(comps)
    for _ in comps:
        for a, b in dag:
            depth[a] = max(depth[a], depth[b] + 1)
    return max(depth, default=0)


def bfs_distance(graph: Graph, start: str, goal: str, within: set[str]) -> int | None:
    edges = {(a, b) for a, b in edges_of(graph) if a in within and b in within}
    dist = {start: 0}
    frontier = [start]
    while frontier:
        nxt = []
        for node in frontier:
            for a, b in edges:
                if a == node and b not in dist:
                    dist[b] = dist[node] + 1
                    nxt.append(b)
        frontier = nxt
    return dist.get(goal)


def rotated(cycle: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """The same closed cycle, starting and ending at its smallest member."""
    if cycle is None:
        return None
    body = cycle[:-1]
    i = body.index(min(body))
    return (*body[i:], *body[:i], body[i])


def without(graph: Graph, removed: set[tuple[str, str]]) -> dict[str, list[str]]:
    return {a: [b for b in targets if (a, b) not in removed] for a, targets in graph.items()}


def is_cycle_in(graph: Graph, cycle: tuple[str, ...]) -> bool:
    edges = edges_of(graph)
    return (
        len(cycle) >= 3
        and cycle[0] == cycle[-1]
        and len(set(cycle[:-1])) == len(cycle) - 1  # simple: no module twice
        and all(edge in edges for edge in itertools.pairwise(cycle))
    )


# --- strongly_connected_components ---------------------------------------------------------


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        (EMPTY, []),
        (SINGLE, []),
        (DAG, []),
        (TWO_CYCLE, [{"a", "b"}]),
        (TRIANGLE, [{"a", "b", "c"}]),
        (TWO_SCCS, [{"a", "b"}, {"x", "y", "z"}]),
        (SELF_LOOP, []),
        (TARGETS_ONLY, [{"a", "b"}]),
        (HUB, [{"p", "a", "b", "c", "d", "e", "x", "y"}]),
        # Reached only as a target, yet part of a cycle through a key.
        ({"z": ["a"], "a": ["z"], "b": ["c"], "c": ["b"]}, [{"a", "z"}, {"b", "c"}]),
    ],
)
def test_sccs_table(graph: Graph, expected: list[set[str]]) -> None:
    assert strongly_connected_components(graph) == [frozenset(c) for c in expected]


def test_sccs_accepts_any_collection_and_duplicate_edges() -> None:
    graph: Graph = {"a": ("b", "b"), "b": frozenset({"a"}), "c": {"a"}}
    assert strongly_connected_components(graph) == [frozenset({"a", "b"})]


# --- mutual_pairs -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        (EMPTY, []),
        (DAG, []),
        (TWO_CYCLE, [("a", "b")]),
        (TRIANGLE, []),
        (TWO_SCCS, [("a", "b")]),
        (SELF_LOOP, []),
        (TARGETS_ONLY, [("a", "b")]),
        (HUB, HUB_PAIRS),
    ],
)
def test_mutual_pairs_table(graph: Graph, expected: list[tuple[str, str]]) -> None:
    assert mutual_pairs(graph) == expected


# --- shortest_cycle_through ---------------------------------------------------------------

# From b back to a, two equally short ways: via c or via d.
DIAMOND_BACK: Graph = {"a": ["b"], "b": ["d", "c"], "c": ["a"], "d": ["a"]}
# From b back to a: c -> d -> a (long, sorts first) or z -> a (short, sorts last).
SHORT_AND_LONG: Graph = {"a": ["b"], "b": ["c", "z"], "c": ["d"], "d": ["a"], "z": ["a"]}


@pytest.mark.parametrize(
    ("graph", "edge", "within", "expected"),
    [
        (EMPTY, ("a", "b"), None, None),
        (DAG, ("a", "b"), None, None),
        (TWO_CYCLE, ("a", "b"), None, ("a", "b", "a")),
        (TWO_CYCLE, ("b", "a"), None, ("b", "a", "b")),
        (TRIANGLE, ("b", "c"), None, ("b", "c", "a", "b")),
        (SELF_LOOP, ("a", "a"), None, None),
        (TWO_SCCS, ("b", "x"), None, None),  # the edge between the two components
        (TWO_SCCS, ("x", "y"), None, ("x", "y", "z", "x")),
        (TRIANGLE, ("a", "c"), None, None),  # not an edge of the graph
        (TRIANGLE, ("a", "b"), {"a", "b"}, None),  # c is outside ``within``
        (TRIANGLE, ("a", "b"), {"b", "c"}, None),  # the edge itself leaves ``within``
        (HUB, ("x", "a"), None, ("x", "a", "x")),
        # Two shortest ways back from b to a (via c or via d): sorted order picks c.
        (DIAMOND_BACK, ("a", "b"), None, ("a", "b", "c", "a")),
        # The shorter way back wins even when its first step sorts later.
        (SHORT_AND_LONG, ("a", "b"), None, ("a", "b", "z", "a")),
        # Restricting to ``within`` forces the longer way round.
        (SHORT_AND_LONG, ("a", "b"), {"a", "b", "c", "d"}, ("a", "b", "c", "d", "a")),
    ],
)
def test_shortest_cycle_through_table(
    graph: Graph,
    edge: tuple[str, str],
    within: set[str] | None,
    expected: tuple[str, ...] | None,
) -> None:
    assert shortest_cycle_through(graph, *edge, within=within) == expected


# --- covering_cycles ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("graph", "component", "expected"),
    [
        (TWO_CYCLE, {"a", "b"}, [("a", "b", "a")]),
        (TRIANGLE, {"a", "b", "c"}, [("a", "b", "c", "a")]),
        (TWO_SCCS, {"x", "y", "z"}, [("x", "y", "z", "x")]),
        (SELF_LOOP, {"a"}, []),
        (HUB, set(nodes_of(HUB)), [(a, b, a) for a, b in HUB_PAIRS]),
        # Two triangles sharing the edge a -> b, plus a 2-cycle: sorted by length first.
        (
            {"a": ["b"], "b": ["c", "d"], "c": ["a"], "d": ["a", "e"], "e": ["d"]},
            {"a", "b", "c", "d", "e"},
            [("d", "e", "d"), ("a", "b", "c", "a"), ("a", "b", "d", "a")],
        ),
    ],
)
def test_covering_cycles_table(
    graph: Graph, component: set[str], expected: list[tuple[str, ...]]
) -> None:
    assert covering_cycles(graph, component) == expected


def test_covering_cycles_only_of_mutual_pairs_is_the_pairs() -> None:
    # A graph made only of mutual pairs: exactly its pairs come back, as 2-cycles.
    pairs = [("m0", "m1"), ("m1", "m2"), ("m2", "m3"), ("m0", "m3"), ("m1", "m3")]
    graph: dict[str, list[str]] = {}
    for a, b in pairs:
        graph.setdefault(a, []).append(b)
        graph.setdefault(b, []).append(a)
    (component,) = strongly_connected_components(graph)
    assert covering_cycles(graph, component) == sorted((a, b, a) for a, b in pairs)


def test_covering_cycles_limit() -> None:
    component = set(nodes_of(HUB))
    everything = covering_cycles(HUB, component)
    assert covering_cycles(HUB, component, limit=0) == []
    assert covering_cycles(HUB, component, limit=3) == everything[:3]
    assert covering_cycles(HUB, component, limit=100) == everything
    with pytest.raises(ValueError, match="limit"):
        covering_cycles(HUB, component, limit=-1)


# --- cycle_breakers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("graph", "component", "expected"),
    [
        (TWO_CYCLE, {"a", "b"}, 1),
        (TRIANGLE, {"a", "b", "c"}, 1),
        (TWO_SCCS, {"x", "y", "z"}, 1),
        (SELF_LOOP, {"a"}, 0),
        (HUB, set(nodes_of(HUB)), 7),  # one per mutual pair
        # Complete graph on 4 nodes: 6 pairs, and a minimum FAS has 6 edges.
        ({n: [m for m in "abcd" if m != n] for n in "abcd"}, set("abcd"), 6),
    ],
)
def test_cycle_breakers_table(graph: Graph, component: set[str], expected: int) -> None:
    breakers = cycle_breakers(graph, component)
    assert len(breakers) == expected
    assert breakers <= edges_of(graph)
    left = without(graph, breakers)
    assert not any(c <= component for c in strongly_connected_components(left))


def test_cycle_breakers_one_edge_per_mutual_pair() -> None:
    breakers = cycle_breakers(HUB, set(nodes_of(HUB)))
    assert {tuple(sorted(edge)) for edge in breakers} == set(HUB_PAIRS)


def test_cycle_breakers_is_deterministic() -> None:
    graph = {n: [m for m in "abcdef" if m != n] for n in "abcdef"}
    reordered = {n: list(reversed(graph[n])) for n in reversed(list(graph))}
    assert cycle_breakers(graph, set("abcdef")) == cycle_breakers(reordered, set("fedcba"))


# --- import_depth -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        (EMPTY, 0),
        (SINGLE, 1),
        ({"a": ["b"], "b": ["c"]}, 3),  # c is only a target and still counts
        (DAG, 3),
        (TWO_CYCLE, 1),
        (TRIANGLE, 1),
        (TWO_SCCS, 2),
        (SELF_LOOP, 2),
        (TARGETS_ONLY, 2),
        ({"top": ["a"], "a": ["b"], "b": ["a", "c"], "c": ["d"]}, 4),
    ],
)
def test_import_depth_table(graph: Graph, expected: int) -> None:
    assert import_depth(graph) == expected


# --- properties on random graphs ----------------------------------------------------------

NAMES = [f"m{i}" for i in range(30)]

graphs = st.dictionaries(
    keys=st.sampled_from(NAMES),
    values=st.lists(st.sampled_from(NAMES), max_size=6),
    max_size=30,
)
# Denser graphs on fewer nodes, so that big tangled components are common.
dense_graphs = st.dictionaries(
    keys=st.sampled_from(NAMES[:10]),
    values=st.lists(st.sampled_from(NAMES[:10]), max_size=8),
    max_size=10,
)
any_graph = st.one_of(graphs, dense_graphs)


@given(any_graph)
def test_sccs_match_naive(graph: Graph) -> None:
    found = strongly_connected_components(graph)
    assert set(found) == naive_sccs(graph)
    assert len(found) == len(set(found))
    assert [min(c) for c in found] == sorted(min(c) for c in found)


@given(any_graph)
def test_mutual_pairs_match_naive(graph: Graph) -> None:
    edges = edges_of(graph)
    expected = sorted({(a, b) for a, b in edges if a < b and (b, a) in edges})
    assert mutual_pairs(graph) == expected


@given(any_graph)
def test_import_depth_matches_naive(graph: Graph) -> None:
    assert import_depth(graph) == naive_depth(graph)


@given(any_graph)
def test_shortest_cycle_through_is_shortest(graph: Graph) -> None:
    everything = nodes_of(graph)
    for a, b in sorted(edges_of(graph)):
        cycle = shortest_cycle_through(graph, a, b)
        back = bfs_distance(graph, b, a, everything)
        if back is None:
            assert cycle is None
        else:
            assert cycle is not None
            assert cycle[:2] == (a, b)
            assert is_cycle_in(graph, cycle)
            assert len(cycle) == back + 2


@settings(max_examples=200)
@given(any_graph)
def test_covering_cycles_cover_every_component_edge(graph: Graph) -> None:
    edges = edges_of(graph)
    for component in strongly_connected_components(graph):
        cycles = covering_cycles(graph, component)
        assert cycles == sorted(cycles, key=lambda c: (len(c), c))
        assert len(cycles) == len(set(cycles))
        on_cycles: set[tuple[str, str]] = set()
        for cycle in cycles:
            assert is_cycle_in(graph, cycle)
            assert set(cycle) <= component
            assert cycle[0] == min(cycle)  # rotated to its smallest member
            on_cycles.update(itertools.pairwise(cycle))
        inside = {(a, b) for a, b in edges if a in component and b in component}
        assert on_cycles == inside
        # Each cycle is, up to rotation, the shortest cycle through one of its edges.
        for cycle in cycles:
            assert any(
                rotated(shortest_cycle_through(graph, *edge, within=component)) == cycle
                for edge in itertools.pairwise(cycle)
            )
        # A limit returns a prefix of the greedy walk: a subset of the full answer.
        for limit in range(len(cycles) + 2):
            capped = covering_cycles(graph, component, limit=limit)
            assert len(capped) == min(limit, len(cycles))
            assert set(capped) <= set(cycles)
            assert capped == sorted(capped, key=lambda c: (len(c), c))


@settings(max_examples=200)
@given(any_graph)
def test_cycle_breakers_leave_no_cycle(graph: Graph) -> None:
    edges = edges_of(graph)
    components = strongly_connected_components(graph)
    removed: set[tuple[str, str]] = set()
    for component in components:
        breakers = cycle_breakers(graph, component)
        assert breakers <= {(a, b) for a, b in edges if a in component and b in component}
        # Every component needs at least one cut; mutual pairs need one each.
        assert breakers
        pairs = {p for p in mutual_pairs(graph) if set(p) <= component}
        assert {tuple(sorted(e)) for e in breakers} >= pairs
        removed |= breakers
        # Minimal by inclusion: putting any one edge back closes a cycle again.
        for edge in breakers:
            assert strongly_connected_components(without(graph, breakers - {edge}))
    assert strongly_connected_components(without(graph, removed)) == []
    assert naive_sccs(without(graph, removed)) == set()


@given(any_graph)
def test_results_do_not_depend_on_iteration_order(graph: Graph) -> None:
    reordered = {a: list(reversed(list(graph[a]))) for a in reversed(list(graph))}
    assert strongly_connected_components(reordered) == strongly_connected_components(graph)
    assert import_depth(reordered) == import_depth(graph)
    for component in strongly_connected_components(graph):
        assert covering_cycles(reordered, component) == covering_cycles(graph, component)
        assert cycle_breakers(reordered, component) == cycle_breakers(graph, component)


# --- scale --------------------------------------------------------------------------------


def test_fifty_thousand_nodes_no_recursion_error() -> None:
    n = 50_000
    graph: dict[str, list[str]] = {}
    for i in range(n - 1):
        graph[f"chain{i:05d}"] = [f"chain{i + 1:05d}"]
    # The chain's last module imports into a 50,000-module cycle.
    graph[f"chain{n - 1:05d}"] = ["ring00000"]
    for i in range(n):
        graph[f"ring{i:05d}"] = [f"ring{(i + 1) % n:05d}"]

    # Speed is measured in benchmarks (docs/benchmarks.md), not here: this test shows that
    # nothing recurses, whatever the length of a chain or a cycle.
    (ring,) = strongly_connected_components(graph)
    assert len(ring) == n
    assert import_depth(graph) == n + 1
    assert cycle_breakers(graph, ring) == {("ring49999", "ring00000")}
    (cycle,) = covering_cycles(graph, ring, limit=1)
    assert len(cycle) == n + 1
    assert cycle[0] == cycle[-1] == "ring00000"
    assert shortest_cycle_through(graph, "ring00000", "ring00001") == cycle
    assert mutual_pairs(graph) == []
