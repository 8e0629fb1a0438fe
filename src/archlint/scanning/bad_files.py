"""Every module file of some root packages that grimp must not be given, found cheaply.

:func:`screen_packages` runs before grimp builds a graph: it reads each module once and rules
most files out with a byte scan (:func:`archlint.scanning.screen.screen_bytes`). With
``parse_all`` it decodes and parses every file instead, to list every file that cannot be
read once one is known to exist (or grimp itself refused one).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from .inventory import RootPackage
from .screen import (
    BadFile,
    deep_nesting_limit,
    package_depth,
    read_source,
    screen_bytes,
    screen_source,
)


def screen_packages(
    packages: Iterable[RootPackage], *, parse_all: bool = False
) -> tuple[BadFile, ...]:
    """The files of ``packages`` that cannot be read or would crash grimp's parser.

    The walk's own finds (special files, broken links) come first, then the modules whose
    bytes fail the screen, each once, in path order.
    """
    return _screen(tuple(packages), parse_all)


@functools.lru_cache(maxsize=4)
def _screen(packages: tuple[RootPackage, ...], parse_all: bool) -> tuple[BadFile, ...]:
    # Cached: a project whose contracts need two graphs screens its files once.
    limit = deep_nesting_limit()
    bad: dict[str, BadFile] = {str(b.path): b for p in packages for b in p.bad_files}
    for package in packages:
        for module in package.modules:
            depth = package_depth(module.name, module.is_package)
            try:
                data = read_source(module.path)
            except OSError as error:
                problem: BadFile | None = BadFile.from_os_error(module.path, error)
            else:
                problem = (
                    screen_source(module.path, data, depth)
                    if parse_all
                    else screen_bytes(module.path, data, depth, limit)
                )
            if problem is not None:
                bad.setdefault(str(problem.path), problem)
    return tuple(sorted(bad.values(), key=lambda b: str(b.path)))
