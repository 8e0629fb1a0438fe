"""Files that cannot be read or parsed, found before a parser that would crash on them does.

grimp reads every module in Rust. Some inputs make it fail in ways that are not one clear
line: a FIFO named ``x.py`` blocks the read for ever, a relative import above the top package
panics, and an expression nested some 43,000 deep overflows its stack and kills the process.
This module classifies files without opening special ones (:func:`regular_file_problem`),
reads them safely (:func:`read_source`), and screens their bytes cheaply
(:func:`screen_bytes`) so that those inputs never reach grimp. Each problem is a
:class:`BadFile`, shown as ``FILE:LINE: why``.
"""

from __future__ import annotations

import ast
import errno
import os
import re
import resource
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from archlint.domain.errors import ArchlintError

from .source import NULL_BYTES, SourceError, decode_source, parse_source

__all__ = [
    "BadFile",
    "NotARegularFile",
    "UnreadableFiles",
    "climbing_import",
    "deep_nesting_limit",
    "read_source",
    "regular_file_problem",
    "screen_bytes",
    "screen_source",
]


@dataclass(frozen=True, slots=True)
class BadFile:
    """A module file that cannot be read or parsed, and why (one line)."""

    path: Path
    line: int
    why: str

    def show(self, display: Callable[[Path], str] = str) -> str:
        """``FILE:LINE: why``, the file named by ``display``."""
        return self.shown_as(display(self.path))

    def shown_as(self, shown: str) -> str:
        """``FILE:LINE: why``, the file named ``shown``."""
        return f"{shown}:{self.line}: {self.why}"

    @classmethod
    def from_source_error(cls, path: Path, error: SourceError) -> BadFile:
        """The problem a :class:`SourceError` describes (line 1 when it names none)."""
        return cls(path, error.line or 1, error.message)

    @classmethod
    def from_os_error(cls, path: Path, error: OSError) -> BadFile:
        """A file that could not be opened or read."""
        if isinstance(error, NotARegularFile):
            return cls(path, 1, str(error))
        if error.errno == errno.ELOOP:
            return cls(path, 1, "cannot read: symbolic link loop")
        if error.errno == errno.ENOENT and os.path.islink(path):
            return cls(path, 1, f"cannot read: dangling symbolic link to {os.readlink(path)}")
        return cls(path, 1, f"cannot read: {error.strerror or error}")


class UnreadableFiles(ArchlintError):
    """Some module files could not be read or parsed: no verdict can be trusted."""

    def __init__(self, bad_files: Iterable[BadFile]) -> None:
        first: dict[str, BadFile] = {}
        for bad in bad_files:
            first.setdefault(str(bad.path), bad)  # one line per file: the first reason found
        self.bad_files = tuple(first[path] for path in sorted(first))
        super().__init__("\n".join(b.show() for b in self.bad_files))


class NotARegularFile(OSError):
    """A path names a FIFO, a socket, a device or a folder: it is never opened."""

    def __init__(self, what: str) -> None:
        super().__init__(errno.EINVAL, f"not a regular file ({what})")

    def __str__(self) -> str:
        return str(self.strerror)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def regular_file_problem(path: Path, st: os.stat_result | None = None) -> BadFile | None:
    """Why ``path`` (a symbolic link is followed) is not a readable regular file, if it is not.

    ``st`` is the result of ``os.stat(path)`` when the caller has it. Nothing is opened.
    """
    if st is None:
        try:
            st = os.stat(path)
        except OSError as error:
            return BadFile.from_os_error(path, error)
    if stat.S_ISREG(st.st_mode):
        return None
    return BadFile(path, 1, str(NotARegularFile(_kind(st.st_mode))))


