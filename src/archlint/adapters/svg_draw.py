"""Small SVG drawings made without any library: the package diagram when Graphviz's ``dot``
is absent, and the history chart of ``archlint report --history``.

Every text placed in the SVG goes through :func:`html.escape`: module names, layer labels and
commit subjects come from the checked code and its history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from archlint.domain.package_graph import PackageGraph

from .render_graph import RED, edge_label

_CHAR = 7.0  # average width of a character at font-size 12, in pixels
_NODE_H = 40
_ROW_GAP = 90
_COL_GAP = 24
_MARGIN = 20
_GREY = "#555555"


def _node_width(name: str) -> float:
    return max(90.0, len(name) * _CHAR + 20)


def diagram(graph: PackageGraph) -> str:
    """The package graph as layered boxes and arrows: one row per layer (top layer first),
    nodes in no layer in a row above; an edge is labelled with its imports, red when some of
    them break a contract."""
    ranked = {name for rank in graph.ranks for name in rank.nodes}
    rows: list[tuple[str, list[str]]] = []
    loose = [n.name for n in graph.nodes if n.name not in ranked]
    if loose:
        rows.append(("", loose))
    rows += [(rank.label, list(rank.nodes)) for rank in graph.ranks]
    nodes = {n.name: n for n in graph.nodes}
    label_w = max((len(label) * _CHAR for label, _ in rows), default=0) + _MARGIN
    place: dict[str, tuple[float, float, float]] = {}  # name -> (x centre, y top, width)
    width = 0.0
    for row, (_, names) in enumerate(rows):
        x = label_w + _MARGIN
        y = float(_MARGIN + row * (_NODE_H + _ROW_GAP))
        for name in names:
            w = _node_width(name)
            place[name] = (x + w / 2, y, w)
            x += w + _COL_GAP
        width = max(width, x)
    height = _MARGIN * 2 + len(rows) * (_NODE_H + _ROW_GAP) - _ROW_GAP
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        'font-family="sans-serif" font-size="12">',
        "<defs>",
        _marker("arrow", _GREY),
        _marker("arrow-red", RED),
        "</defs>",
    ]
    for row, (label, _) in enumerate(rows):
        if label:
            label_y = _MARGIN + row * (_NODE_H + _ROW_GAP) + _NODE_H / 2 + 4
            out.append(
                f'<text x="{_MARGIN / 2:.0f}" y="{label_y:.0f}" fill="#777" font-style="italic">'
                f"{escape(label)}</text>"
            )
    for edge in graph.edges:
        if edge.source not in place or edge.target not in place:
            continue
        out.append(_edge(place[edge.source], place[edge.target], edge_label(edge), edge.breaks))
    for name, (cx, y, w) in place.items():
        node = nodes[name]
        stroke = RED if node.inner_breaks else "#888888"
        title = f"{name}: {node.modules} modules"
        if node.inner_breaks:
            title += f", {node.inner_breaks} imports inside break {', '.join(node.contracts)}"
        out.append(
            f'<g class="node"><title>{escape(title)}</title>'
            f'<rect x="{cx - w / 2:.1f}" y="{y:.1f}" width="{w:.1f}" height="{_NODE_H}" rx="6" '
            f'fill="#f5f5f5" stroke="{stroke}" stroke-width="{2 if node.inner_breaks else 1}"/>'
            f'<text x="{cx:.1f}" y="{y + 16:.1f}" text-anchor="middle">{escape(name)}</text>'
            f'<text x="{cx:.1f}" y="{y + 31:.1f}" text-anchor="middle" fill="#666" '
            f'font-size="10">{node.modules} module{"s" if node.modules != 1 else ""}'
            f"{f' · {node.inner_breaks} ✗ inside' if node.inner_breaks else ''}</text></g>"
        )
    out.append("</svg>")
    return "\n".join(out)


def _marker(name: str, colour: str) -> str:
    return (
        f'<marker id="{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        f'fill="{colour}"/></marker>'
    )


def _edge(
    source: tuple[float, float, float], target: tuple[float, float, float], label: str, red: int
) -> str:
    (sx, sy, _), (tx, ty, _) = source, target
    colour = RED if red else _GREY
    marker = "arrow-red" if red else "arrow"
    if sy == ty:  # same row: an arc above the boxes
        x1, y1, x2, y2 = sx, sy, tx, ty
        lift = 30 + abs(tx - sx) / 8
        path = (
            f"M{x1:.1f},{y1:.1f} C{x1:.1f},{y1 - lift:.1f} "
            f"{x2:.1f},{y2 - lift:.1f} {x2:.1f},{y2:.1f}"
        )
        lx, ly = (x1 + x2) / 2, y1 - lift * 0.75
    else:
        down = ty > sy
        y1 = sy + _NODE_H if down else sy
        y2 = ty if down else ty + _NODE_H
        path = f"M{sx:.1f},{y1:.1f} L{tx:.1f},{y2:.1f}"
        lx, ly = sx + (tx - sx) * 0.4, y1 + (y2 - y1) * 0.4
    return (
        f'<g class="edge{" broken" if red else ""}"><path d="{path}" fill="none" '
        f'stroke="{colour}" stroke-width="{2 if red else 1}" marker-end="url(#{marker})"/>'
        f'<text x="{lx:.1f}" y="{ly:.1f}" fill="{colour}" font-size="10" text-anchor="middle" '
        f'paint-order="stroke" stroke="#fff" stroke-width="3">{escape(label)}</text></g>'
    )


@dataclass(frozen=True, slots=True)
class Series:
    """One line of a chart: its name, its colour and a value per point (None: unknown)."""

    name: str
    colour: str
    values: tuple[int | None, ...]


def line_chart(series: Sequence[Series], labels: Sequence[str], tips: Sequence[str]) -> str:
    """A line chart of ``series`` over points labelled ``labels`` (``tips`` on hover)."""
    points = len(labels)
    width, height = max(640, min(1100, 260 + points * 40)), 300
    left, right, top, bottom = 50, 150, 20, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([1, *(v for s in series for v in s.values if v is not None)])
    step = plot_w / max(points - 1, 1)

    def xy(i: int, value: int) -> tuple[float, float]:
        return left + i * step, top + plot_h - value * plot_h / peak

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" '
        'font-size="11">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#999"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#999"/>',
    ]
    for tick in sorted({0, peak // 2, peak}):
        _, y = xy(0, tick)
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#666">{tick}</text>'
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#eee"/>'
        )
    every = max(1, points // 12)
    for i, label in enumerate(labels):
        if i % every and i != points - 1:
            continue
        x, _ = xy(i, 0)
        out.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle" fill="#666" '
            f'font-family="monospace">{escape(label)}</text>'
        )
    for position, line in enumerate(series):
        known = [(i, v) for i, v in enumerate(line.values) if v is not None]
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in known))
        if coords:
            out.append(
                f'<polyline class="series" fill="none" stroke="{line.colour}" stroke-width="2" '
                f'points="{coords}"/>'
            )
        for i, v in known:
            x, y = xy(i, v)
            tip = f"{tips[i] if i < len(tips) else labels[i]}: {line.name} {v}"
            out.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{line.colour}">'
                f"<title>{escape(tip)}</title></circle>"
            )
        ly = top + 14 + position * 18
        out.append(
            f'<rect x="{left + plot_w + 16}" y="{ly - 9}" width="12" height="3" '
            f'fill="{line.colour}"/><text x="{left + plot_w + 34}" y="{ly}">'
            f"{escape(line.name)}</text>"
        )
    out.append(
        f'<text x="{left + plot_w / 2:.0f}" y="{height - 10}" text-anchor="middle" '
        'fill="#666">commits, oldest first</text>'
    )
    out.append("</svg>")
    return "\n".join(out)
