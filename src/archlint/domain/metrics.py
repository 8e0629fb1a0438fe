"""Figures about a project's code, computed from its module import graph: how many modules and
lines a package has, how tangled its imports are, how deep its import chains run.

These are the figures of a refactoring's "before / after" table (``archlint report``). They
are computed here from a :class:`ModuleGraph`, which holds only names, line counts and import
edges: reading the files that give them is the scanner's job.

What each figure counts, for a package ``P`` (``P`` itself and every module below it):

``modules``
    ``.py`` files other than ``__init__.py``: the modules a person would count in a tree.
``lines``
    physical lines of every ``.py`` file, ``__init__.py`` included (``\\n``, ``\\r\\n`` and
    ``\\r`` end a line; a last line without an ending counts): blank and comment lines too, as
    ``wc -l`` counts them.
``mutual_pairs``
    pairs of modules of ``P`` that import each other: two-module cycles.
``tangles``
    strongly connected components of two or more modules of ``P``: sets of modules that all
    reach each other through imports. Several mutual pairs sharing a module make one tangle.
``import_depth``
    modules on the longest import chain inside ``P``, a tangle counting as one module
    (:func:`archlint.domain.cycles.import_depth`).

Only imports between modules of ``P`` count for the last three. Every import counts: at module
level, inside functions, under ``if TYPE_CHECKING:``: each is an import a refactoring has to
deal with, whatever a contract's ``exclude_type_checking_imports`` says.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from . import model
from .cycles import import_depth, mutual_pairs, strongly_connected_components
from .expressions import ModuleExpression, is_in_package

__all__ = [
    "FIGURE_NAMES",
    "Change",
    "Figures",
    "ImportEdge",
    "ModuleGraph",
    "SourceModule",
    "change",
    "count_lines",
    "expand",
    "package_figures",
    "report_packages",
]


@dataclass(frozen=True, slots=True)
class SourceModule:
    """One module of the project: its name, whether it is a package, its file's lines.

    A namespace package (a folder without ``__init__.py`` that holds modules) is a module too,
    as in grimp's graph, with ``namespace`` set and no file, so no lines.
    """

    name: str
    is_package: bool
    lines: int
    namespace: bool = False

    @property
    def is_file_module(self) -> bool:
        """True for a ``.py`` file other than ``__init__.py``: what ``modules`` counts."""
        return not self.is_package and not self.namespace


@dataclass(frozen=True, slots=True)
class ImportEdge:
    """``importer`` imports ``imported`` (both modules of the project), by one or more imports.

    ``type_checking`` and ``lazy`` say whether *every* import making the edge is under
    ``if TYPE_CHECKING:`` or inside a function: only then does the edge vanish when such
    imports are left out.
    """

    importer: str
    imported: str
    lines: tuple[int, ...] = ()
    type_checking: bool = False
    lazy: bool = False


@dataclass(frozen=True)
class ModuleGraph:
    """The modules of a project and the imports between them (external imports left out)."""

    #: Every module by name, namespace packages included.
    modules: Mapping[str, SourceModule]
    #: Every import, by ``(importer, imported)``.
    edges: Mapping[tuple[str, str], ImportEdge]
    _names: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_names", frozenset(self.modules))

    @property
    def names(self) -> frozenset[str]:
        """Every module name, namespace packages included."""
        return self._names

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def children(self, package: str) -> list[str]:
        """The modules and packages directly below ``package``, sorted."""
        prefix = package + "."
        return sorted(
            n for n in self._names if n.startswith(prefix) and "." not in n[len(prefix) :]
        )

    def adjacency(
        self,
        within: str | None = None,
        keep: Callable[[ImportEdge], bool] | None = None,
    ) -> dict[str, set[str]]:
        """Importer -> imported modules, for the modules of package ``within`` (all if None).

        Every module of ``within`` is a key, even one that imports nothing; edges leaving
        ``within`` are dropped, and so are those ``keep`` says no to.
        """
        adj: dict[str, set[str]] = {
            name: set() for name in self.modules if within is None or is_in_package(name, within)
        }
        for (importer, imported), edge in self.edges.items():
            if importer in adj and imported in adj and (keep is None or keep(edge)):
                adj[importer].add(imported)
        return adj


@dataclass(frozen=True, slots=True)
class Figures:
    """The figures of one package (see the module documentation for what each counts)."""

    modules: int
    lines: int
    mutual_pairs: int
    tangles: int
    import_depth: int

    def as_dict(self) -> dict[str, int]:
        """The figures by name, in :data:`FIGURE_NAMES` order."""
        return {name: getattr(self, name) for name in FIGURE_NAMES}


#: The figures, in the order a report shows them.
FIGURE_NAMES: tuple[str, ...] = ("modules", "lines", "mutual_pairs", "tangles", "import_depth")


def count_lines(data: bytes) -> int:
    """Physical lines of a file's bytes: what ``wc -l`` says, plus an unterminated last line."""
    return len(data.splitlines())


