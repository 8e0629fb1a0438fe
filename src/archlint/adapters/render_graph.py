"""``archlint graph`` as Graphviz DOT, Mermaid, or SVG (DOT drawn by Graphviz's ``dot``).

Each layer of a ``layers`` contract is a rank, top layer first: in DOT a dashed cluster with
``rank=same``, in Mermaid a subgraph. An edge is labelled with its number of imports; an edge
holding imports that break a contract is red and labelled ``K ✗ of N``: K breaking imports of
its N. A node whose own modules break a contract among themselves (an import cycle inside it,
say) has a red border and says how many of its imports break one.
"""

from __future__ import annotations

import shutil
import subprocess

from archlint.domain.errors import ArchlintError, GraphvizNotFound
from archlint.domain.package_graph import PackageEdge, PackageGraph, PackageNode

RED = "#d62728"

GRAPHVIZ_HELP = (
    "archlint graph --format svg needs Graphviz's 'dot' program, which is not on PATH: "
    "install Graphviz (apt-get install graphviz, brew install graphviz, "
    "or see https://graphviz.org/download/), or use --format dot and render it elsewhere"
)


def edge_label(edge: PackageEdge) -> str:
    """``3`` imports, or ``1 ✗ of 3`` when one of them breaks a contract."""
    return f"{edge.breaks} ✗ of {edge.imports}" if edge.breaks else str(edge.imports)


def _node_lines(node: PackageNode) -> list[str]:
    lines = [node.name, f"{node.modules} module{'s' if node.modules != 1 else ''}"]
    if node.inner_breaks:
        lines.append(f"{node.inner_breaks} ✗ inside")
    return lines


def _dot_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _dot_id(text: str) -> str:
    return f'"{_dot_escape(text)}"'


def render_dot(graph: PackageGraph, title: str = "") -> str:
    """The graph in Graphviz's DOT language."""
    out = [
        "digraph archlint {",
        "  // Nodes: packages; edges: their imports, counted; red: imports that break a contract.",
        "  graph [rankdir=TB, newrank=true, fontname=Helvetica, fontsize=12"
        + (f", label={_dot_id(title)}, labelloc=t" if title else "")
        + "];",
        '  node [shape=box, style="rounded,filled", fillcolor="#f5f5f5", fontname=Helvetica, '
        "fontsize=11];",
        '  edge [fontname=Helvetica, fontsize=10, color="#555555"];',
        "",
    ]
    for node in graph.nodes:
        label = "\\n".join(_dot_escape(line) for line in _node_lines(node))
        attrs = [f'label="{label}"']
        if node.inner_breaks:
            contracts = ", ".join(node.contracts)
            attrs += [f'color="{RED}"', "penwidth=2", f"tooltip={_dot_id('breaks ' + contracts)}"]
        out.append(f"  {_dot_id(node.name)} [{', '.join(attrs)}];")
    out.append("")
    for position, rank in enumerate(graph.ranks):
        out.append(f"  subgraph cluster_layer_{position} {{")
        out.append(f'    label={_dot_id(rank.label)}; style=dashed; color="#999999"; rank=same;')
        out.append("    " + " ".join(f"{_dot_id(n)};" for n in rank.nodes))
        out.append("  }")
    # Keep the layers in order even where imports point upwards.
    for upper, lower in zip(graph.ranks, graph.ranks[1:], strict=False):
        out.append(
            f"  {_dot_id(upper.nodes[0])} -> {_dot_id(lower.nodes[0])} [style=invis, weight=10];"
        )
    if graph.ranks:
        out.append("")
    rank_of = {name: i for i, rank in enumerate(graph.ranks) for name in rank.nodes}
    for edge in graph.edges:
        attrs = [f"label={_dot_id(edge_label(edge))}"]
        source, target = rank_of.get(edge.source), rank_of.get(edge.target)
        if source is not None and target is not None and source > target:
            attrs.append("constraint=false")  # an upward import must not reorder the layers
        if edge.breaks:
            contracts = ", ".join(edge.contracts)
            attrs += [
                f'color="{RED}"',
                f'fontcolor="{RED}"',
                "penwidth=2",
                f"tooltip={_dot_id('breaks ' + contracts)}",
            ]
        out.append(f"  {_dot_id(edge.source)} -> {_dot_id(edge.target)} [{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n"


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;")


def render_mermaid(graph: PackageGraph, title: str = "") -> str:
    """The graph as a Mermaid flowchart (renders in GitHub Markdown inside ```mermaid)."""
    ids = {node.name: f"n{i}" for i, node in enumerate(graph.nodes)}
    by_name = {node.name: node for node in graph.nodes}
    out = []
    if title:
        out += ["---", f"title: {_mermaid_text(title)}", "---"]
    out.append("flowchart TB")

    def node_line(name: str, indent: str) -> str:
        label = "<br/>".join(_mermaid_text(line) for line in _node_lines(by_name[name]))
        return f'{indent}{ids[name]}["{label}"]'

    ranked: set[str] = set()
    for position, rank in enumerate(graph.ranks):
        out.append(f'  subgraph layer{position}["{_mermaid_text(rank.label)}"]')
        for name in rank.nodes:
            out.append(node_line(name, "    "))
            ranked.add(name)
        out.append("  end")
    out.extend(node_line(node.name, "  ") for node in graph.nodes if node.name not in ranked)
    red_links: list[int] = []
    for position, edge in enumerate(graph.edges):
        out.append(f'  {ids[edge.source]} -->|"{edge_label(edge)}"| {ids[edge.target]}')
        if edge.breaks:
            red_links.append(position)
    for position in red_links:
        out.append(f"  linkStyle {position} stroke:{RED},stroke-width:2px,color:{RED}")
    for node in graph.nodes:
        if node.inner_breaks:
            out.append(f"  style {ids[node.name]} stroke:{RED},stroke-width:2px")
    return "\n".join(out) + "\n"


def render_svg(dot_text: str) -> str:
    """Draw DOT text with Graphviz's ``dot -Tsvg``; GraphvizNotFound when it is not on PATH."""
    exe = shutil.which("dot")
    if exe is None:
        raise GraphvizNotFound(GRAPHVIZ_HELP)
    try:
        done = subprocess.run(
            [exe, "-Tsvg"],
            input=dot_text.encode("utf-8"),
            capture_output=True,
            check=False,
            timeout=300,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise ArchlintError(f"cannot run Graphviz's dot: {e}") from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ArchlintError(f"Graphviz's dot failed: {lines[-1] if lines else done.returncode}")
    return done.stdout.decode("utf-8")


def render(graph: PackageGraph, fmt: str, title: str = "") -> str:
    """The graph in ``fmt``: ``dot``, ``mermaid`` or ``svg``."""
    if fmt == "mermaid":
        return render_mermaid(graph, title)
    dot = render_dot(graph, title)
    return render_svg(dot) if fmt == "svg" else dot
