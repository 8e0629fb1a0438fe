"""Where each import of the graph sits: inside a function, under ``if TYPE_CHECKING:``.

grimp gives the line of each import but not its context. archlint reads the importing file
once (never runs it) and looks the line up among its import statements. The file of a module
is found through grimp's own package finder, so this works under ``archlint check`` (source
roots) and under plain ``lint-imports`` (``sys.path``) alike.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from grimp.application.config import settings as grimp_settings

from archlint.scanning.imports import scan_imports
from archlint.scanning.modules import ModuleName
from archlint.scanning.source import SourceError, decode_source, parse_source


@dataclass(frozen=True, slots=True)
class Site:
    """What is known of the imports on one line of a module."""

    lazy: bool
    type_checking: bool


@functools.lru_cache(maxsize=64)
def _package_dir(root: str) -> Path | None:
    try:
        dirs = grimp_settings.PACKAGE_FINDER.determine_package_directories(
            package_name=root, file_system=grimp_settings.FILE_SYSTEM
        )
    except Exception:
        return None
    return Path(sorted(dirs)[0]) if dirs else None


def module_file(module: str) -> tuple[Path, bool] | None:
    """The file of ``module`` and whether it is a package, found from its root package."""
    root, _, rest = module.partition(".")
    base = _package_dir(root)
    if base is None:
        return None
    path = base.joinpath(*rest.split(".")) if rest else base
    if (path / "__init__.py").is_file():
        return path / "__init__.py", True
    if rest and path.with_suffix(".py").is_file():
        return path.with_suffix(".py"), False
    return None


@functools.lru_cache(maxsize=4096)
def sites_of(module: str) -> dict[int, Site]:
    """Line -> :class:`Site` for every import statement of ``module`` (empty if unreadable).

    Keyed by the statement's first line and by each imported name's line, since grimp may
    report either for a multi-line import.
    """
    found = module_file(module)
    if found is None:
        return {}
    path, is_package = found
    try:
        tree = parse_source(decode_source(path.read_bytes(), str(path)), str(path))
    except (OSError, SourceError):
        return {}
    sites: dict[int, Site] = {}
    for record in scan_imports(tree, ModuleName(module, is_package)):
        site = Site(record.is_lazy, record.is_type_checking)
        for line in (record.stmt_line, record.line):
            previous = sites.get(line)
            if previous is None:
                sites[line] = site
            else:
                sites[line] = Site(
                    previous.lazy and site.lazy, previous.type_checking and site.type_checking
                )
    return sites


def link_context(importer: str, line_numbers: tuple[int, ...]) -> Site:
    """Whether every import making a link is lazy, and whether every one is TYPE_CHECKING."""
    sites = sites_of(importer)
    found = [sites[n] for n in line_numbers if n in sites]
    if not found or len(found) < len(line_numbers):
        return Site(False, False)
    return Site(all(s.lazy for s in found), all(s.type_checking for s in found))


def clear() -> None:
    """Forget cached files (between runs in one process, e.g. in tests)."""
    _package_dir.cache_clear()
    sites_of.cache_clear()
