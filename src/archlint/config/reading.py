"""Reading one configuration file into TOML data, or one clear reason why not.

A configuration file is whatever a repository holds under that name: a folder, a FIFO (which
would block a plain ``open`` for ever), a symbolic link that loops, a file of gigabytes, bytes
that are not UTF-8, or arrays nested thousands deep (which make the TOML parser recurse until
Python gives up). :func:`read_toml` opens only regular files, without blocking, reads at most
:data:`MAX_BYTES`, rejects nesting deeper than :data:`MAX_DEPTH` before the parser sees it, and
turns every failure into an :class:`Unreadable` with the line it concerns, when there is one.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from . import toml

#: The largest configuration file read (a thousand deprecations take about 150 kB).
MAX_BYTES = 16 * 1024 * 1024
#: The deepest nesting of arrays and inline tables accepted (archlint's own fields need 2).
MAX_DEPTH = 64


class Unreadable(Exception):
    """A configuration file could not be read as TOML; ``message`` says why."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def read_bytes(path: Path, limit: int = MAX_BYTES, kind: str = "a configuration file") -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them; raises
    :class:`Unreadable` for anything else (``kind`` names the file in the message)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        raise Unreadable(f"cannot read: {e.strerror}") from None
    too_large = f"too large for {kind} (at most {limit // (1024 * 1024)} MiB)"
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise Unreadable("cannot read: it is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("cannot read: not a regular file")
        if info.st_size > limit:
            raise Unreadable(f"cannot read: {info.st_size} bytes is {too_large}")
        chunks = []
        size = 0
        while chunk := os.read(fd, 1024 * 1024):
            size += len(chunk)
            if size > limit:  # it grew while being read
                raise Unreadable(f"cannot read: {too_large}")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as e:
        raise Unreadable(f"cannot read: {e.strerror}") from None
    finally:
        os.close(fd)


def decode(data: bytes) -> str:
    """``data`` as UTF-8 text; raises :class:`Unreadable` at the line of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise Unreadable(f"cannot decode as UTF-8: {e.reason} at byte {e.start}", line) from None


def parse(text: str) -> dict[str, Any]:
    """TOML ``text`` as data; raises :class:`Unreadable` for malformed or too deep TOML."""
    deep = too_deep(text)
    if deep is not None:
        raise Unreadable(
            f"malformed TOML: arrays and inline tables nested more than {MAX_DEPTH} deep", deep
        )
    try:
        return toml.loads(text)
    except toml.TOMLDecodeError as e:
        line, message = toml.error_line(e)
        raise Unreadable(f"malformed TOML: {message}", line) from None
    except RecursionError:  # pragma: no cover - too_deep() stops this before the parser
        raise Unreadable("malformed TOML: nested too deeply") from None


def read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    """The text and data of the TOML file ``path``; raises :class:`Unreadable`."""
    text = decode(read_bytes(path))
    return text, parse(text)


def too_deep(text: str) -> int | None:
    """The line where arrays and inline tables nest deeper than :data:`MAX_DEPTH`, if any.

    Brackets inside strings and comments do not count. Table headers (``[a]``, ``[[a]]``) do,
    but close on their own line.
    """
    depth = 0
    line = 1
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
        elif ch == "#":
            end = text.find("\n", i)
            i = n if end == -1 else end
            continue
        elif ch in "\"'":
            delimiter = ch * 3 if text.startswith(ch * 3, i) else ch
            i, line = _skip_string(text, i + len(delimiter), delimiter, line)
            continue
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif ch in "]}":
            depth = max(0, depth - 1)
        i += 1
    return None


def _skip_string(text: str, i: int, delimiter: str, line: int) -> tuple[int, int]:
    """The position after the string that starts at ``i`` (past its opening ``delimiter``),
    and the line there. A single-line string ends at the end of its line at the latest."""
    escapes = delimiter[0] == '"'
    multi = len(delimiter) == 3
    n = len(text)
    while i < n:
        ch = text[i]
        if escapes and ch == "\\":
            if i + 1 < n and text[i + 1] == "\n":
                line += 1
            i += 2
            continue
        if ch == "\n":
            if not multi:
                return i, line
            line += 1
        elif text.startswith(delimiter, i):
            i += len(delimiter)
            # A multi-line string may end with up to two more quotes of its own.
            while multi and i < n and text[i] == delimiter[0]:
                i += 1
            return i, line
        i += 1
    return i, line
