"""Shortest chains chosen by name: the smallest of the shortest, a valid run of grimp's greedy
search, and the same whatever order the graph is given in."""

from __future__ import annotations

import itertools
import random
from collections.abc import Collection, Mapping

import grimp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archlint.backend.canonical import _Graph
from archlint.domain.shortest_chains import shortest_chain, shortest_chains

NODES = [f"m{i}" for i in range(8)]

edges_strategy = st.sets(
    st.tuples(st.sampled_from(NODES), st.sampled_from(NODES)).filter(lambda e: e[0] != e[1]),
    max_size=24,
)


def _maps(
    edges: Collection[tuple[str, str]], shuffle: random.Random | None = None
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    imports: dict[str, list[str]] = {n: [] for n in NODES}
    importers: dict[str, list[str]] = {n: [] for n in NODES}
    ordered = list(edges)
    if shuffle is not None:
        shuffle.shuffle(ordered)
    for a, b in ordered:
        imports[a].append(b)
        importers[b].append(a)
    return imports, importers


def _all_paths(
    imports: Mapping[str, list[str]], sources: set[str], targets: set[str], avoid: set[str]
) -> list[tuple[str, ...]]:
    """Every simple path from a source to a target whose inner modules are neither sources,
    targets nor avoided (by brute force)."""
    found = []
    stack = [(s,) for s in sorted(sources)]
    while stack:
        path = stack.pop()
        for nxt in imports[path[-1]]:
            if nxt in path or nxt in sources:
                continue
            if nxt in targets:
                found.append((*path, nxt))
            elif nxt not in avoid:
                stack.append((*path, nxt))
    return found


@st.composite
def problems(draw: st.DrawFn) -> tuple[set[tuple[str, str]], set[str], set[str], set[str]]:
    edges = draw(edges_strategy)
    nodes = draw(st.permutations(NODES))
    n_src = draw(st.integers(1, 3))
    n_dst = draw(st.integers(1, 3))
    n_avoid = draw(st.integers(0, 2))
    sources = set(nodes[:n_src])
    targets = set(nodes[n_src : n_src + n_dst])
    avoid = set(nodes[n_src + n_dst : n_src + n_dst + n_avoid])
    return edges, sources, targets, avoid


@settings(max_examples=300, deadline=None)
@given(problems())
def test_the_chain_is_the_smallest_of_the_shortest(
    problem: tuple[set[tuple[str, str]], set[str], set[str], set[str]],
) -> None:
    edges, sources, targets, avoid = problem
    imports, importers = _maps(edges)
    paths = _all_paths(imports, sources, targets, avoid)
    chain = shortest_chain(
        imports.__getitem__, importers.__getitem__, sources, targets, avoid=avoid
    )
    if not paths:
        assert chain is None
        return
    shortest = min(len(p) for p in paths)
    assert chain == min(p for p in paths if len(p) == shortest)


@settings(max_examples=200, deadline=None)
@given(problems(), st.integers(0, 2**32 - 1))
def test_the_order_the_graph_comes_in_changes_nothing(
    problem: tuple[set[tuple[str, str]], set[str], set[str], set[str]], seed: int
) -> None:
    edges, sources, targets, avoid = problem
    answers = set()
    for shuffle in (None, random.Random(seed), random.Random(seed + 1)):
        imports, importers = _maps(edges, shuffle)
        found = shortest_chains(
            imports.__getitem__, importers.__getitem__, sources, targets, avoid=avoid
        )
        answers.add(tuple(found))
    assert len(answers) == 1


@settings(max_examples=200, deadline=None)
@given(problems())
def test_chains_share_no_import_and_come_shortest_first(
    problem: tuple[set[tuple[str, str]], set[str], set[str], set[str]],
) -> None:
    edges, sources, targets, avoid = problem
    imports, importers = _maps(edges)
    found = shortest_chains(
        imports.__getitem__, importers.__getitem__, sources, targets, avoid=avoid
    )
    used = [pair for chain in found for pair in itertools.pairwise(chain)]
    assert len(used) == len(set(used))
    assert found == sorted(found, key=lambda c: (len(c), c))
    # When the search stops, no chain is left once their imports are gone.
    left = [e for e in edges if e not in set(used)]
    imports, _ = _maps(left)
    assert not _all_paths(imports, sources, targets, avoid)


def _grimp_graph(modules: list[str], edges: list[tuple[str, str]]) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    for module in modules:
        graph.add_module(module)
    for a, b in edges:
        graph.add_import(importer=a, imported=b, line_number=1, line_contents=f"import {b}")
    return graph


def _random_packages(seed: int) -> tuple[list[str], list[tuple[str, str]]]:
    rnd = random.Random(seed)
    packages = ["pkg.a", "pkg.b", "pkg.c", "pkg.d"]
    modules = ["pkg", *packages]
    modules += [f"{p}.m{i}" for p in packages for i in range(rnd.randint(1, 4))]
    modules += [f"pkg.x{i}" for i in range(rnd.randint(1, 8))]
    leaves = [m for m in modules if m != "pkg"]
    edges = sorted({tuple(rnd.sample(leaves, 2)) for _ in range(rnd.randint(4, 50))})  # type: ignore[misc]
    return modules, edges


@pytest.mark.parametrize("seed", range(60))
def test_each_chain_is_one_grimp_could_have_found(seed: int) -> None:
    """A run of grimp's greedy search: each chain as short as grimp's shortest once the
    earlier chains' imports are gone, and none left at the end."""
    modules, edges = _random_packages(seed)
    graph = _grimp_graph(modules, edges)
    g = _Graph(graph)
    sources, targets = g.package("pkg.a"), g.package("pkg.c")
    found = g.chains(sources, targets, frozenset())
    assert bool(found) == bool(graph.find_shortest_chains("pkg.a", "pkg.c"))
    for chain in found:
        theirs = graph.find_shortest_chain("pkg.a", "pkg.c", as_packages=True)
        assert theirs is not None and len(theirs) == len(chain)
        for a, b in itertools.pairwise(chain):
            graph.remove_import(importer=a, imported=b)
    assert graph.find_shortest_chain("pkg.a", "pkg.c", as_packages=True) is None


@pytest.mark.parametrize("seed", range(60))
def test_layer_routes_match_grimp_where_grimp_agrees_with_itself(seed: int) -> None:
    """For a layers contract, the routes grimp finds for each pair, whenever grimp finds the
    same number whatever order its graph was built in (ties can change the count)."""
    modules, edges = _random_packages(seed)
    layers = [grimp.Layer("a"), grimp.Layer("b", "d"), grimp.Layer("c")]
    counts: dict[tuple[str, str], set[int]] = {}
    for order in range(5):
        rnd = random.Random(order)
        shuffled_modules = sorted(modules, key=lambda m: (m.count("."), rnd.random()))
        shuffled_edges = sorted(edges, key=lambda _: rnd.random())
        graph = _grimp_graph(shuffled_modules, shuffled_edges)
        for dep in graph.find_illegal_dependencies_for_layers(layers, containers={"pkg"}):
            counts.setdefault((dep.importer, dep.imported), set()).add(len(dep.routes))
    g = _Graph(_grimp_graph(modules, edges))
    members = frozenset().union(*(g.package(f"pkg.{t}") for t in "abcd"))
    for (importer, imported), seen in counts.items():
        sources, targets = g.package(importer), g.package(imported)
        routes = g.routes(sources, targets, members - sources - targets)
        if len(seen) == 1:
            assert {len(routes)} == seen, (importer, imported)
        else:
            assert len(routes) in seen
