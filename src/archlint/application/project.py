"""Opening a project: its rules, checked against the modules it really has."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from archlint.config.cache import cache_folder, load_project_cached
from archlint.config.loader import PYPROJECT, display_path, has_archlint_table
from archlint.config.loader import find_project_root as _find_root
from archlint.domain import model
from archlint.domain.errors import ConfigError, ConfigProblem, ProjectNotFound
from archlint.domain.validation import unknown_modules, unresolved_replacements
from archlint.scanning.inventory import ModuleInventory, RootPackageNotFound, find_modules
from archlint.scanning.names import module_names
from archlint.scanning.screen import read_source
from archlint.scanning.source import SourceError, decode_source, parse_source


@dataclass(frozen=True)
class OpenProject:
    """A project whose configuration is valid, with the modules it has."""

    project: model.Project
    inventory: ModuleInventory

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


def open_project(start: Path | None = None, root: Path | None = None) -> OpenProject:
    """Find, read and validate a project. Raises ``ConfigError`` with every problem."""
    project = load_project(start, root)
    settings = project.settings
    try:
        inventory = find_modules(settings.root_packages, project.source_root_paths)
    except RootPackageNotFound as e:
        origin = settings.origin
        raise ConfigError(
            [
                ConfigProblem(
                    origin.file if origin else display_path(project.root / PYPROJECT),
                    f"{e} (source_roots = {list(settings.source_roots)})",
                    origin.line_of("root_packages") if origin else None,
                    "[tool.archlint]",
                    "root_packages",
                )
            ]
        ) from None
    names = inventory.names()
    problems = unknown_modules(project, names)
    problems += unresolved_replacements(project, names, _Definitions(inventory).defines)
    if problems:
        raise ConfigError(problems)
    return OpenProject(project, inventory)


class _Definitions:
    """Answers "does module M define, import or re-export name N?" by reading M's file."""

    def __init__(self, inventory: ModuleInventory) -> None:
        self.inventory = inventory

    def defines(self, module: str, name: str, _seen: frozenset[str] = frozenset()) -> bool | None:
        found = self.inventory.by_name.get(module)
        if found is None or module in _seen:
            return None if found is None and module not in self.inventory else False
        try:
            path = str(found.path)
            tree = parse_source(decode_source(read_source(found.path), path), path)
        except (OSError, SourceError):
            return None
        package = module if found.is_package else module.rpartition(".")[0]
        names = module_names(tree, package)
        if name in names.names:
            return True
        if names.dynamic:
            return None
        answer: bool | None = False
        for star in names.star_imports:
            if star not in self.inventory:
                answer = None  # a star import from outside the project: cannot tell
                continue
            inner = self.defines(star, name, _seen | {module})
            if inner:
                return True
            if inner is None:
                answer = None
        return answer


def cache_dir(project: model.Project) -> Path:
    """archlint's cache folder for ``project``, created with a ``.gitignore`` inside."""
    return cache_folder(project.root)
