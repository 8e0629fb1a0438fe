"""``archlint graph``: the package-level import graph, with the imports that break a contract.

What the nodes, edges and ranks are is :mod:`archlint.domain.package_graph`'s to say; the
graph of modules comes from archlint's own scanner (:mod:`archlint.application.sources`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from archlint.config.loader import display_path
from archlint.domain.package_graph import PackageGraph, package_graph

from .project import open_project
from .sources import read_module_graph


@dataclass(frozen=True)
class GraphResult:
    """The package graph, and the files that could not be read or parsed."""

    graph: PackageGraph
    problems: tuple[str, ...] = ()


def project_graph(root: Path | None = None) -> GraphResult:
    """The package graph of the project at ``root`` (found upwards from the current folder
    when None). Raises ``ConfigError`` when the configuration cannot be read."""
    opened = open_project(root=root)
    read = read_module_graph(opened.inventory, display_path)
    return GraphResult(package_graph(opened.project, read.graph), read.problems)
