"""What one parse of a file tells: its lines, its imports, its string references.

``archlint report --format html`` and ``archlint report --history`` need, from every file, the
figures' line count, the imports that make the module graph, and the imports and strings that
name deprecated paths. :func:`read_facts` gets all three from one parse. The result is plain
data that depends only on the file's bytes and its module name, so ``--history`` keeps it per
git blob and parses a file again only when its content (or its place) changed.

:func:`module_graph` builds the graph of modules from those facts exactly as
:func:`archlint.application.sources.read_module_graph` does from the files (the same
``resolve``, the same edges); :func:`deprecation_sites` finds what ``archlint lint --select
ARC0`` reports (ARC001, ARC002, ARC003), each site with the deprecation it falls under.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from archlint.domain import model
from archlint.domain.deprecations import DeprecationIndex, replacement_import, replacement_target
from archlint.domain.imports import ImportRecord, StringReference
from archlint.domain.metrics import ModuleGraph, SourceModule, count_lines
from archlint.scanning.imports import scan_imports
from archlint.scanning.inventory import ModuleInventory
from archlint.scanning.modules import ModuleName
from archlint.scanning.source import SourceError, decode_source, parse_source
from archlint.scanning.strings import scan_string_references

from .sources import import_edges

__all__ = [
    "DeprecationGroup",
    "DeprecationSite",
    "FileFacts",
    "deprecation_sites",
    "module_graph",
    "read_facts",
]


@dataclass(frozen=True, slots=True)
class FileFacts:
    """One file: its physical lines, imports and string references naming modules.

    ``problem`` is the one-line reason when the file could not be decoded or parsed (it then
    has its lines but no imports).
    """

    lines: int
    imports: tuple[ImportRecord, ...] = ()
    strings: tuple[StringReference, ...] = ()
    problem: str | None = None


def read_facts(data: bytes, shown: str, module: ModuleName | None) -> FileFacts:
    """Parse ``data`` (a file shown as ``shown``, defining ``module`` if it is one)."""
    lines = count_lines(data)
    try:
        tree = parse_source(decode_source(data, shown), shown)
    except SourceError as e:
        return FileFacts(lines, problem=str(e))
    except (RecursionError, MemoryError, ValueError) as e:
        return FileFacts(lines, problem=f"{shown}: cannot parse: {type(e).__name__}")
    return FileFacts(
        lines,
        tuple(scan_imports(tree, module)),
        tuple(scan_string_references(tree)),
    )


def module_graph(inventory: ModuleInventory, facts: Mapping[str, FileFacts]) -> ModuleGraph:
    """The module graph of ``inventory``, from ``facts`` by module name.

    A module without facts (its file could not be read) counts with no lines and no imports.
    """
    modules: dict[str, SourceModule] = {
        name: SourceModule(name, True, 0, namespace=True) for name in inventory.namespace_packages
    }
    for found in inventory:
        known = facts.get(found.name)
        modules[found.name] = SourceModule(
            found.name, found.is_package, known.lines if known else 0
        )
    records = {f.name: known.imports for f in inventory if (known := facts.get(f.name))}
    roots = [p.name for p in inventory.packages]
    return ModuleGraph(modules, import_edges(records, frozenset(modules), roots))


@dataclass(frozen=True, slots=True)
class DeprecationSite:
    """One import or string naming a deprecated path, at ``path:line:col`` (col 1-based)."""

    path: str
    line: int
    col: int
    code: str
    #: The path as the code names it: ``a.b.C`` for ``from a.b import C``, or the string.
    named: str
    #: What to write instead (the import, or the string), when there is a replacement.
    replacement: str | None


@dataclass(frozen=True, slots=True)
class DeprecationGroup:
    """A deprecation and every site that still names it."""

    deprecation: model.Deprecation
    sites: tuple[DeprecationSite, ...]


def _is_error(deprecation: model.Deprecation, today: dt.date) -> bool:
    return deprecation.removed or deprecation.is_expired(today)


def deprecation_sites(
    deprecations: Iterable[model.Deprecation],
    files: Iterable[tuple[str, FileFacts]],
    today: dt.date | None = None,
) -> tuple[DeprecationGroup, ...]:
    """Every site naming a deprecated path, grouped by deprecation (sorted by ``old``).

    The sites are those ``archlint lint --select ARC0`` reports, at the same lines and
    columns: ARC001/ARC002 for imports (ARC002 when removed or past ``remove_after``),
    ARC003 for strings. Deprecations no site names are left out.
    """
    day = today or dt.date.today()
    index = DeprecationIndex(deprecations)
    found: dict[str, list[DeprecationSite]] = {}
    by_old: dict[str, model.Deprecation] = {d.old: d for d in index.entries}
    if not index:
        return ()
    for shown, facts in files:
        for record in facts.imports:
            match = index.lookup_import(record)
            if match is None:
                continue
            d = match.deprecation
            code = "ARC002" if _is_error(d, day) else "ARC001"
            found.setdefault(d.old, []).append(
                DeprecationSite(
                    shown,
                    record.stmt_line,  # where every face reports an import: its statement
                    record.stmt_col + 1,
                    code,
                    record.path,
                    replacement_import(record, match),
                )
            )
        for ref in facts.strings:
            match = index.lookup_reference(ref)
            if match is None:
                continue
            found.setdefault(match.deprecation.old, []).append(
                DeprecationSite(
                    shown,
                    ref.line,
                    ref.col + 1,
                    "ARC003",
                    ref.value,
                    replacement_target(ref.value, match),
                )
            )
    return tuple(
        DeprecationGroup(
            by_old[old], tuple(sorted(sites, key=lambda s: (s.path, s.line, s.col, s.named)))
        )
        for old, sites in sorted(found.items())
    )
