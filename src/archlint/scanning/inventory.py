"""The modules of a project, found by walking its source roots (never by importing).

Module names come from the path below the source root, not from walking up ``__init__.py``
files: a stray ``src/__init__.py`` changes nothing, and a folder without ``__init__.py`` inside
a regular package (which Python imports as a namespace package) is included, with every module
below it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .screen import BadFile, regular_file_problem


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
    size: int = 0


@dataclass(frozen=True)
class RootPackage:
    """A root package and the folder it was found in."""

    name: str
    directory: Path
    modules: tuple[ModuleFile, ...]
    namespace_packages: frozenset[str] = frozenset()
    #: Module files that are not readable regular files (a FIFO, a socket, a dangling link,
    #: a link loop): left out of ``modules``, never opened.
    bad_files: tuple[BadFile, ...] = ()
    #: The entries of every folder walked, by the folder's path as a string: read again by
    #: ``check``'s walk of the project files (:mod:`.project_files`) instead of listing the
    #: same folders twice.
    listings: Mapping[str, Sequence[os.DirEntry[str]]] = field(
        default_factory=dict, compare=False, repr=False
    )


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

    @property
    def bad_files(self) -> tuple[BadFile, ...]:
        """Module files that are not readable regular files, in path order."""
        return tuple(b for p in self.packages for b in p.bad_files)

    def __contains__(self, name: object) -> bool:
        return name in self.by_name or name in self.namespace_packages

    def names(self) -> set[str]:
        """Every module and namespace package name."""
        return set(self.by_name) | self.namespace_packages

    def listing(self, folder: str) -> Sequence[os.DirEntry[str]] | None:
        """The entries of ``folder`` (a path as the walk spelled it) when the walk listed it,
        in no particular order."""
        for package in self.packages:
            found = package.listings.get(folder)
            if found is not None:
                return found
        return None

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


def _module_file(entry: os.DirEntry[str], name: str, is_package: bool) -> ModuleFile | BadFile:
    """The module ``entry`` holds, or why it cannot be read (a symbolic link is followed;
    nothing is opened)."""
    path = Path(entry.path)
    try:
        st = entry.stat()
    except OSError as error:
        return BadFile.from_os_error(path, error)
    if not stat.S_ISREG(st.st_mode):
        problem = regular_file_problem(path, st)
        if problem is not None:
            return problem
    return ModuleFile(name, path, is_package, st.st_mtime, st.st_size)


def scan_package(package: str, directory: Path) -> RootPackage:
    """Walk ``directory`` (the folder of ``package``) for modules and namespace packages.

    A ``.py`` entry that Python would import but that is no readable regular file is listed
    in ``bad_files`` instead of ``modules``.
    """
    modules: list[ModuleFile] = []
    bad: list[BadFile] = []
    namespace: set[str] = set()
    listings: dict[str, list[os.DirEntry[str]]] = {}
    # (folder, dotted name)
    stack: list[tuple[str, str]] = [(str(directory), package)]
    while stack:
        folder, name = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        listings[folder] = entries
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
            is_init = stem == "__init__"
            if not (is_init or _is_identifier(stem)):
                continue
            found = _module_file(entry, name if is_init else f"{name}.{stem}", is_init)
            if isinstance(found, BadFile):
                bad.append(found)
                continue
            has_init = has_init or is_init
            modules.append(found)
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
    bad.sort(key=lambda b: str(b.path))
    return RootPackage(
        package, directory, tuple(modules), frozenset(namespace), tuple(bad), listings
    )


def find_modules(root_packages: Sequence[str], source_roots: Sequence[Path]) -> ModuleInventory:
    """Every module of ``root_packages``, looked up in ``source_roots`` in order.

    Raises :class:`RootPackageNotFound` for a root package in no source root.
    """
    return ModuleInventory.of(
        scan_package(package, find_root_package(package, source_roots)) for package in root_packages
    )
