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
import json
import logging
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import grimp

T = TypeVar("T")

# grimp logs a damaged cache file as a warning; with no logging set up, Python would print it.
# A damaged cache is rebuilt without a word to the user.
logging.getLogger("grimp").addHandler(logging.NullHandler())

#: A meta file bigger than this is not grimp's (one number per module).
_MAX_META_BYTES = 64 * 1024 * 1024


def grimp_cache_dir(base: Path, *, exclude_type_checking: bool, external: bool) -> Path | None:
    """The folder below ``base`` for grimp's cache of a graph with these options, cleaned of
    anything grimp did not write; None when it cannot be used."""
    flags = ("no-type-checking" if exclude_type_checking else "all") + (
        "-external" if external else ""
    )
    folder = base / f"grimp-{grimp.__version__}-{flags}"
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
            return folder
        for entry in os.scandir(folder):
            if not _is_grimps(entry):
                _remove(entry)
    except OSError:
        return None
    return folder


def _is_grimps(entry: os.DirEntry[str]) -> bool:
    if not entry.is_file(follow_symlinks=False):
        return False
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