def read_source(path: Path) -> bytes:
    """The bytes of a regular file; special files are never opened.

    The file is checked with ``stat`` first, then opened without blocking (a FIFO swapped in
    between cannot hang the read) and checked again on the open descriptor.

    Raises:
        OSError: the file cannot be read (:class:`NotARegularFile` for a special file).
    """
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise NotARegularFile(_kind(st.st_mode))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotARegularFile(_kind(st.st_mode))
        with os.fdopen(fd, "rb", closefd=False) as stream:
            return stream.read()
    finally:
        os.close(fd)


# --- the byte screen run before grimp ------------------------------------------------------

#: grimp's parser overflows an 8 MiB stack at about 43,500 levels of a left-nested chain
#: (``1+1+...``, ``a.b.c...``, ``f()()...``); a chain level takes at least two bytes. Files
#: with more chain characters than the limit are parsed by Python first, which refuses such
#: depth cleanly (CPython itself cannot compile 3,000 levels).
_CRASH_DEPTH_PER_MIB = 5_400
_CHAIN_CHARS = b".([+-*/%@&|^<>"


def deep_nesting_limit() -> int:
    """How many chain characters a file may hold before it is parsed to rule out a depth
    that could crash grimp: a quarter of the crash depth for this process's stack size."""
    soft, _ = resource.getrlimit(resource.RLIMIT_STACK)
    mib = 8 if soft == resource.RLIM_INFINITY else max(soft // (1 << 20), 1)
    return max(min(10_000, _CRASH_DEPTH_PER_MIB * mib // 4), 500)


# ``from`` followed by dots (``from ..x``, ``from . .x``, ``from\\\n..x``). No look-behind
# for a word boundary: it would cost the search its literal prefix (30 times slower on
# Django); a word merely ending in "from" only makes a file suspect, to be parsed.
_RELATIVE = re.compile(rb"from(?:[ \t\f]|\\\r?\n)*((?:\.(?:[ \t\f]|\\\r?\n)*)+)")


def _deepest_relative(data: bytes) -> int:
    """The most dots after ``from`` anywhere in ``data`` (an upper bound of any import's
    level: comments and strings count too)."""
    return max((m.group(1).count(b".") for m in _RELATIVE.finditer(data)), default=0)


def screen_bytes(path: Path, data: bytes, package_depth: int, nesting_limit: int) -> BadFile | None:
    """The reason grimp must not be given ``data`` (the file ``path``), if there is one.

    ``package_depth`` is how many levels a relative import may climb in this module (the
    parts of its package's name). Cheap for ordinary files: a search for a null byte, a
    UTF-8 decode, a regular expression for ``from ..`` and, for large files, a count of
    chain characters. A file is parsed only when one of these cannot rule a problem out.
    """
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        # A coding cookie may make it right (or UTF-16 bytes wrong): decode as Python would.
        return screen_source(path, data, package_depth)
    if b"\0" in data:
        line = data.count(b"\n", 0, data.index(b"\0")) + 1
        return BadFile(path, line, f"syntax error: {NULL_BYTES}")
    suspect = _deepest_relative(data) > package_depth or (
        len(data) >= 2 * nesting_limit
        and len(data) - len(data.translate(None, _CHAIN_CHARS)) >= nesting_limit
    )
    return screen_source(path, data, package_depth) if suspect else None


def screen_source(path: Path, data: bytes, package_depth: int) -> BadFile | None:
    """Decode and parse ``data`` as Python would; the first reason it cannot be read."""
    shown = str(path)
    try:
        tree = parse_source(decode_source(data, shown), shown)
    except SourceError as error:
        return BadFile.from_source_error(path, error)
    return climbing_import(path, tree, package_depth)


def climbing_import(path: Path, tree: ast.Module, package_depth: int) -> BadFile | None:
    """The first relative import in ``tree`` that climbs above the top-level package."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level > package_depth:
            return BadFile(
                path,
                node.lineno,
                f"relative import climbs {node.level} levels, above the top-level package",
            )
    return None


def package_depth(module: str, is_package: bool) -> int:
    """How many levels a relative import in ``module`` may climb: its package's parts."""
    parts = module.count(".") + 1
    return parts if is_package else parts - 1
