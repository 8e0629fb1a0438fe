"""``archlint report``: each package's figures now and, with ``--compare REF``, at a git ref.

The packages shown are the root packages and every module a contract names, wildcards
expanded (:func:`archlint.domain.metrics.report_packages`). Comparing, they are the union of
what either side names, and each side gives figures for every one of them that exists there
(``None``, shown as "—", where it does not).

The tree at the ref is read with git's plumbing into a temporary folder
(:mod:`archlint.scanning.git`), never checked out: the working tree, the index and ``HEAD``
stay as they are. That tree's own ``pyproject.toml`` and contract files are used when it has
them, else the working tree's (a ref from before archlint was set up is compared against
today's contracts).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from archlint.config.loader import PYPROJECT, display_path, has_archlint_table, load_project
from archlint.config.reading import Unreadable, read_toml
from archlint.domain import model
from archlint.domain.errors import ConfigError
from archlint.domain.metrics import Figures, ModuleGraph, package_figures, report_packages
from archlint.scanning.git import read_tree_at_ref
from archlint.scanning.inventory import (
    ModuleInventory,
    RootPackage,
    RootPackageNotFound,
    find_root_package,
    scan_package,
)

from .project import OpenProject, open_project
from .sources import read_module_graph


@dataclass(frozen=True, slots=True)
class PackageRow:
    """One package: its figures now (``after``) and at the ref (``before``), when it exists."""

    package: str
    after: Figures | None
    before: Figures | None = None


@dataclass(frozen=True)
class Report:
    """What ``archlint report`` shows."""

    root: Path
    rows: tuple[PackageRow, ...]
    #: The ref compared against, as given, and the commit it names (None without --compare).
    ref: str | None = None
    commit: str | None = None
    #: True when the ref had no contracts (or no ``[tool.archlint]``) and today's were used.
    ref_used_current_config: bool = False
    #: Files that could not be read or parsed (they count, without imports).
    problems: tuple[str, ...] = ()

    @property
    def comparing(self) -> bool:
        """True for a before / after report."""
        return self.ref is not None


@dataclass(frozen=True)
class _Side:
    graph: ModuleGraph
    #: The packages this side's contracts name (and its root packages).
    packages: list[str]
    problems: tuple[str, ...]

    def figures(self, package: str) -> Figures | None:
        return package_figures(self.graph, package) if package in self.graph else None


def _read_side(
    project: model.Project, inventory: ModuleInventory, show: Callable[[Path], str]
) -> _Side:
    read = read_module_graph(inventory, show)
    names = report_packages(project.settings.root_packages, project.contracts, read.graph)
    return _Side(read.graph, names, read.problems)


def report(root: Path | None = None, compare: str | None = None) -> Report:
    """The figures of the project at ``root`` (found upwards from the current folder when
    None), compared with the tree at git ref ``compare`` when given.

    Raises ``ConfigError`` for a configuration that cannot be read (on either side) and
    ``GitError`` when the ref cannot be read.
    """
    opened = open_project(root=root)
    read = read_module_graph(opened.inventory, display_path)
    return report_of(opened, read.graph, read.problems, compare)


def report_of(
    opened: OpenProject,
    graph: ModuleGraph,
    problems: tuple[str, ...] = (),
    compare: str | None = None,
) -> Report:
    """:func:`report` for a project already opened, whose module graph is ``graph``
    (``problems``: the files it could not read)."""
    names = report_packages(opened.project.settings.root_packages, opened.project.contracts, graph)
    after = _Side(graph, names, problems)
    if compare is None:
        rows = tuple(PackageRow(name, after.figures(name)) for name in after.packages)
        return Report(opened.root, rows, problems=after.problems)

    with tempfile.TemporaryDirectory(prefix="archlint-report-") as tmp:
        tree = Path(tmp).resolve() / "tree"
        tree.mkdir()
        at_ref = read_tree_at_ref(opened.root, compare, tree, wanted_file)
        used_current = _complete_config(tree, opened.project)
        prefix = f"{compare}:"
        before_project = load_at_ref(tree, prefix)
        before = _read_side(
            before_project,
            lenient_inventory(before_project),
            lambda path: prefix + PurePosixPath(path.relative_to(tree)).as_posix(),
        )
    # Each side's figures for every package either side names: a package a contract names
    # only today still has figures at the ref, if it existed there.
    names = sorted(set(after.packages) | set(before.packages))
    rows = tuple(PackageRow(name, after.figures(name), before.figures(name)) for name in names)
    return Report(
        opened.root,
        rows,
        ref=compare,
        commit=at_ref.commit,
        ref_used_current_config=used_current,
        problems=before.problems + after.problems,
    )


def wanted_file(path: PurePosixPath) -> bool:
    """The files a report reads: Python files, and TOML for the configuration."""
    return path.suffix in (".py", ".toml")


def _contracts_dir(tree: Path) -> str:
    """The contracts folder ``tree``'s ``pyproject.toml`` names (the default if it is odd)."""
    try:
        _, data = read_toml(tree / PYPROJECT)  # no FIFO, no huge file, no deep nesting
        value = data.get("tool", {}).get("archlint", {}).get("contracts_dir", "contracts")
    except (Unreadable, AttributeError):
        return "contracts"
    return value if isinstance(value, str) else "contracts"


def _complete_config(tree: Path, current: model.Project) -> bool:
    """Give ``tree`` today's configuration where the ref has none; True when that happened."""
    return bool(complete_config(tree, current))


def complete_config(tree: Path, current: model.Project) -> list[Path]:
    """Copy today's configuration into ``tree`` where it has none: its ``pyproject.toml``
    when that has no ``[tool.archlint]``, the contract files when its contracts folder has
    none. The files written, so that a caller reusing ``tree`` can take them away."""
    written: list[Path] = []
    if not has_archlint_table(tree / PYPROJECT):
        shutil.copyfile(current.root / PYPROJECT, tree / PYPROJECT)
        written.append(tree / PYPROJECT)
    folder = (tree / _contracts_dir(tree)).resolve()
    if not folder.is_relative_to(tree):
        return written  # a folder outside the project: load_project will say so
    if not (folder.is_dir() and any(p.is_file() for p in folder.glob("*.toml"))):
        folder.mkdir(parents=True, exist_ok=True)
        for path in current.config_files:
            if path.name != PYPROJECT or path.parent != current.root:
                shutil.copyfile(path, folder / path.name)
                written.append(folder / path.name)
    return written


def load_at_ref(tree: Path, prefix: str) -> model.Project:
    """The project in ``tree``; configuration errors name files as ``REF:path``."""
    try:
        return load_project(tree)
    except ConfigError as e:
        base = str(tree.resolve()) + os.sep
        problems = [
            dataclasses.replace(
                p,
                file=prefix + p.file[len(base) :].replace(os.sep, "/")
                if p.file.startswith(base)
                else p.file,
            )
            for p in e.problems
        ]
        raise ConfigError(problems) from None


def lenient_inventory(project: model.Project) -> ModuleInventory:
    """The modules of the root packages the tree has (a missing one is left out)."""
    packages: list[RootPackage] = []
    for name in project.settings.root_packages:
        try:
            directory = find_root_package(name, project.source_root_paths)
        except RootPackageNotFound:
            continue
        packages.append(scan_package(name, directory))
    return ModuleInventory.of(packages)
