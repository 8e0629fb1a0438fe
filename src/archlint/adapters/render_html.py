"""``archlint report --format html``: one self-contained page.

Everything is inline: the style sheet, the drill-down script, the SVG diagram and chart, the
drill-down's data as JSON. A Content-Security-Policy forbids the page any network access.
Every text that comes from the checked project (module names, file paths, ``why`` texts,
strings from the code, commit subjects) is escaped with :func:`html.escape`, and the JSON is
written so that it cannot close its ``<script>`` element.

The drill-down's data is every module name and every import between modules, as indices
(``[importer, imported, breaks, ...]``): about 100 KB on Django. Beyond
:data:`MAX_EDGES` imports, modules are merged into their ancestors, level by level, until the
imports fit, and the page says so.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator, Mapping, Sequence
from html import escape

from archlint import __version__
from archlint.application.facts import DeprecationGroup
from archlint.application.overview import Overview, Tangle
from archlint.application.report import Report
from archlint.domain.errors import ArchlintError
from archlint.domain.metrics import FIGURE_NAMES, ImportEdge, ModuleGraph
from archlint.domain.results import Chain, ContractResult, Link

from . import html_assets, svg_draw
from .render_graph import render_dot, render_svg
from .render_report import LABELS, format_change
from .render_text import format_lines

#: Imports the drill-down carries at most; past it, modules are merged into their parents.
MAX_EDGES = 120_000

_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def script_json(data: object) -> str:
    """``data`` as JSON that is safe inside ``<script>``: no ``<``, ``>`` or ``&`` left."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def render_html(view: Overview, history_html: str = "") -> str:
    """The whole page. ``history_html`` is the history section, when there is one."""
    check = view.check
    sites = sum(len(g.sites) for g in view.deprecations)
    title = f"archlint report: {view.root.name}"
    sections = [
        ("contracts", "Contracts", _contracts(view)),
        ("diagram", "Layers", _diagram(view)),
        ("explore", "Drill-down", _drilldown(view.modules, view.breaking)),
        ("cycles", "Cycles", _cycles(view.tangles, view.files)),
        ("deprecations", "Deprecations", _deprecations(view.deprecations)),
        ("figures", "Figures", _figures(view.figures)),
    ]
    if history_html:
        sections.insert(1, ("history", "History", history_html))
    if view.problems:
        items = "".join(f"<li><code>{_e(p)}</code></li>" for p in view.problems)
        sections.append(
            ("problems", "Files not read", f"<p>Counted without their imports:</p><ul>{items}</ul>")
        )
    cards = [
        _card(len(check.broken), "contracts broken", bad=bool(check.broken)),
        _card(len(check.kept), "contracts kept", good=True),
        _card(len(view.tangles), "import cycle tangles", bad=bool(view.tangles)),
        _card(sites, "deprecated references left", bad=bool(sites)),
        _card(f"{check.module_count:,}", "modules"),
        _card(f"{check.import_count:,}", "imports"),
    ]
    nav = "".join(f'<a href="#{key}">{_e(name)}</a>' for key, name, _ in sections)
    body = "".join(
        f'<section id="{key}"><h2>{_e(name)}</h2>{content}</section>'
        for key, name, content in sections
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{html_assets.CSS}</style></head><body>"
        f"<header><h1>{_e(title)}</h1>"
        f'<div class="meta">{_e(view.root)} · archlint {_e(__version__)}</div></header>'
        f'<nav>{nav}</nav><main><div class="cards">{"".join(cards)}</div>{body}</main>'
        f"<script>{html_assets.JS}</script></body></html>\n"
    )


def _card(value: object, label: str, *, bad: bool = False, good: bool = False) -> str:
    cls = "card bad" if bad else ("card good" if good else "card")
    return (
        f'<div class="{cls}"><div class="n">{_e(value)}</div><div class="l">{_e(label)}</div></div>'
    )


# Contracts ---------------------------------------------------------------------------------


def _link_html(link: Link, files: Mapping[str, str]) -> str:
    where = files.get(link.importer)
    places = ", ".join(f"{where}:{n}" for n in link.line_numbers) if where else ""
    extra = format_lines(link)
    return (
        f"{_e(link.importer)} → {_e(link.imported)} "
        f'<span class="loc">({_e(places or extra)}'
        f"{_e(extra[extra.find(',') :]) if places and ',' in extra else ''})</span>"
    )


