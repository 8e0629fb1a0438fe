"""Which modules of a project are shims, read from its files (see :mod:`archlint.domain.shims`).

Whether a deprecation's ``new`` exists is answered from the file system, as the per-file rules
answer whether a module exists; a ``new`` that names something inside a module is looked up in
that module's AST (never imported). Only a module under a deprecation asks, so a file that is
not at a deprecated path costs one lookup in the deprecation index.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from archlint.domain.deprecations import DeprecationIndex
from archlint.domain.shims import Shim, resolves, shim_of
from archlint.scanning.module_files import ModuleFiles
from archlint.scanning.source import SourceError, decode_source, parse_source

__all__ = ["new_resolves", "shim_at"]


def new_resolves(modules: ModuleFiles) -> Callable[[str], bool]:
    """Whether a path exists in the project whose modules ``modules`` knows (see
    :func:`archlint.domain.shims.resolves`)."""

    def tree_of(module: str) -> ast.Module | None:
        found = modules.file_of(module)
        if found is None:
            return None
        try:
            path = str(found[0])
            return parse_source(decode_source(found[0].read_bytes(), path), path)
        except (OSError, SourceError):
            return None

    def internal(path: str) -> bool:
        return modules.root_of(path) is not None

    return lambda path: resolves(path, modules.exists, internal, tree_of)


def shim_at(index: DeprecationIndex, modules: ModuleFiles, module: str) -> Shim | None:
    """The shim ``module`` is, if it is one."""
    if not index or index.lookup(module) is None:
        return None
    return shim_of(index, module, new_resolves(modules))