def package_figures(graph: ModuleGraph, package: str) -> Figures:
    """The figures of ``package`` (which must be in ``graph``)."""
    members = [m for name, m in graph.modules.items() if is_in_package(name, package)]
    adj = graph.adjacency(within=package)
    return Figures(
        modules=sum(1 for m in members if m.is_file_module),
        lines=sum(m.lines for m in members),
        mutual_pairs=len(mutual_pairs(adj)),
        tangles=len(strongly_connected_components(adj)),
        import_depth=import_depth(adj),
    )


@dataclass(frozen=True, slots=True)
class Change:
    """How one figure moved: ``delta`` (after - before) and its ``percent`` of before.

    ``percent`` is ``None`` when before is 0 and after is not (no percentage of nothing).
    """

    delta: int
    percent: float | None


def change(before: int, after: int) -> Change:
    """The change from ``before`` to ``after``."""
    delta = after - before
    if before == 0:
        return Change(delta, 0.0 if delta == 0 else None)
    return Change(delta, delta * 100 / before)


def expand(expression: ModuleExpression, names: Collection[str]) -> list[str]:
    """The names an expression stands for, sorted: itself if it exists, or its wildcard's
    matches."""
    if not expression.has_wildcard:
        return [expression.text] if expression.text in names else []
    return sorted(n for n in names if expression.matches(n))


def contract_expressions(contract: model.Contract) -> Iterator[ModuleExpression]:
    """Every module expression a contract names, layer modules made absolute.

    Layer modules are named below each container; with a wildcard container they are
    expanded per container by :func:`report_packages`, so they come out here as
    ``container.layer`` expressions (the container possibly a wildcard).
    """
    if isinstance(contract, model.LayersContract):
        containers = [c.text for c in contract.containers]
        yield from contract.containers
        for layer in contract.layers:
            for module in layer.modules:
                if containers:
                    for container in containers:
                        yield ModuleExpression(f"{container}.{module.name}")
                else:
                    yield ModuleExpression(module.name)
    elif isinstance(contract, model.IndependenceContract):
        yield from contract.modules
    elif isinstance(contract, (model.ForbiddenContract, model.AllowlistContract)):
        yield from contract.source_modules
        if isinstance(contract, model.ForbiddenContract):
            yield from contract.forbidden_modules
        else:
            yield from contract.allowed_modules
    elif isinstance(contract, model.ProtectedContract):
        yield from contract.protected_modules
        yield from contract.allowed_importers
    elif isinstance(contract, model.AcyclicSiblingsContract):
        yield from contract.ancestors
    elif isinstance(contract, model.AcyclicContract):
        yield from contract.packages


def report_packages(
    root_packages: Iterable[str], contracts: Iterable[model.Contract], graph: ModuleGraph
) -> list[str]:
    """The packages (and modules) a report shows, sorted: each root package, and every module
    a contract names that exists in ``graph``, wildcards expanded."""
    found = {p for p in root_packages if p in graph}
    for contract in contracts:
        for expression in contract_expressions(contract):
            found.update(expand(expression, graph.names))
    return sorted(found)