def _chain_html(chain: Chain, files: Mapping[str, str]) -> str:
    items = [f"<li>{_link_html(link, files)}</li>" for link in chain.links]
    items += [f"<li>&amp; {_link_html(x, files)}</li>" for x in chain.extra_firsts]
    items += [f"<li>&amp; {_link_html(x, files)}</li>" for x in chain.extra_lasts]
    return f'<ol class="chain">{"".join(items)}</ol>'


def _result_html(result: ContractResult, files: Mapping[str, str]) -> str:
    contract = result.contract
    verdict = "kept" if result.kept else "broken"
    name = contract.name if contract.name == contract.id else f"{contract.id}: {contract.name}"
    count = sum(max(1, len(v.chains)) for v in result.violations)
    extra = f" · {count} break{'s' if count != 1 else ''}" if not result.kept else ""
    parts = [
        f'<details class="contract {verdict}"><summary>'
        f'<span class="badge {verdict}">{verdict.upper()}</span> <b>{_e(name)}</b> '
        f'<span class="badge type">{_e(contract.type_name)}</span>{_e(extra)}</summary>'
        f'<div class="body"><div class="muted">defined at {_e(contract.origin)}</div>'
    ]
    if contract.why:
        parts.append(f'<div class="why">{_e(contract.why.strip())}</div>')
    parts.extend(f'<div class="note">warning: {_e(w)}</div>' for w in result.warnings)
    for violation in result.violations:
        parts.append(f'<div class="violation">{_e(violation.summary)}</div>')
        parts.extend(_chain_html(chain, files) for chain in violation.chains)
    if result.notes:
        notes = "\n".join(result.notes)
        parts.append(f'<pre class="mono">{_e(notes)}</pre>')
    parts.append("</div></details>")
    return "".join(parts)


def _contracts(view: Overview) -> str:
    check = view.check
    if not check.results:
        return "<p>No contract is defined.</p>"
    counts = f"{len(check.results)} contracts: {len(check.kept)} kept, {len(check.broken)} broken"
    head = f"<p>{counts}.</p>"
    problems = "".join(f'<div class="note">{_e(p)}</div>' for p in check.problems)
    # Broken first: they are what the reader came for.
    ordered = [*check.broken, *check.kept]
    return head + problems + "".join(_result_html(r, view.files) for r in ordered)


# Diagram -----------------------------------------------------------------------------------

_XML_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _diagram(view: Overview) -> str:
    legend = (
        '<p class="muted">Boxes are packages, one row per layer (top layer first); an edge '
        "counts the module imports between two boxes; red edges (<code>K ✗ of N</code>) hold "
        "imports that break a contract, a red border imports inside a box that do.</p>"
    )
    if not view.graph.nodes:
        return "<p>No package to draw.</p>"
    note = ""
    svg = None
    if shutil.which("dot") is not None:
        try:
            drawn = render_svg(render_dot(view.graph))
            svg = _COMMENT.sub("", _XML_PROLOGUE.sub("", drawn, count=1))
        except ArchlintError as e:
            note = f"Graphviz's dot failed ({e}); drawn by archlint instead."
    else:
        note = (
            "Graphviz's dot is not installed: this simpler drawing is archlint's own "
            "(install Graphviz for a laid-out diagram)."
        )
    if svg is None:
        svg = svg_draw.diagram(view.graph)
    shown = f'<p class="note">{_e(note)}</p>' if note else ""
    return f'{legend}{shown}<div class="diagram-box">{svg}</div>'


# Drill-down --------------------------------------------------------------------------------


