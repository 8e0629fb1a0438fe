"""Whether a module defines, imports or re-exports a name, read from its file (never run).

What tells a deprecation's ``new = "a.b.Name"`` that will import from one that will not
yet (a planned move): ``archlint check`` asks it of every deprecation, the per-file faces
only of the deprecations a file hits, each answer remembered.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .names import ModuleNames, module_names
from .screen import read_source
from .source import SourceError, decode_source, parse_source

#: The file of a module of the project and whether it is a package, or None.
FileOf = Callable[[str], "tuple[Path, bool] | None"]


class Definitions:
    """Answers "does module M define, import or re-export name N?" by reading M's file.

    ``file_of`` finds a module's file; ``exists`` says whether a name is a module (or
    namespace package) of the project at all.
    """

    def __init__(self, file_of: FileOf, exists: Callable[[str], bool]) -> None:
        self._file_of = file_of
        self._exists = exists
        self._answers: dict[tuple[str, str], bool | None] = {}
        # Each module's names, read once however many of its names are asked about.
        self._names: dict[str, ModuleNames | None] = {}

    def defines(self, module: str, name: str) -> bool | None:
        """True, False, or None when it cannot be known statically (a module-level
        ``__getattr__``, a star import from outside the project, an unreadable file)."""
        key = (module, name)
        if key not in self._answers:
            self._answers[key] = self._defines(module, name, frozenset())
        return self._answers[key]

    def _defines(self, module: str, name: str, seen: frozenset[str]) -> bool | None:
        found = self._file_of(module)
        if found is None or module in seen:
            return None if found is None and not self._exists(module) else False
        names = self._names_of(module, *found)
        if names is None:
            return None
        if name in names.names:
            return True
        if names.dynamic:
            return None
        answer: bool | None = False
        for star in names.star_imports:
            if not self._exists(star):
                answer = None  # a star import from outside the project: cannot tell
                continue
            inner = self._defines(star, name, seen | {module})
            if inner:
                return True
            if inner is None:
                answer = None
        return answer

    def _names_of(self, module: str, path: Path, is_package: bool) -> ModuleNames | None:
        if module not in self._names:
            try:
                tree = parse_source(decode_source(read_source(path), str(path)), str(path))
            except (OSError, SourceError):
                self._names[module] = None
            else:
                package = module if is_package else module.rpartition(".")[0]
                self._names[module] = module_names(tree, package)
        return self._names[module]
