"""Building the import graph with grimp, from the project's own source roots.

grimp finds a root package through ``importlib`` (so through ``sys.path``, importing the parents
of a dotted name) and does not descend into a folder without ``__init__.py`` inside a regular
package. archlint gives grimp its own two finders instead: root packages are looked up in
``source_roots`` and every folder that Python would import (namespace subpackages included) is
walked. Nothing is imported or run.

The finders are set through grimp's settings, which are not part of its documented API: the
tests run against the lowest and the newest grimp the dependency range allows (see .ci/run).
Plain ``lint-imports`` does not depend on them: ``archlint compile`` lists the namespace
portions as root packages instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import grimp
from grimp.application.config import settings as grimp_settings
from grimp.application.ports.filesystem import AbstractFileSystem
from grimp.application.ports.modulefinder import AbstractModuleFinder, FoundPackage
from grimp.application.ports.modulefinder import ModuleFile as GrimpModuleFile
from grimp.application.ports.packagefinder import AbstractPackageFinder
from grimp.domain.valueobjects import Module

from archlint.scanning.inventory import RootPackage, find_root_package, scan_package


class NamespaceAwareModuleFinder(AbstractModuleFinder):
    """grimp module finder that includes namespace subpackages inside regular packages.

    ``known`` holds packages already walked (archlint walks them once to validate the
    contracts); others are walked on demand.
    """

    def __init__(self, known: Iterable[RootPackage] = ()) -> None:
        self.known = {(p.name, str(p.directory)): p for p in known}

    def find_package(
        self, package_name: str, package_directory: str, file_system: AbstractFileSystem
    ) -> FoundPackage:
        """Walk the package folder the way Python would import it."""
        package = self.known.get((package_name, package_directory)) or scan_package(
            package_name, Path(package_directory)
        )
        return FoundPackage(
            name=package_name,
            directory=package_directory,
            module_files=frozenset(
                GrimpModuleFile(module=Module(m.name), mtime=m.mtime) for m in package.modules
            ),
            namespace_packages=frozenset(package.namespace_packages),
        )


class SourceRootPackageFinder(AbstractPackageFinder):
    """grimp package finder that looks in the project's source roots, not on ``sys.path``."""

    def __init__(self, source_roots: Sequence[Path]) -> None:
        self.source_roots = tuple(source_roots)

    def determine_package_directories(
        self, package_name: str, file_system: AbstractFileSystem
    ) -> set[str]:
        """The one folder of ``package_name`` in the first source root that has it."""
        return {str(find_root_package(package_name, self.source_roots))}


def build_graph(
    root_packages: Sequence[str],
    source_roots: Sequence[Path],
    *,
    exclude_type_checking_imports: bool = False,
    include_external_packages: bool = False,
    cache_dir: Path | None = None,
    packages: Iterable[RootPackage] = (),
) -> grimp.ImportGraph:
    """The import graph of ``root_packages`` found in ``source_roots``.

    ``cache_dir`` is grimp's cache folder; ``None`` builds without a cache. ``packages`` are
    root packages already walked, reused rather than walked again.
    """
    grimp_settings.configure(
        MODULE_FINDER=NamespaceAwareModuleFinder(packages),
        PACKAGE_FINDER=SourceRootPackageFinder(source_roots),
    )
    return grimp.build_graph(
        *root_packages,
        include_external_packages=include_external_packages,
        exclude_type_checking_imports=exclude_type_checking_imports,
        cache_dir=str(cache_dir) if cache_dir is not None else None,
    )
