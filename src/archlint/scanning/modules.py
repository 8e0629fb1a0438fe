"""The dotted module name of a file, from where it sits under a source root."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ModuleName", "module_name_for_path"]


@dataclass(frozen=True)
class ModuleName:
    """A module's dotted name, and whether it is a package (its file is ``__init__.py``).

    The distinction matters for relative imports: ``from . import x`` means the module's own
    package in ``pkg/__init__.py`` but the parent package in ``pkg/mod.py``.
    """

    name: str
    is_package: bool


def module_name_for_path(
    path: str | os.PathLike[str], source_roots: Sequence[Path]
) -> ModuleName | None:
    """The module a ``.py`` file defines, named from its path under the first root holding it.

    ``root/pkg/__init__.py`` is ``ModuleName("pkg", True)`` and ``root/pkg/sub/mod.py`` is
    ``ModuleName("pkg.sub.mod", False)``. The name comes from the path alone, not from
    ``__init__.py`` files found walking upwards: a stray ``src/__init__.py`` must not turn
    ``src/pkg/mod.py`` into ``src.pkg.mod``, and namespace sub-packages (directories without
    ``__init__.py``) inside regular packages still need their names.

    Returns ``None`` when no root contains the file, when it is not a ``.py`` file, when it is
    the ``__init__.py`` of a root itself, or when a component of the name is not a Python
    identifier (``my-scripts/x.py``, ``foo.bar.py``): such files cannot be imported by name.

    This is a pure string computation, with no file-system access, because a flake8 plugin
    calls it once per file. So the caller must pass ``path`` and every root absolute and
    normalised *in the same way*: typically ``os.path.abspath(filename)`` and roots built with
    ``Path(os.path.abspath(root))``. Symbolic links are not resolved here; if the roots were
    made with :meth:`Path.resolve`, pass ``os.path.realpath(filename)`` instead. On Windows the
    prefix comparison is case-insensitive (:func:`os.path.normcase`), the name keeps the
    file's own case.
    """
    path_str = os.fspath(path)
    if not path_str.endswith(".py"):
        return None
    folded = os.path.normcase(path_str)
    for root in source_roots:
        prefix = os.path.normcase(os.fspath(root))
        # A root of "/" (or "C:\\") already ends with the separator; others need one so that
        # root "/a/src" does not contain "/a/src2/x.py".
        if not prefix.endswith(os.sep):
            prefix += os.sep
        if folded.startswith(prefix):
            return _name_from_relative(path_str[len(prefix) :])
    return None


def _name_from_relative(relative: str) -> ModuleName | None:
    """Name the module at ``relative`` (a ``.py`` path below a root, using ``os.sep``)."""
    parts = relative.split(os.sep)
    stem = parts[-1][: -len(".py")]
    is_package = stem == "__init__"
    if is_package:
        parts.pop()
        if not parts:
            # The root's own __init__.py (the stray src/__init__.py): the root is a place to
            # look for packages, not a package itself.
            return None
    else:
        parts[-1] = stem
    # isidentifier() rejects "", "my-scripts", "foo.bar" and "2fast": names that an import
    # statement cannot spell. Keywords pass, as importlib and grimp accept them.
    if not all(part.isidentifier() for part in parts):
        return None
    return ModuleName(".".join(parts), is_package)
