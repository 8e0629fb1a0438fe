"""Which modules an import statement runs, and the import-time cycles a new import closes.

Importing ``a.b.c`` runs ``a/__init__``, ``a/b/__init__`` and ``a/b/c``. A module that imports,
at module level, something whose execution (or a package ``__init__`` on the way to it)
imports the first module back finds that module partially initialised: ``from a import X``
then fails with "cannot import name 'X' from partially initialized module 'a'". That is what
``archlint fix`` and ``archlint move`` must never introduce.

Only imports that run when the module is imported count: not those inside functions, nor
those under ``if TYPE_CHECKING:``. The packages that enclose the importer are already being
imported when it runs, so reaching them costs nothing, except when the importer needs a name
from one of them (``from pkg import X`` inside ``pkg.mod``): that is the cycle that breaks.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable, Mapping

from archlint.domain.imports import ImportRecord

__all__ = ["ancestors", "cycle_through", "graph_target", "import_time_targets"]


def ancestors(module: str) -> list[str]:
    """``a.b.c`` -> ``["a", "a.b"]``: the packages whose ``__init__`` runs first."""
    parts = module.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts))]


def _encloses(package: str, module: str) -> bool:
    return module.startswith(package + ".")


def import_time_targets(record: ImportRecord, importer: str, modules: Collection[str]) -> list[str]:
    """The project modules whose execution ``record`` needs when ``importer`` is imported.

    Empty for an import inside a function or under ``TYPE_CHECKING``. ``modules`` are the
    project's module names (packages included): anything else is outside the project.
    """
    if record.is_lazy or record.is_type_checking:
        return []
    needs_names_of: str | None = None
    if record.name is None:
        target = record.module
    else:
        sub = f"{record.module}.{record.name}"
        if sub in modules:
            target = sub  # ``from a import b`` of a submodule binds it: no name of ``a`` needed
        else:
            target = record.module
            needs_names_of = record.module
    found: list[str] = []
    for module in (*ancestors(target), target):
        if module not in modules or module == importer:
            continue
        if _encloses(module, importer) and module != needs_names_of:
            continue  # already being imported when ``importer`` runs
        found.append(module)
    return found


def graph_target(record: ImportRecord, modules: Collection[str]) -> str:
    """The module an import points at in grimp's graph: ``from a import b`` is ``a.b`` when
    that is a module, else ``a``."""
    if record.name is not None:
        sub = f"{record.module}.{record.name}"
        if sub in modules:
            return sub
    return record.module


def cycle_through(
    importer: str, imported: str, edges: Mapping[str, Mapping[str, int]]
) -> list[tuple[str, str, int]] | None:
    """The shortest chain ``importer -> imported -> ... -> importer`` in ``edges``, as
    ``(importer, imported, line)`` links, or None when ``imported`` does not reach back.

    ``edges[m][n]`` is the line of ``m``'s first import of ``n``; the first link is taken from
    ``edges`` too (it must be there)."""
    previous: dict[str, str] = {imported: importer}
    queue = deque([imported])
    while queue:
        current = queue.popleft()
        for following in sorted(edges.get(current, {})):
            if following in previous:
                continue
            previous[following] = current
            if following == importer:
                return _links(importer, imported, previous, edges)
            queue.append(following)
    return None


def _links(
    importer: str,
    imported: str,
    previous: Mapping[str, str],
    edges: Mapping[str, Mapping[str, int]],
) -> list[tuple[str, str, int]]:
    path = [importer]
    node = previous[importer]
    while node != imported:
        path.append(node)
        node = previous[node]
    path.append(imported)
    path.append(importer)
    path.reverse()
    # ``path`` now runs importer, imported, ..., importer
    return [(a, b, edges.get(a, {}).get(b, 0)) for a, b in _pairs(path)]


def _pairs(items: Iterable[str]) -> Iterable[tuple[str, str]]:
    it = iter(items)
    first = next(it, None)
    for item in it:
        if first is not None:
            yield first, item
        first = item


def render_chain(links: Iterable[tuple[str, str, int]]) -> str:
    """``a -> b (l.3) -> a (l.7)``."""
    text = ""
    for importer, imported, line in links:
        if not text:
            text = importer
        text += f" -> {imported}" + (f" (l.{line})" if line else "")
    return text
