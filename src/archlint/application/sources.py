"""A project's module graph, read from its files with archlint's own scanner.

``archlint report`` and ``archlint graph`` read the graph this way rather than through grimp
(:mod:`archlint.backend.graph`), for three reasons:

- ``report --compare`` reads a second tree, written to a temporary folder, in the same
  process; grimp is configured through process-wide settings and the backend looks up import
  sites by module name in a cache, both of which assume one tree per process;
- the figures need each file's line count and the graph needs, per import, whether it sits
  under ``if TYPE_CHECKING:`` (for contracts that leave those out): the scanner gives both from
  the one parse it already makes;
- it is the scanner the flake8 plugin runs, so red edges in ``archlint graph`` are the imports
  the plugin flags.

The edges are grimp's: ``import a.b`` depends on ``a.b``; ``from a.b import c`` on module
``a.b.c`` when there is one, else on ``a.b``; a name that is not a module falls back to its
parent module when that exists (``import a.b.C`` gives ``a.b``); an import of a module the
project does not have is dropped, and so are external imports and a module importing itself.
Namespace packages (folders without ``__init__.py``) are modules, as in grimp's graph. A test
checks that the edges equal grimp's on the bundled example and on archlint itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from archlint.domain.expressions import is_in_package
from archlint.domain.imports import ImportRecord
from archlint.domain.metrics import ImportEdge, ModuleGraph, SourceModule, count_lines
from archlint.scanning.imports import scan_imports
from archlint.scanning.inventory import ModuleInventory
from archlint.scanning.modules import ModuleName
from archlint.scanning.screen import BadFile, climbing_import, package_depth, read_source
from archlint.scanning.source import SourceError, decode_source, parse_source


@dataclass(frozen=True)
class ReadGraph:
    """The graph, and a ``FILE:LINE: why`` line per file that could not be read or parsed.

    Such a file still counts as a module, with its lines when they could be read, but adds no
    imports; a special file (a FIFO, a broken link) is never opened and is no module.
    """

    graph: ModuleGraph
    problems: tuple[str, ...] = ()


def import_edges(
    records: Mapping[str, Iterable[ImportRecord]], known: frozenset[str], roots: list[str]
) -> dict[tuple[str, str], ImportEdge]:
    """The edges between the modules ``known``, from each importer's import records: one per
    (importer, imported) pair, with its statement lines, and deferred only when every import
    of the pair is (under ``TYPE_CHECKING``, or inside a function)."""
    sites: dict[tuple[str, str], list[ImportRecord]] = {}
    for importer, found_records in records.items():
        for record in found_records:
            imported = resolve(record, known, roots)
            if imported is not None and imported != importer:
                sites.setdefault((importer, imported), []).append(record)
    return {
        pair: ImportEdge(
            pair[0],
            pair[1],
            tuple(sorted({r.stmt_line for r in found})),
            all(r.is_type_checking for r in found),
            all(r.is_lazy for r in found),
        )
        for pair, found in sites.items()
    }


def resolve(record: ImportRecord, known: frozenset[str], roots: Iterable[str]) -> str | None:
    """The module of the project an import makes its module depend on, as grimp resolves it."""
    if not any(is_in_package(record.module, root) for root in roots):
        return None
    path = record.module if record.name in (None, "*") else record.path
    if path in known:
        return path
    parent = path.rpartition(".")[0]
    return parent if parent in known else None


def read_module_graph(inventory: ModuleInventory, show: Callable[[Path], str] = str) -> ReadGraph:
    """Read every module of ``inventory``: its lines and its imports of other modules.

    ``show`` turns a file's path into the name used in problem messages.
    """
    modules: dict[str, SourceModule] = {
        name: SourceModule(name, True, 0, namespace=True) for name in inventory.namespace_packages
    }
    records: dict[str, list[ImportRecord]] = {}
    problems: list[BadFile] = list(inventory.bad_files)
    for found in inventory:
        try:
            data = read_source(found.path)
        except OSError as e:
            problems.append(BadFile.from_os_error(found.path, e))
            modules[found.name] = SourceModule(found.name, found.is_package, 0)
            continue
        modules[found.name] = SourceModule(found.name, found.is_package, count_lines(data))
        path = str(found.path)
        try:
            tree = parse_source(decode_source(data, path), path)
        except SourceError as e:
            problems.append(BadFile.from_source_error(found.path, e))
            continue
        climbing = climbing_import(found.path, tree, package_depth(found.name, found.is_package))
        if climbing is not None:
            problems.append(climbing)
            continue
        records[found.name] = scan_imports(tree, ModuleName(found.name, found.is_package))

    edges = import_edges(records, frozenset(modules), [p.name for p in inventory.packages])
    shown = sorted(problems, key=lambda b: str(b.path))
    return ReadGraph(ModuleGraph(modules, edges), tuple(b.show(show) for b in shown))
