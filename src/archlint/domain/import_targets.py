"""Which module an import statement makes its importer depend on, as grimp decides it.

The flake8 plugin sees one file and must name the same imported module for each import as
the graph ``archlint check`` runs on, or the two disagree about which imports break a
contract. grimp's rule, for the dotted path an import names (``a.b`` for ``import a.b``,
``a.b.c`` for ``from a.b import c``, ``a.b.*`` for ``from a.b import *``):

1. the path itself, if it is a module of the project;
2. else its parent, if that is one (``from a.b import some_function``, but also
   ``import a.b.not_a_module``);
3. else the import is external: it is in the graph only when the graph is built with
   external packages, as the package's top-level name (:func:`external_target`). A path below
   a root package that names no module (``from pkg.gone import x``) is external too, and then
   stands for the root package itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .expressions import is_in_package


def internal_target(path: str, is_module: Callable[[str], bool]) -> str | None:
    """The project module ``path`` resolves to (rules 1 and 2), or None."""
    if is_module(path):
        return path
    parent = path.rpartition(".")[0]
    if parent and is_module(parent):
        return parent
    return None


def external_target(path: str, root_packages: Sequence[str]) -> str | None:
    """The node an external import of ``path`` becomes in a graph with external packages.

    The top-level name (``requests`` for ``requests.adapters``), except where it shares a
    namespace with a root package: then the shallowest name that does not clash with it
    (``ns.other`` for ``ns.other.x`` beside root package ``ns.pkg``). None where grimp leaves
    the import out: an ancestor of a root package (``import ns``), or a missing module inside
    a root package that is a namespace portion (``ns.pkg.gone``).
    """
    top = path.split(".", 1)[0]
    if any(root != path and is_in_package(root, path) for root in root_packages):
        return None
    candidates = []
    for root in root_packages:
        if not root.startswith(top + "."):
            continue
        inside, outside = root.split("."), path.split(".")
        common = 0
        while common < min(len(inside), len(outside)) and inside[common] == outside[common]:
            common += 1
        if common >= len(inside):
            # A missing module inside a namespace-portion root package: grimp leaves it out.
            return None
        candidates.append(".".join(outside[: common + 1]))
    if candidates:
        return max(candidates, key=lambda c: (c.count("."), c))
    return top
