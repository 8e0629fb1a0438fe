"""Everything ``archlint report --format html`` shows, gathered in one pass over the files.

Every Python file of the project (the root packages' modules, and what ``archlint lint``
reads: the source roots and ``tests/``) is parsed once (:mod:`archlint.application.facts`);
from those facts come the module graph (the figures, the package diagram, the drill-down and
the cycles) and the deprecated sites. The contracts' verdict is ``archlint check``'s
(:func:`archlint.application.check.check`), with its cache.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from archlint.domain.cycles import (
    covering_cycles,
    cycle_breakers,
    mutual_pairs,
    strongly_connected_components,
)
from archlint.domain.metrics import ImportEdge, ModuleGraph
from archlint.domain.package_graph import PackageGraph, breaking_imports, package_graph
from archlint.domain.results import CheckReport
from archlint.scanning.modules import ModuleName, module_name_for_path

from .check import check
from .facts import DeprecationGroup, FileFacts, deprecation_sites, module_graph, read_facts
from .files import default_paths, display_path, python_files
from .project import OpenProject, open_project
from .report import Report, report_of

#: Cycles listed per tangle; the breakers are all listed (they are what to act on).
CYCLES_SHOWN = 12


@dataclass(frozen=True, slots=True)
class Tangle:
    """One set of modules that all import each other (a strongly connected component)."""

    modules: tuple[str, ...]
    #: Pairs of its modules that import each other.
    mutual: tuple[tuple[str, str], ...]
    #: A few shortest cycles through its imports (at most :data:`CYCLES_SHOWN`).
    cycles: tuple[tuple[str, ...], ...]
    #: Imports whose removal would break every cycle of it, each with its lines.
    breakers: tuple[ImportEdge, ...]


@dataclass(frozen=True)
class Overview:
    """What the HTML report shows."""

    root: Path
    figures: Report
    check: CheckReport
    graph: PackageGraph
    modules: ModuleGraph
    tangles: tuple[Tangle, ...]
    deprecations: tuple[DeprecationGroup, ...]
    #: Files that could not be read or parsed, one line each.
    problems: tuple[str, ...]
    #: The module imports that break a contract, with the ids of the contracts they break.
    breaking: Mapping[tuple[str, str], frozenset[str]]
    #: Each module's file as shown (relative to the current folder), for ``file:line``.
    files: Mapping[str, str]


def tangles_of(graph: ModuleGraph) -> tuple[Tangle, ...]:
    """Every import cycle tangle of the whole project, with its mutual pairs and breakers."""
    adj = graph.adjacency()
    out = []
    for component in strongly_connected_components(adj):
        inside = {m: adj[m] & component for m in component}
        breakers = sorted(cycle_breakers(adj, component))
        out.append(
            Tangle(
                tuple(sorted(component)),
                tuple(mutual_pairs(inside)),
                tuple(covering_cycles(adj, component, limit=CYCLES_SHOWN)),
                tuple(graph.edges[pair] for pair in breakers),
            )
        )
    return tuple(out)


def _read(path: Path, shown: str, module: ModuleName | None) -> FileFacts:
    try:
        data = path.read_bytes()
    except OSError as e:
        return FileFacts(0, problem=f"{shown}: cannot read: {e.strerror}")
    return read_facts(data, shown, module)


def overview(
    root: Path | None = None, compare: str | None = None, today: dt.date | None = None
) -> Overview:
    """Gather the HTML report of the project at ``root`` (found upwards when None), with
    ``compare``'s figures beside today's when given.

    Raises ``ConfigError`` and ``GitError`` as ``archlint check`` and ``report`` do.
    """
    opened = open_project(root=root)
    return gather(opened, compare, today)


def gather(opened: OpenProject, compare: str | None, today: dt.date | None = None) -> Overview:
    """:func:`overview` for a project already opened."""
    project = opened.project
    cwd = Path.cwd()
    roots = project.source_root_paths
    by_module: dict[str, FileFacts] = {}
    shown_of: dict[str, str] = {}
    by_path: dict[str, tuple[str, FileFacts]] = {}
    for found in opened.inventory:
        shown = display_path(found.path, cwd)
        facts = _read(found.path, shown, ModuleName(found.name, found.is_package))
        by_module[found.name] = facts
        shown_of[found.name] = shown
        by_path[os.path.realpath(found.path)] = (shown, facts)
    for path in python_files(default_paths(project)):
        key = os.path.realpath(path)
        if key in by_path:
            continue
        shown = display_path(path, cwd)
        module = module_name_for_path(os.path.abspath(path), roots) or module_name_for_path(
            key, roots
        )
        by_path[key] = (shown, _read(path, shown, module))
    graph = module_graph(opened.inventory, by_module)
    problems = tuple(sorted({f.problem for _, f in by_path.values() if f.problem}))
    files = sorted(by_path.values(), key=lambda item: item[0])
    return Overview(
        root=opened.root,
        figures=report_of(opened, graph, problems, compare),
        check=check(opened),
        graph=package_graph(project, graph),
        modules=graph,
        tangles=tangles_of(graph),
        deprecations=deprecation_sites(project.deprecations, files, today),
        problems=problems,
        breaking=breaking_imports(project, graph),
        files=shown_of,
    )
