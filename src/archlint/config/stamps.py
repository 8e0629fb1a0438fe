"""What a cached answer is keyed by: a stamp of each file it was computed from.

A file's stamp is what ``stat`` says of it: size, modification and change times in
nanoseconds, inode, device and mode. Any edit changes the change time (``ctime``), which no
program can set back; a rename or a replacement changes the inode; a copy with its times kept
(``cp -p``, ``tar``, a checkout of a committed cache) changes the inode and the change time.

What ``stat`` cannot see is an edit within one tick of the file system's clock that keeps the
size: the times read the same before and after. Like git's "racily clean" index entries, a
file changed within :data:`RACY_SECONDS` of now (or, with a skewed clock, in the future) is
therefore also stamped by a digest of its content, so the stamp taken in the same tick as an
edit can never match the one taken after another edit. Once a file is older than that, its
stat alone is its stamp (the key changes once, when the content digest drops out: one extra
rebuild, never a stale answer).

Not covered: a file system whose ``stat`` lies (a network mount serving cached attributes
for a while after another machine's write), and a clock set back past a file's last change.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat as stat_module
import sys
import time
from collections.abc import Iterable
from pathlib import Path

#: Files changed this recently (seconds) are stamped by their content too. File times tick
#: at most every 2 s (FAT), every few ms on Linux's coarse clock; a few seconds cover both.
RACY_SECONDS = 3.0


def now_ns() -> int:
    """The time the stamps of one run are compared with."""
    return time.time_ns()


def file_stamp(path: str | os.PathLike[str], now: int) -> tuple[int | str, ...]:
    """The stamp of ``path``, following links (an edit to a link's target is an edit).

    ``("missing",)`` when it cannot be stat'ed: its appearance changes the stamp too.
    """
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return ("missing",)
    stamp: tuple[int | str, ...] = (
        st.st_size,
        st.st_mtime_ns,
        st.st_ctime_ns,
        st.st_ino,
        st.st_dev,
        st.st_mode,
    )
    racy = max(st.st_mtime_ns, st.st_ctime_ns) >= now - int(RACY_SECONDS * 1e9)
    if racy and stat_module.S_ISREG(st.st_mode):
        stamp += (_content_digest(path),)
    return stamp


def _content_digest(path: str | os.PathLike[str]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    try:
        # O_NONBLOCK: a file replaced by a FIFO since the stat is not waited on.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        return f"unreadable:{e.errno}"
    try:
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
    except OSError as e:
        return f"unreadable:{e.errno}"
    finally:
        os.close(fd)
    return digest.hexdigest()


def stamps_digest(parts: Iterable[object]) -> str:
    """One digest of ``parts`` (each turned into its ``repr``, separated unambiguously)."""
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        text = repr(part).encode("utf-8", "surrogatepass")
        digest.update(len(text).to_bytes(8, "little"))
        digest.update(text)
    return digest.hexdigest()


@functools.cache
def tool_stamp() -> str:
    """The software that computes a cached answer: the Python version, archlint's version and
    the stamp of every one of its source files (a development checkout changes code without
    changing the version), and where grimp and import-linter are installed and when.

    Looked up without importing grimp or import-linter, whose import a warm check avoids.
    """
    import importlib.util

    from archlint import __version__

    now = now_ns()
    parts: list[object] = [sys.version, sys.implementation.cache_tag, __version__]
    package = Path(__file__).resolve().parent.parent
    for folder, dirs, files in os.walk(package):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                parts.append((os.path.relpath(path, package), _stat_only(file_stamp(path, now))))
    for name in ("grimp", "importlinter"):
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec is not None else None
        parts.append((name, origin, _stat_only(file_stamp(origin, now)) if origin else None))
    return stamps_digest(parts)


def _stat_only(stamp: tuple[int | str, ...]) -> tuple[int | str, ...]:
    # Installed code is not edited in place within a clock tick; its content digest would
    # cost a read of every source file of archlint on every run.
    return stamp[:6]
