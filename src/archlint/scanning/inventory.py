"""The modules of a project, found by walking its source roots (never by importing).

Module names come from the path below the source root, not from walking up ``__init__.py``
files: a stray ``src/__init__.py`` changes nothing, and a folder without ``__init__.py`` inside
a regular package (which Python imports as a namespace package) is included, with every module
below it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path


class RootPackageNotFound(LookupError):
    """A root package is in none of the source roots."""

    def __init__(self, package: str, roots: Sequence[Path]) -> None:
        self.package = package
        self.roots = tuple(roots)
        shown = ", ".join(str(r) for r in roots) or "(no source root exists)"
        super().__init__(f"package '{package}' not found in the source roots: {shown}")


@dataclass(frozen=True, slots=True)
class ModuleFile:
    """One module and the file that holds it (``__init__.py`` for a package)."""

    name: str
    path: Path
    is_package: bool
    mtime: float


@dataclass(frozen=True)
class RootPackage:
    """A root package and the folder it was found in."""

    name: str
    directory: Path
    modules: tuple[ModuleFile, ...]
    namespace_packages: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ModuleInventory:
    """Every module of the project's root packages."""

    packages: tuple[RootPackage, ...]
    by_name: dict[str, ModuleFile] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, packages: Iterable[RootPackage]) -> ModuleInventory:
        """Build the inventory and its name index."""
        packages = tuple(packages)
        index = {m.name: m for p in packages for m in p.modules}
        return cls(packages, index)

    @property
    def namespace_packages(self) -> frozenset[str]:
        """Folders without ``__init__.py`` that hold modules."""
        return frozenset().union(*(p.namespace_packages for p in self.packages))

    def __contains__(self, name: object) -> bool:
        return name in self.by_name or name in self.namespace_packages

    def names(self) -> set[str]:
        """Every module and namespace package name."""
        return set(self.by_name) | self.namespace_packages

    def file_of(self, name: str) -> Path | None:
        """The file of module ``name``, if it is one of the project's modules."""
        module = self.by_name.get(name)
        return module.path if module else None

    def __iter__(self) -> Iterator[ModuleFile]:
        for package in self.packages:
            yield from package.modules


def find_root_package(package: str, source_roots: Sequence[Path]) -> Path:
    """The folder of ``package`` in the first source root that has it."""
    relative = Path(*package.split("."))
    for root in source_roots:
        candidate = root / relative
        if candidate.is_dir():
            return candidate
    raise RootPackageNotFound(package, source_roots)


def _is_identifier(name: str) -> bool:
    return name.isidentifier()


def scan_package(package: str, directory: Path) -> RootPackage:
    """Walk ``directory`` (the folder of ``package``) for modules and namespace packages."""
    modules: list[ModuleFile] = []
    namespace: set[str] = set()
    # (folder, dotted name, whether it has an __init__.py)
    stack: list[tuple[str, str]] = [(str(directory), package)]
    while stack:
        folder, name = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        has_init = False
        found_here = 0
        for entry in entries:
            entry_name = entry.name
            if entry.is_dir(follow_symlinks=False):
                if _is_identifier(entry_name):
                    stack.append((entry.path, f"{name}.{entry_name}"))
                continue
            if not entry_name.endswith(".py") or entry_name.startswith("."):
                continue
            stem = entry_name[:-3]
            if stem == "__init__":
                has_init = True
                modules.append(ModuleFile(name, Path(entry.path), True, entry.stat().st_mtime))
                found_here += 1
            elif _is_identifier(stem):
                modules.append(
                    ModuleFile(f"{name}.{stem}", Path(entry.path), False, entry.stat().st_mtime)
                )
                found_here += 1
        if not has_init and found_here:
            namespace.add(name)
    # A folder without __init__.py whose modules lie only deeper down is a namespace package
    # too; add every folder on the way up from a module to the root package.
    names = {m.name for m in modules}
    for module in modules:
        parts = module.name.split(".")
        upto = len(parts) if module.is_package else len(parts) - 1
        for i in range(len(package.split(".")), upto + 1):
            parent = ".".join(parts[:i])
            if parent not in names:
                namespace.add(parent)
    modules.sort(key=lambda m: m.name)
    return RootPackage(package, directory, tuple(modules), frozenset(namespace))


def find_modules(root_packages: Sequence[str], source_roots: Sequence[Path]) -> ModuleInventory:
    """Every module of ``root_packages``, looked up in ``source_roots`` in order.

    Raises :class:`RootPackageNotFound` for a root package in no source root.
    """
    return ModuleInventory.of(
        scan_package(package, find_root_package(package, source_roots)) for package in root_packages
    )
