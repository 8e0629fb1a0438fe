"""Opening a project: its rules, checked against the modules it really has."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from archlint.config.cache import cache_folder, load_project_cached
from archlint.config.loader import PYPROJECT, display_path, has_archlint_table
from archlint.config.loader import find_project_root as _find_root
from archlint.domain import model
from archlint.domain.errors import ConfigError, ConfigProblem, ProjectNotFound
from archlint.domain.validation import unknown_modules, unresolved_replacements
from archlint.scanning.definitions import Definitions
from archlint.scanning.inventory import (
    ModuleInventory,
    RootPackageNotFound,
    find_modules,
    find_root_package,
)
from archlint.scanning.module_files import ModuleFiles


@dataclass(frozen=True)
class OpenProject:
    """A project whose configuration is valid, with the modules it has."""

    project: model.Project
    inventory: ModuleInventory
    #: Configuration problems that do not stop a check: planned moves (see
    #: :func:`validate_project`), shown by ``archlint check`` as warnings.
    warnings: tuple[ConfigProblem, ...] = ()

    @property
    def root(self) -> Path:
        """The project folder (where ``pyproject.toml`` is)."""
        return self.project.root


def find_project_root(start: Path | None = None, root: Path | None = None) -> Path:
    """``root`` when given (it must hold an archlint ``pyproject.toml``), else the nearest
    such folder from ``start`` (default: the current folder) upwards."""
    if root is not None:
        if not has_archlint_table(root / PYPROJECT):
            raise ProjectNotFound(str(root), upwards=False)
        return root.resolve()
    return _find_root(start or Path.cwd())


def load_project(start: Path | None = None, root: Path | None = None) -> model.Project:
    """Find and read a project (through the cache), without looking at its modules: what the
    flake8 plugin and ``archlint lint`` need. Raises ``ConfigError`` with every problem."""
    return load_project_cached(find_project_root(start, root))


def open_project(
    start: Path | None = None, root: Path | None = None, *, planned: bool = True
) -> OpenProject:
    """Find, read and validate a project. Raises ``ConfigError`` with every problem.

    ``planned=False`` leaves out the search for planned moves (deprecations whose ``new``
    does not resolve yet) when they are only warnings: the per-file faces find them for the
    deprecations a file hits, and have no use for the warnings.
    """
    return validate_project(load_project(start, root), planned=planned)


class _ModuleNames(Collection[str]):
    """The project's module names, answered lazily: membership from the folders on the way
    (:class:`ModuleFiles`, as the graph's module finder counts modules), the whole list (a
    walk of the source roots) only when something iterates (a wildcard, a suggestion)."""

    def __init__(self, project: model.Project) -> None:
        self._project = project
        settings = project.settings
        self._files = ModuleFiles(tuple(settings.root_packages), project.source_root_paths)
        self._all: set[str] | None = None

    def _names(self) -> set[str]:
        if self._all is None:
            settings = self._project.settings
            inventory = find_modules(settings.root_packages, self._project.source_root_paths)
            self._all = inventory.names()
        return self._all

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._files.exists(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())


def check_configuration(project: model.Project) -> None:
    """Raise ``ConfigError`` for every problem :func:`validate_project` finds, without
    walking the whole project unless a contract needs it (a wildcard) or a problem is
    found: what the flake8 plugin pays once per process, in every editor run.

    Planned moves are left to the per-file rules (an error only with
    ``unresolved_new = "error"``, then resolved for every deprecation).
    """
    settings = project.settings
    for package in settings.root_packages:
        try:
            find_root_package(package, project.source_root_paths)
        except RootPackageNotFound as e:
            raise ConfigError([_root_problem(project, e)]) from None
    names = _ModuleNames(project)
    problems = unknown_modules(project, names)
    if problems:
        # The same words as check: worked out again on the full list of modules.
        validate_project(project, planned=False)
    if settings.unresolved_new is model.UnresolvedNew.ERROR:
        validate_project(project, planned=False)


def _root_problem(project: model.Project, e: RootPackageNotFound) -> ConfigProblem:
    settings = project.settings
    origin = settings.origin
    return ConfigProblem(
        origin.file if origin else display_path(project.root / PYPROJECT),
        f"{e} (source_roots = {list(settings.source_roots)})",
        origin.line_of("root_packages") if origin else None,
        "[tool.archlint]",
        "root_packages",
    )


def validate_project(project: model.Project, *, planned: bool = True) -> OpenProject:
    """Check ``project``'s configuration against the modules it really has: ``check``,
    ``lint`` and ``fix`` call this, and the flake8 plugin :func:`check_configuration`, which
    gives the same verdict in the same words, so that every face rejects the same
    configurations. Walks the source roots once.

    Raises ``ConfigError`` with every problem; a planned move is one only with
    ``unresolved_new = "error"``, else it is returned in ``warnings`` (with ``planned``).
    """
    settings = project.settings
    try:
        inventory = find_modules(settings.root_packages, project.source_root_paths)
    except RootPackageNotFound as e:
        raise ConfigError([_root_problem(project, e)]) from None
    names = inventory.names()
    problems = unknown_modules(project, names)
    warnings: list[ConfigProblem] = []
    is_error = settings.unresolved_new is model.UnresolvedNew.ERROR
    if is_error or planned:
        unresolved = unresolved_replacements(project, names, inventory_definitions(inventory))
        if is_error:
            problems += unresolved
        else:
            warnings = unresolved
    if problems:
        raise ConfigError(problems)
    return OpenProject(project, inventory, tuple(warnings))


def inventory_definitions(inventory: ModuleInventory) -> Callable[[str, str], bool | None]:
    """``defines(module, name)`` over the modules of ``inventory``."""

    def file_of(module: str) -> tuple[Path, bool] | None:
        found = inventory.by_name.get(module)
        return None if found is None else (found.path, found.is_package)

    return Definitions(file_of, inventory.__contains__).defines


def cache_dir(project: model.Project) -> Path:
    """archlint's cache folder for ``project``, created with a ``.gitignore`` inside."""
    return cache_folder(project.root)
