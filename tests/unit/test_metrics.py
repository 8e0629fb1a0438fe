"""Figures from a module graph, changes, and the package graph: pure functions, small graphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from archlint.adapters.render_report import format_change
from archlint.domain import model
from archlint.domain.expressions import ModuleExpression
from archlint.domain.metrics import (
    Figures,
    ImportEdge,
    ModuleGraph,
    SourceModule,
    change,
    count_lines,
    package_figures,
    report_packages,
)
from archlint.domain.package_graph import package_graph

ORIGIN = model.Origin("contracts/c.toml", 1)


def graph(modules: dict[str, int], edges: list[tuple[str, str]], **flags: bool) -> ModuleGraph:
    """Modules by name -> lines (a negative count makes a namespace package), and edges."""
    found = {}
    for name, lines in modules.items():
        is_package = name.endswith(".__init__") or lines < 0
        clean = name.removesuffix(".__init__")
        found[clean] = SourceModule(clean, is_package, max(lines, 0), namespace=lines < 0)
    return ModuleGraph(found, {(a, b): ImportEdge(a, b, (1,), **flags) for a, b in edges})


def project(*contracts: model.Contract, roots: tuple[str, ...] = ("pkg",)) -> model.Project:
    return model.Project(Path("."), model.Settings(roots), tuple(contracts), ())


def exprs(*texts: str) -> tuple[ModuleExpression, ...]:
    return tuple(ModuleExpression.parse(t) for t in texts)


@pytest.mark.parametrize(
    ("data", "lines"),
    [(b"", 0), (b"x", 1), (b"x\n", 1), (b"\n\n", 2), (b"a\r\nb\rc", 3), (b"a\nb", 2)],
)
def test_count_lines_counts_physical_lines(data: bytes, lines: int) -> None:
    assert count_lines(data) == lines


@pytest.mark.parametrize(
    ("before", "after", "text"),
    [
        (40, 31, "-9 (-22%)"),
        (8546, 7382, "-1,164 (-14%)"),
        (7, 0, "-7 (-100%)"),
        (4, 3, "-1 (-25%)"),
        (3, 4, "+1 (+33%)"),
        (0, 0, "0 (0%)"),
        (5, 5, "0 (0%)"),
        (0, 2, "+2 (n/a)"),
        (1000, 1001, "+1 (+0.1%)"),
        (None, 3, "—"),
        (3, None, "—"),
    ],
)
def test_change_is_signed_with_a_percentage(
    before: int | None, after: int | None, text: str
) -> None:
    assert format_change(before, after) == text


def test_change_keeps_the_exact_percentage() -> None:
    assert change(40, 31).percent == -22.5
    assert change(0, 3).percent is None
    assert change(0, 0).percent == 0.0


def test_figures_of_a_package() -> None:
    g = graph(
        {
            "pkg.__init__": 2,
            "pkg.a": 10,
            "pkg.b": 5,
            "pkg.c": 1,
            "pkg.sub.__init__": 0,
            "pkg.sub.d": 3,
            "pkg.ns": -1,  # a namespace package: no file
            "pkg.ns.e": 4,
        },
        [
            ("pkg.a", "pkg.b"),
            ("pkg.b", "pkg.a"),
            ("pkg.b", "pkg.c"),
            ("pkg.c", "pkg.a"),  # a, b, c: one tangle, one mutual pair
            ("pkg.c", "pkg.sub.d"),
            ("pkg.sub.d", "pkg.ns.e"),
            ("pkg.ns.e", "other.x"),  # outside the graph: ignored
        ],
    )
    assert package_figures(g, "pkg") == Figures(
        modules=5, lines=25, mutual_pairs=1, tangles=1, import_depth=3
    )
    # Only imports between the package's own modules count.
    assert package_figures(g, "pkg.sub") == Figures(1, 3, 0, 0, 1)
    assert package_figures(g, "pkg.ns") == Figures(1, 4, 0, 0, 1)
    assert package_figures(g, "pkg.a") == Figures(1, 10, 0, 0, 1)


def test_report_packages_expand_wildcards_to_what_exists() -> None:
    g = graph(
        {"pkg.__init__": 0, "pkg.f.__init__": 0, "pkg.f.one.__init__": 0, "pkg.f.two": 1},
        [],
    )
    contracts = (
        model.IndependenceContract(id="i", name="i", origin=ORIGIN, modules=exprs("pkg.f.*")),
        model.LayersContract(
            id="l",
            name="l",
            origin=ORIGIN,
            containers=exprs("pkg.*"),
            layers=(
                model.Layer((model.LayerModule("one"),)),
                model.Layer((model.LayerModule("missing", optional=True),)),
            ),
        ),
        model.ForbiddenContract(
            id="f",
            name="f",
            origin=ORIGIN,
            source_modules=exprs("pkg"),
            forbidden_modules=exprs("requests"),
        ),
    )
    assert report_packages(["pkg"], contracts, g) == [
        "pkg",
        "pkg.f",
        "pkg.f.one",
        "pkg.f.two",
    ]


def test_each_module_goes_to_the_finest_node() -> None:
    g = graph(
        {
            "pkg.__init__": 0,
            "pkg.top.__init__": 0,
            "pkg.top.m": 1,
            "pkg.feat.__init__": 0,
            "pkg.feat.a.__init__": 0,
            "pkg.feat.a.deep": -1,
            "pkg.feat.a.deep.x": 1,
            "pkg.feat.b": -1,
            "pkg.feat.b.y": 1,
            "pkg.low": 1,
        },
        [("pkg.feat.a.deep.x", "pkg.feat.b.y"), ("pkg.low", "pkg.top.m"), ("pkg.top.m", "pkg.low")],
    )
    layers = model.LayersContract(
        id="layers",
        name="layers",
        origin=ORIGIN,
        containers=exprs("pkg"),
        layers=(
            model.Layer((model.LayerModule("top"),)),
            model.Layer((model.LayerModule("feat"),)),
            model.Layer((model.LayerModule("low"),)),
        ),
    )
    slices = model.IndependenceContract(
        id="slices", name="slices", origin=ORIGIN, modules=exprs("pkg.feat.*")
    )
    result = package_graph(project(layers, slices), g)
    assert [n.name for n in result.nodes] == [
        "pkg",
        "pkg.feat",
        "pkg.feat.a",
        "pkg.feat.b",
        "pkg.low",
        "pkg.top",
    ]
    assert {n.name: n.modules for n in result.nodes}["pkg.feat.a"] == 2  # __init__ and deep.x
    assert [(r.label, r.nodes) for r in result.ranks] == [
        ("top", ("pkg.top",)),
        ("feat", ("pkg.feat", "pkg.feat.a", "pkg.feat.b")),
        ("low", ("pkg.low",)),
    ]
    edges = {(e.source, e.target): (e.imports, e.breaks, e.contracts) for e in result.edges}
    assert edges == {
        ("pkg.feat.a", "pkg.feat.b"): (1, 1, ("slices",)),
        ("pkg.low", "pkg.top"): (1, 1, ("layers",)),
        ("pkg.top", "pkg.low"): (1, 0, ()),
    }


def test_acyclic_siblings_depth_and_skipped_descendants() -> None:
    # A cycle between pkg.a.x and pkg.a.y (children of pkg.a, one level below pkg), and one
    # between pkg.b.s.p and pkg.b.s.q (two levels below).
    g = graph(
        {
            "pkg.__init__": 0,
            "pkg.a.__init__": 0,
            "pkg.a.x": 1,
            "pkg.a.y": 1,
            "pkg.b.__init__": 0,
            "pkg.b.s.__init__": 0,
            "pkg.b.s.p": 1,
            "pkg.b.s.q": 1,
        },
        [
            ("pkg.a.x", "pkg.a.y"),
            ("pkg.a.y", "pkg.a.x"),
            ("pkg.b.s.p", "pkg.b.s.q"),
            ("pkg.b.s.q", "pkg.b.s.p"),
        ],
    )

    def broken(depth: int, skip: tuple[str, ...] = ()) -> set[tuple[str, str]]:
        contract = model.AcyclicSiblingsContract(
            id="s",
            name="s",
            origin=ORIGIN,
            ancestors=exprs("pkg"),
            depth=depth,
            skip_descendants=exprs(*skip),
        )
        result = package_graph(project(contract), g)
        inner = {n.name: n.inner_breaks for n in result.nodes}
        return {(name, str(count)) for name, count in inner.items() if count}

    assert broken(0) == set()
    assert broken(1) == {("pkg.a", "2")}
    assert broken(2) == {("pkg.a", "2"), ("pkg.b", "2")}
    assert broken(10, ("pkg.b",)) == {("pkg.a", "2")}
    assert broken(10, ("pkg.b.s",)) == {("pkg.a", "2")}


def test_type_checking_imports_follow_the_contract() -> None:
    edges = [("pkg.low", "pkg.top")]
    layers = model.LayersContract(
        id="layers",
        name="layers",
        origin=ORIGIN,
        containers=exprs("pkg"),
        layers=(model.Layer((model.LayerModule("top"),)), model.Layer((model.LayerModule("low"),))),
        exclude_type_checking_imports=True,
    )
    g = graph({"pkg.__init__": 0, "pkg.top": 1, "pkg.low": 1}, edges, type_checking=True)
    assert package_graph(project(layers), g).edges[0].breaks == 0
    g = graph({"pkg.__init__": 0, "pkg.top": 1, "pkg.low": 1}, edges)
    assert package_graph(project(layers), g).edges[0].breaks == 1
