"""grimp's cache folder for one graph: its own, checked before grimp reads it.

grimp keeps one data file per set of graph options but one ``<package>.meta.json`` per root
package, holding the modification time of each module when the data was written. Two graphs
of one project (a contract without ``TYPE_CHECKING`` imports beside one with them) sharing a
folder therefore share the meta file: the first build rewrites it, and the second then takes
its own stale data file for current. Each set of options (and grimp version) gets a folder of
its own here, so each meta file describes the data file beside it.

The folder lies in the checked tree, and grimp reads and writes in it with ``open()``,
following links; before grimp sees it, anything in it that grimp did not write is removed: a
link, a folder, a meta file that is not a JSON object of numbers.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import stat
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import grimp

from archlint.scanning.inventory import RootPackage

T = TypeVar("T")

# grimp logs a damaged cache file as a warning; with no logging set up, Python would print it.
# A damaged cache is rebuilt without a word to the user.
logging.getLogger("grimp").addHandler(logging.NullHandler())

#: The digest of the modules the cache was written for.
_MODULES = "archlint-modules"
#: A meta file bigger than this is not grimp's (one number per module).
_MAX_META_BYTES = 64 * 1024 * 1024


def grimp_cache_dir(
    base: Path,
    packages: Sequence[RootPackage],
    *,
    exclude_type_checking: bool,
    external: bool,
) -> Path | None:
    """The folder below ``base`` for grimp's cache of a graph with these options, cleaned of
    anything grimp did not write; None when it cannot be used.

    grimp caches each module's imports already resolved against the other modules (``from
    pkg import m`` is ``pkg.m`` only while ``pkg/m.py`` exists), so the folder is emptied
    whenever the set of modules changes: a module added, removed or renamed.
    """
    flags = ("no-type-checking" if exclude_type_checking else "all") + (
        "-external" if external else ""
    )
    folder = base / f"grimp-{grimp.__version__}-{flags}"
    modules = _modules_digest(packages)
    try:
        mode = os.lstat(folder).st_mode
    except FileNotFoundError:
        mode = None
    except OSError:
        return None
    try:
        if mode is not None and not stat.S_ISDIR(mode):
            os.unlink(folder)  # a link or a file: never grimp's
            mode = None
        if mode is None:
            folder.mkdir()
        else:
            same_modules = _read_small(folder / _MODULES) == modules
            for entry in os.scandir(folder):
                if not same_modules or not _is_grimps(entry):
                    _remove(entry)
        marker = folder / _MODULES
        if not marker.exists():
            fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(modules)
    except OSError:
        return None
    return folder


def _modules_digest(packages: Sequence[RootPackage]) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for package in packages:
        digest.update(f"{package.name}\0{package.directory}\0".encode("utf-8", "surrogatepass"))
        for module in package.modules:
            digest.update(f"{module.name}\0{module.is_package}\0".encode())
        digest.update("\0".join(sorted(package.namespace_packages)).encode() + b"\1")
    return digest.hexdigest()


def _read_small(path: Path) -> str | None:
    try:
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
        with os.fdopen(fd, "rb") as f:
            return f.read(100).decode("ascii")
    except (OSError, ValueError):
        return None


def _is_grimps(entry: os.DirEntry[str]) -> bool:
    if not entry.is_file(follow_symlinks=False):
        return False
    if entry.name == _MODULES:
        return True
    if not entry.name.endswith(".meta.json"):
        return True  # the data file: grimp's own reader rejects a damaged one
    try:
        if entry.stat(follow_symlinks=False).st_size > _MAX_META_BYTES:
            return False
        with open(entry.path, "rb") as f:
            data = json.loads(f.read())
    except Exception:  # whatever it is, it is not a meta file grimp can use
        return False
    return type(data) is dict and all(
        type(k) is str and type(v) in (int, float) for k, v in data.items()
    )


def _remove(entry: os.DirEntry[str]) -> None:
    with contextlib.suppress(OSError):
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)


def build_cached(build: Callable[[Path | None], T], folder: Path | None) -> T:
    """``build(folder)``; when that fails with a cache folder, the folder is discarded and
    the graph built again without it. grimp's reader raises on some damaged data files (one
    that is not UTF-8, for one): a damaged cache costs a rebuild, never the check. An error
    that is not the cache's is raised again by the build without it."""
    if folder is None:
        return build(None)
    try:
        return build(folder)
    except Exception:  # retried without the cache, which raises the real error if any
        shutil.rmtree(folder, ignore_errors=True)
        return build(None)