def drilldown_data(
    graph: ModuleGraph, breaking: Mapping[tuple[str, str], object], max_edges: int = MAX_EDGES
) -> dict[str, object]:
    """The drill-down's JSON: module names, and imports as ``[importer, imported, breaks]``
    index triples, modules merged into ancestors when there are more than ``max_edges``."""
    depth = max((name.count(".") + 1 for name in graph.modules), default=1)
    merged_at: int | None = None
    while True:
        names, pairs = _indexed(graph, breaking, merged_at)
        if len(pairs) <= max_edges or depth <= 1:
            break
        depth -= 1
        merged_at = depth
    flat: list[int] = []
    for (a, b), bad in sorted(pairs.items()):
        flat += [a, b, bad]
    tops = {name.split(".", 1)[0] for name in names}
    start = next(iter(tops)) if len(tops) == 1 else ""
    return {"modules": list(names), "edges": flat, "merged_at": merged_at, "start": start}


def _indexed(
    graph: ModuleGraph, breaking: Mapping[tuple[str, str], object], merged_at: int | None
) -> tuple[dict[str, int], dict[tuple[int, int], int]]:
    """Module names by index, and imports as index pairs (1 when one breaks a contract), each
    module named by its ancestor at depth ``merged_at`` when given."""
    names: dict[str, int] = {}

    def key(name: str) -> int:
        if merged_at is not None:
            name = ".".join(name.split(".")[:merged_at])
        return names.setdefault(name, len(names))

    for name in sorted(graph.modules):
        key(name)
    pairs: dict[tuple[int, int], int] = {}
    for pair in sorted(graph.edges):
        a, b = key(pair[0]), key(pair[1])
        if a != b or merged_at is None:
            pairs[(a, b)] = pairs.get((a, b), 0) | (1 if pair in breaking else 0)
    return names, pairs


def _drilldown(graph: ModuleGraph, breaking: Mapping[tuple[str, str], object]) -> str:
    data = drilldown_data(graph, breaking)
    note = ""
    if data["merged_at"] is not None:
        note = (
            f'<p class="note">This project has more than {MAX_EDGES:,} imports: modules '
            f"below depth {data['merged_at']} are merged into their packages.</p>"
        )
    return (
        f'{note}<div id="drill"><noscript>The drill-down needs JavaScript.</noscript></div>'
        f'<script type="application/json" id="drill-data">{script_json(data)}</script>'
    )


# Cycles ------------------------------------------------------------------------------------


def _edge_place(edge: ImportEdge, files: Mapping[str, str]) -> str:
    where = files.get(edge.importer, edge.importer)
    lines = ", ".join(f"{where}:{n}" for n in edge.lines) or where
    extra = " (under TYPE_CHECKING)" if edge.type_checking else ""
    extra += " (in a function)" if edge.lazy else ""
    return f"{lines}{extra}"


def _tangle_html(number: int, tangle: Tangle, files: Mapping[str, str]) -> str:
    size = len(tangle.modules)
    parts = [
        f"<details open><summary><b>Tangle {number}</b>: {size} modules, "
        f"{len(tangle.mutual)} mutual imports, {len(tangle.breakers)} imports to cut</summary>"
        '<div class="body">'
        f'<div class="muted">{_e(", ".join(tangle.modules))}</div>'
        f"<p><b>Breakers</b>: removing these {len(tangle.breakers)} imports breaks every cycle "
        'of this tangle:</p><ul class="chain">'
    ]
    parts += [
        f"<li>{_e(e.importer)} → {_e(e.imported)} "
        f'<span class="loc">({_e(_edge_place(e, files))})</span></li>'
        for e in tangle.breakers
    ]
    parts.append("</ul><p><b>Cycles</b> (shortest first")
    parts.append(f", the first {len(tangle.cycles)}" if len(tangle.cycles) >= 12 else "")
    parts.append('):</p><ul class="chain">')
    parts += [f"<li>{_e(' → '.join(cycle))}</li>" for cycle in tangle.cycles]
    parts.append("</ul></div></details>")
    return "".join(parts)


def _cycles(tangles: Sequence[Tangle], files: Mapping[str, str]) -> str:
    if not tangles:
        return "<p>No import cycle among the project's modules.</p>"
    intro = (
        f"<p>{len(tangles)} tangle{'s' if len(tangles) != 1 else ''} of modules that import "
        "each other (strongly connected components of the whole project, every import "
        "counted: inside functions and under TYPE_CHECKING too).</p>"
    )
    return intro + "".join(_tangle_html(i, t, files) for i, t in enumerate(tangles, 1))


