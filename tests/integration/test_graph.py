"""``archlint graph``: DOT, Mermaid and SVG of the package graph, contract breaks in red."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from archlint.adapters import cli
from archlint.application.sources import read_module_graph
from archlint.backend.graph import build_graph
from archlint.scanning.inventory import find_modules

from ..helpers import make_project, run

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "bot_v2"

NODES = (
    "bot_v2",
    "bot_v2.cli",
    "bot_v2.features",
    "bot_v2.features.live_trade",
    "bot_v2.features.market_data",
    "bot_v2.monitoring",
    "bot_v2.orchestration",
    "bot_v2.shared",
)

#: The example's edges that hold a breaking import: (source, target, breaks, imports).
RED = {
    # layers: shared.formatting -> features.live_trade.equity
    ("bot_v2.shared", "bot_v2.features.live_trade", 1, 1),
    # layers + forbidden: risk.emergency_stop -> perps_bot, risk.gate_validator -> equity_calc.
    ("bot_v2.features.live_trade", "bot_v2.orchestration", 2, 2),
    # independence: live_trade.profiles.service -> market_data
    ("bot_v2.features.live_trade", "bot_v2.features.market_data", 1, 1),
}

_DOT_EDGE = re.compile(r'^\s*"([^"]+)" -> "([^"]+)" \[(.*)\];$')


@pytest.fixture
def example(tmp_path: Path) -> Path:
    copy = tmp_path / "bot_v2"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns(".archlint_cache"))
    return copy


def dot_edges(text: str) -> dict[tuple[str, str], str]:
    """Visible edges of DOT text: (source, target) -> attributes."""
    edges = {}
    for line in text.splitlines():
        match = _DOT_EDGE.match(line)
        if match and "style=invis" not in match.group(3):
            edges[(match.group(1), match.group(2))] = match.group(3)
    return edges


def test_dot_has_every_node_and_the_breaks_in_red(example: Path) -> None:
    done = run(["archlint", "graph"], cwd=example)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert text.startswith("digraph archlint {") and text.rstrip().endswith("}")
    for node in NODES:
        assert re.search(rf'^  "{re.escape(node)}" \[label="', text, re.MULTILINE), node
    # No node for a package whose modules all sit in finer nodes.
    assert '"bot_v2.features.live_trade.risk"' not in text

    edges = dot_edges(text)
    red = {key for key, attrs in edges.items() if "#d62728" in attrs}
    assert red == {(s, t) for s, t, _, _ in RED}
    for source, target, breaks, imports in RED:
        assert f'label="{breaks} ✗ of {imports}"' in edges[(source, target)]
    # Plain edges are labelled with their number of imports.
    assert 'label="8"' in edges[("bot_v2.orchestration", "bot_v2.shared")]
    assert 'label="2"' in edges[("bot_v2.cli", "bot_v2.orchestration")]
    # An upward import does not get to reorder the layers.
    assert "constraint=false" in edges[("bot_v2.shared", "bot_v2.features.live_trade")]

    # The layers are ranks, top layer first.
    ranks = re.findall(r"label=\"([^\"]+)\"; style=dashed; [^\n]*rank=same;\n\s+([^\n]+)", text)
    assert [label for label, _ in ranks] == ["orchestration", "features | monitoring", "shared"]
    assert ranks[1][1].split() == [
        '"bot_v2.features";',
        '"bot_v2.features.live_trade";',
        '"bot_v2.features.market_data";',
        '"bot_v2.monitoring";',
    ]
    # The seven cycles inside orchestration: its 14 imports on them, and the builder's.
    assert re.search(r'"bot_v2.orchestration" \[label="[^"]*\\n14 ✗ inside", color="#d62728"', text)


def test_dot_is_valid_for_graphviz(example: Path) -> None:
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed")
    text = run(["archlint", "graph"], cwd=example).stdout
    done = subprocess.run(["dot", "-Tcanon"], input=text, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_mermaid_is_a_flowchart_with_red_links(example: Path) -> None:
    done = run(["archlint", "graph", "--format", "mermaid"], cwd=example)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "flowchart TB"

    ids = dict(re.findall(r'^\s+(n\d+)\["([^"<]+)<br/>', done.stdout, re.MULTILINE))
    assert sorted(ids.values()) == sorted(NODES)
    # Subgraphs open and close in pairs, one per layer.
    assert [line.strip() for line in lines if line.strip().startswith("subgraph")] == [
        'subgraph layer0["orchestration"]',
        'subgraph layer1["features | monitoring"]',
        'subgraph layer2["shared"]',
    ]
    assert sum(line.strip() == "end" for line in lines) == 3

    links = [
        re.fullmatch(r'\s+(n\d+) -->\|"([^"]+)"\| (n\d+)', line) for line in lines if "-->" in line
    ]
    assert all(links)
    edges = [(ids[m.group(1)], ids[m.group(3)], m.group(2)) for m in links if m]
    styled = [int(n) for n in re.findall(r"^\s+linkStyle (\d+) stroke:#d62728", done.stdout, re.M)]
    assert {(edges[i][0], edges[i][1]) for i in styled} == {(s, t) for s, t, _, _ in RED}
    for i in styled:
        assert "✗" in edges[i][2]
    assert all("✗" not in label for i, (_, _, label) in enumerate(edges) if i not in styled)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_svg_is_drawn_by_graphviz(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph.svg"
    done = run(["archlint", "graph", "--format", "svg", "-o", str(out)], cwd=example)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    root = ET.fromstring(out.read_bytes())
    assert root.tag in ("svg", "{http://www.w3.org/2000/svg}svg")
    text = out.read_text(encoding="utf-8")
    for node in NODES:
        assert node in text
    assert "1 ✗ of 1" in text


def test_svg_without_graphviz_says_how_to_get_it(
    example: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_which = shutil.which
    monkeypatch.setattr(
        shutil, "which", lambda name, *a, **k: None if name == "dot" else real_which(name, *a, **k)
    )
    status = cli.main(["graph", "--root", str(example), "--format", "svg"])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    (line,) = captured.err.strip().splitlines()
    assert line.startswith("error: ")
    assert "apt-get install graphviz" in line
    assert "brew install graphviz" in line
    assert "--format dot" in line


def test_graph_writes_to_a_file(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph.mmd"
    done = run(["archlint", "graph", "--format", "mermaid", "-o", str(out)], cwd=example)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("flowchart TB\n")


# --- cycles, ignored imports, finer nodes ----------------------------------------------------

SIBLINGS = {
    "src/pkg/__init__.py": "",
    "src/pkg/x/__init__.py": "",
    "src/pkg/x/one.py": "import pkg.y.two\n",
    "src/pkg/y/__init__.py": "",
    "src/pkg/y/two.py": "def f():\n    import pkg.x.one\n",
    "src/pkg/z.py": "import pkg.x.one\nimport pkg.y.two\n",
}


@pytest.mark.parametrize(
    "contract",
    [
        'type = "acyclic_siblings"\nancestors = ["pkg"]',
        'type = "acyclic"\npackages = ["pkg"]',
    ],
)
def test_imports_on_a_cycle_are_red(tmp_path: Path, contract: str) -> None:
    project = make_project(
        tmp_path / "p",
        {**SIBLINGS, "contracts/c.toml": f'[[contracts]]\nid = "no-cycles"\n{contract}\n'},
    )
    done = run(["archlint", "graph"], cwd=project)
    assert done.returncode == 0, done.stderr
    edges = dot_edges(done.stdout)
    assert set(edges) == {
        ("pkg.x", "pkg.y"),
        ("pkg.y", "pkg.x"),
        ("pkg.z", "pkg.x"),
        ("pkg.z", "pkg.y"),
    }
    assert 'label="1 ✗ of 1"' in edges[("pkg.x", "pkg.y")]
    assert 'label="1 ✗ of 1"' in edges[("pkg.y", "pkg.x")]
    assert 'label="1"' in edges[("pkg.z", "pkg.x")] and "#d62728" not in edges[("pkg.z", "pkg.x")]
    assert "no-cycles" in edges[("pkg.x", "pkg.y")]  # in the tooltip


def test_ignored_and_lazy_imports_are_not_breaks_when_the_contract_says_so(tmp_path: Path) -> None:
    contracts = (
        '[[contracts]]\nid = "lazy-ok"\ntype = "acyclic"\npackages = ["pkg"]\n'
        "exclude_lazy_imports = true\n\n"
        '[[contracts]]\nid = "z-ignored"\ntype = "forbidden"\nsource_modules = ["pkg.z"]\n'
        'forbidden_modules = ["pkg.x"]\nignore_imports = ["pkg.z -> pkg.x.one"]\n'
    )
    project = make_project(tmp_path / "p", {**SIBLINGS, "contracts/c.toml": contracts})
    done = run(["archlint", "graph"], cwd=project)
    assert done.returncode == 0, done.stderr
    assert "#d62728" not in done.stdout


def test_scanner_edges_equal_grimps_on_the_example_and_on_archlint() -> None:
    """report and graph read the graph with archlint's scanner: the edges are the check's."""
    for root, package in ((EXAMPLE, "bot_v2"), (REPO, "archlint")):
        roots = [root / "src"]
        grimp_graph = build_graph([package], roots)
        expected = {
            (importer, imported)
            for importer in grimp_graph.modules
            for imported in grimp_graph.find_modules_directly_imported_by(importer)
            if imported != importer
        }
        read = read_module_graph(find_modules([package], roots))
        assert read.problems == ()
        assert set(read.graph.modules) == set(grimp_graph.modules)
        assert set(read.graph.edges) == expected
