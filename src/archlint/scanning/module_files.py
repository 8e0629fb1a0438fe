"""Which modules of a project exist, answered from the file system as the graph's module
finder would answer it, and remembered: what the flake8 plugin needs to resolve an import
to a module without listing the whole project up front."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from archlint.domain.expressions import is_in_package

__all__ = ["ModuleFiles"]


@dataclass
class ModuleFiles:
    """Whether a module of the project exists, answered from the file system and remembered.

    Used to resolve ``from a.b import c`` to module ``a.b.c`` or to ``a.b`` the way grimp
    does, without listing the whole project up front.
    """

    root_packages: tuple[str, ...]
    source_roots: tuple[Path, ...]
    _known: dict[str, bool] = field(default_factory=dict)
    _package_dirs: dict[str, str | None] = field(default_factory=dict)
    _listings: dict[str, frozenset[str]] = field(default_factory=dict)

    def _package_dir(self, root: str) -> str | None:
        if root not in self._package_dirs:
            rel = os.path.join(*root.split("."))
            found = next(
                (
                    os.path.join(r, rel)
                    for r in self.source_roots
                    if os.path.isdir(os.path.join(r, rel))
                ),
                None,
            )
            self._package_dirs[root] = found
        return self._package_dirs[root]

    def root_of(self, module: str) -> str | None:
        """The root package ``module`` lies in, if it is internal."""
        for root in self.root_packages:
            if is_in_package(module, root):
                return root
        return None

    def _path(self, module: str) -> tuple[str, bool] | None:
        """The path of ``module`` without its suffix, and whether it is the root package."""
        root = self.root_of(module)
        base = self._package_dir(root) if root is not None else None
        if root is None or base is None:
            return None
        rest = module[len(root) + 1 :]
        return (os.path.join(base, *rest.split(".")), False) if rest else (base, True)

    def exists(self, module: str) -> bool:
        """True when ``module`` is a module, package or namespace package of the project.

        Answered from a listing of its parent folder, read once per folder: ``from a import
        X`` asks about ``a.X`` for every name ``X`` imported, most of which are not modules.
        A folder counts as the graph's module finder counts it
        (:func:`~archlint.scanning.inventory.scan_package`): a real folder, not a link to
        one, holding a module somewhere below it; a folder of templates or data is not one.
        """
        known = self._known.get(module)
        if known is None:
            found = self._path(module)
            if found is None:
                known = False
            elif found[1]:
                known = True
            else:
                folder, name = os.path.split(found[0])
                entries = self._entries(folder)
                known = name + ".py" in entries or (
                    name in entries and self._is_package_dir(found[0])
                )
            self._known[module] = known
        return known

    def _entries(self, folder: str) -> frozenset[str]:
        entries = self._listings.get(folder)
        if entries is None:
            try:
                entries = frozenset(os.listdir(folder))
            except OSError:
                entries = frozenset()
            self._listings[folder] = entries
        return entries

    def _is_package_dir(self, path: str) -> bool:
        """Whether ``path`` is a folder the module finder walks and finds a module in."""
        if os.path.islink(path) or not os.path.isdir(path):
            return False
        entries = self._entries(path)
        if "__init__.py" in entries:
            return True
        for entry in sorted(entries):
            if entry.endswith(".py") and entry[:-3].isidentifier():
                return True
        return any(
            entry.isidentifier() and self._is_package_dir(os.path.join(path, entry))
            for entry in sorted(entries)
        )

    def file_of(self, module: str) -> tuple[Path, bool] | None:
        """The file of an internal module and whether it is a package, if it exists."""
        found = self._path(module)
        if found is None:
            return None
        path, is_root = found
        init = os.path.join(path, "__init__.py")
        if os.path.isfile(init):
            return Path(init), True
        if not is_root and os.path.isfile(path + ".py"):
            return Path(path + ".py"), False
        return None
