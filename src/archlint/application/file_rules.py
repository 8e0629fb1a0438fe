"""A project's rules compiled once for checking many files (:class:`FileRules`): the
deprecation and contract indexes, the module files, and what the per-file rules ask of the
rest of the project (another module's imports, whether a replacement resolves yet)."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from archlint.domain import model
from archlint.domain.deprecations import DeprecationIndex, Match, replacement
from archlint.domain.import_text import could_import
from archlint.domain.imports import ImportRecord
from archlint.domain.rules import ContractIndex
from archlint.domain.validation import unresolved_reason
from archlint.scanning.definitions import Definitions
from archlint.scanning.imports import scan_imports
from archlint.scanning.module_files import ModuleFiles
from archlint.scanning.modules import ModuleName, module_name_for_path
from archlint.scanning.screen import read_source
from archlint.scanning.source import SourceError, decode_source, parse_source


@dataclass(frozen=True)
class FileRules:
    """A project's rules, compiled once for checking many files."""

    project: model.Project
    deprecations: DeprecationIndex
    contracts: ContractIndex
    modules: ModuleFiles
    today: dt.date
    #: What the new modules of planned moves define, read from their files when asked.
    definitions: Definitions
    #: ``acyclic`` contracts, checked per file for imports that import their importer back.
    acyclic: tuple[model.AcyclicContract, ...] = ()
    _imports_of: dict[str, list[ImportRecord]] = field(default_factory=dict)
    _texts: dict[str, str | None] = field(default_factory=dict)
    _planned: dict[str, bool] = field(default_factory=dict)
    _assumed: list[str] = field(default_factory=list)
    _readers: list[Callable[[str, str], ast.Module | None]] = field(default_factory=list)

    @classmethod
    def compile(cls, project: model.Project, today: dt.date | None = None) -> FileRules:
        """Index the deprecations and contracts of ``project``."""
        roots = project.settings.root_packages
        modules = ModuleFiles(tuple(roots), project.source_root_paths)
        return cls(
            project=project,
            deprecations=DeprecationIndex(project.deprecations),
            contracts=ContractIndex(project.contracts, roots),
            modules=modules,
            today=today or dt.date.today(),
            definitions=Definitions(modules.file_of, modules.exists),
            acyclic=tuple(c for c in project.contracts if isinstance(c, model.AcyclicContract)),
        )

    def imports_of(self, module: str, target: str) -> list[ImportRecord]:
        """The imports of another module of the project (empty if unreadable), when its text
        could import ``target``; a file that cannot (see
        :func:`~archlint.domain.import_text.could_import`) is not parsed. Each file is read
        once, and parsed at most once."""
        text = self._text_of(module)
        if text is None or target.rpartition(".")[2] not in text:
            return []
        found = self.modules.file_of(module)
        package = module if found is not None and found[1] else module.rpartition(".")[0]
        if not could_import(text, target, package):
            return []
        if module not in self._imports_of:
            records: list[ImportRecord] = []
            found = self.modules.file_of(module)
            if found is not None:
                try:
                    tree = None
                    for read in self._readers:
                        tree = read(module, text)
                    if tree is None:
                        tree = parse_source(text, str(found[0]))
                    records = scan_imports(tree, ModuleName(module, found[1]))
                except SourceError:
                    records = []
            self._imports_of[module] = records
        return self._imports_of[module]

    def without_deprecations(self) -> FileRules:
        """These rules without the deprecations: the direct breaks (ARC1xx) alone. The
        files read and parsed are shared."""
        return dataclasses.replace(
            self,
            project=dataclasses.replace(self.project, deprecations=()),
            deprecations=DeprecationIndex(()),
        )

    def read_imports_with(self, read: Callable[[str, str], ast.Module | None]) -> None:
        """Let :meth:`imports_of` read a module's imports as ``read(module, text)`` gives
        them, a tree of at least every import statement of the module that imports a module
        of the project, when it gives one (None: the file is parsed whole). ``archlint
        check`` reads them from the lines of its graph."""
        self._readers[:] = [read]

    def _text_of(self, module: str) -> str | None:
        if module not in self._texts:
            text = None
            found = self.modules.file_of(module)
            if found is not None:
                try:
                    text = decode_source(read_source(found[0]), str(found[0]))
                except (OSError, SourceError):
                    text = None
            self._texts[module] = text
        return self._texts[module]

    def planned_new(self, match: Match) -> str | None:
        """The ``new`` that does not resolve yet when ``match``'s deprecation is a planned
        move, else None. That is its ``new``, or, when ``new`` is deprecated in turn, the
        end of that chain (what is suggested); a chain that ends in a removal is not
        planned. Its replacement is then not offered as ready to paste (nor written by
        ``archlint fix``).

        The same resolution as ``archlint check``'s
        (:func:`~archlint.domain.validation.unresolved_replacements`), from the file
        system as :class:`ModuleFiles` reads it, asked only of the deprecations a file
        hits and remembered for the process.
        """
        new = match.deprecation.new
        if new is None:
            return None
        chained = self.deprecations.lookup(new)
        end = chained.new_path if chained is not None else new
        if end is None:
            return None
        return None if self._resolves(end) else end

    def planned_for(self, record: ImportRecord, match: Match) -> str | None:
        """What of ``record``'s replacement does not exist yet: :meth:`planned_new`, or else,
        for a name imported from a module that moved whole (``from old import g`` becoming
        ``from new import g``), that name in the new module when the new module does not
        define, import or re-export it yet. A replacement is ready to paste only when every
        part of it resolves."""
        planned = self.planned_new(match)
        if planned is not None or match.removed:
            return planned
        new = replacement(record, match)
        if new is None or new.module is None or new.name == "*":
            return None
        path = f"{new.module}.{new.name}"
        return None if self._resolves(path) else path

    def _resolves(self, path: str) -> bool:
        # What check's validation asks of a deprecation's new (unresolved_reason), asked of
        # any path a replacement writes, remembered for the process.
        if any(path == a or path.startswith(a + ".") for a in self._assumed):
            return True
        planned = self._planned.get(path)
        if planned is None:
            modules = self.modules
            reason = unresolved_reason(
                path, self.project.settings, modules.exists, self.definitions.defines
            )
            planned = self._planned[path] = reason is not None
        return not planned

    def assume_exists(self, new: str) -> None:
        """Take ``new``, and every name in it, as resolving: what ``archlint move`` shows of
        the imports it will write, before it creates the module."""
        self._assumed.append(new)

    def is_planned(self, match: Match) -> bool:
        """Whether ``match``'s deprecation is a planned move (see :meth:`planned_new`)."""
        return self.planned_new(match) is not None

    def module_of(self, filename: str) -> ModuleName | None:
        """The module a file defines, from its path below a source root.

        The roots are resolved paths; a file is looked up by its absolute path first, and
        only through symbolic links (``realpath``, one system call per folder) when that
        finds nothing.
        """
        roots = self.modules.source_roots  # resolved once, by compile
        return module_name_for_path(os.path.abspath(filename), roots) or module_name_for_path(
            os.path.realpath(filename), roots
        )

    def package_of(self, filename: str) -> str | None:
        """The package relative imports in a file start from (None outside the project)."""
        module = self.module_of(filename)
        if module is None:
            return None
        return module.name if module.is_package else module.name.rpartition(".")[0]