# Deprecations ------------------------------------------------------------------------------


def _group_html(group: DeprecationGroup) -> str:
    d = group.deprecation
    target = f"→ <code>{_e(d.new)}</code>" if d.new else "<b>removed</b>"
    dates = []
    if d.since:
        dates.append(f"since {d.since.isoformat()}")
    if d.remove_after:
        dates.append(f"remove after {d.remove_after.isoformat()}")
    rows = "".join(
        f'<tr><td class="mono">{_e(s.path)}:{s.line}:{s.col}</td>'
        f'<td><span class="badge {_e(s.code)}">{_e(s.code)}</span></td>'
        f'<td class="mono">{_e(s.named)}</td>'
        f'<td class="mono">{_e(s.replacement) if s.replacement else "—"}</td></tr>'
        for s in group.sites
    )
    count = len(group.sites)
    return (
        f"<details open><summary><code>{_e(d.old)}</code> {target} · "
        f"<b>{count}</b> site{'s' if count != 1 else ''}"
        f'{" · " + _e(", ".join(dates)) if dates else ""}</summary><div class="body">'
        + (f'<div class="why">{_e(d.why.strip())}</div>' if d.why else "")
        + '<table class="sites"><tr><th>where</th><th>code</th><th>names</th>'
        + "<th>write instead</th></tr>"
        + rows
        + "</table></div></details>"
    )


def _deprecations(groups: Sequence[DeprecationGroup]) -> str:
    if not groups:
        return "<p>No import or string names a deprecated path.</p>"
    total = sum(len(g.sites) for g in groups)
    intro = (
        f"<p>{total} site{'s' if total != 1 else ''} still name{'s' if total == 1 else ''} "
        f"{len(groups)} deprecated path{'s' if len(groups) != 1 else ''} (what "
        "<code>archlint lint --select ARC0</code> reports; <code>archlint fix</code> rewrites "
        "those with a replacement).</p>"
    )
    return intro + "".join(_group_html(g) for g in groups)


# Figures -----------------------------------------------------------------------------------


def _figure_cells(report: Report) -> Iterator[str]:
    for row in report.rows:
        cells = [f"<td><code>{_e(row.package)}</code></td>"]
        for name in FIGURE_NAMES:
            after = None if row.after is None else getattr(row.after, name)
            if not report.comparing:
                cells.append(f'<td class="num">{"—" if after is None else f"{after:,}"}</td>')
                continue
            before = None if row.before is None else getattr(row.before, name)
            moved = format_change(before, after)
            cls = "num"
            if before is not None and after is not None and before != after:
                cls += " down" if after < before else " up"
            cells += [
                f'<td class="num">{"—" if before is None else f"{before:,}"}</td>',
                f'<td class="num">{"—" if after is None else f"{after:,}"}</td>',
                f'<td class="{cls}">{_e(moved)}</td>',
            ]
        yield f"<tr>{''.join(cells)}</tr>"


def _figures(report: Report) -> str:
    if report.comparing:
        commit = (report.commit or "")[:12]
        head = (
            f"<p>Before: <code>{_e(report.ref)}</code> ({_e(commit)}); after: the working tree.</p>"
        )
        top = "<tr><th rowspan=2>package</th>" + "".join(
            f"<th colspan=3>{_e(LABELS[n])}</th>" for n in FIGURE_NAMES
        )
        sub = "<tr>" + "<th>before</th><th>after</th><th>change</th>" * len(FIGURE_NAMES)
        header = f"{top}</tr>{sub}</tr>"
    else:
        head = ""
        header = "<tr><th>package</th>" + "".join(
            f'<th class="num">{_e(LABELS[n])}</th>' for n in FIGURE_NAMES
        )
        header += "</tr>"
    note = (
        '<p class="muted">Modules: .py files other than __init__.py. Lines: physical lines of '
        "every .py file. Mutual imports, cycle tangles and import depth count only imports "
        "between the package's own modules.</p>"
    )
    if report.comparing and report.ref_used_current_config:
        note += (
            f'<p class="note">{_e(report.ref)} has no archlint contracts: today\'s were used.</p>'
        )
    return f"{head}<table>{header}{''.join(_figure_cells(report))}</table>{note}"
