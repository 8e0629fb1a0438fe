"""Reading TOML, and finding the line of each table and key for error messages.

``tomllib`` gives values but no positions, so :func:`locate` reads the text once more, line by
line, to find where each ``[[array]]`` table and each ``key =`` starts. It understands what
contract files hold (array-of-tables, one key per line, multi-line arrays and strings); where
it cannot tell, a message falls back to the table's line or to no line at all.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

TOMLDecodeError = tomllib.TOMLDecodeError

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\"' -]+?)\s*\]\]?\s*(#.*)?$")
_SIMPLE_KEY = r"(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')"
_KEY = re.compile(rf"^\s*({_SIMPLE_KEY}(?:\s*\.\s*{_SIMPLE_KEY})*)\s*=\s*(\{{)?")
_KEY_PART = re.compile(_SIMPLE_KEY)
_TOML_ERROR_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def loads(text: str) -> dict[str, Any]:
    """Parse TOML text (raises :data:`TOMLDecodeError`)."""
    return tomllib.loads(text)


def error_line(error: Exception) -> tuple[int | None, str]:
    """The line a TOML decode error points at, and its message without the position."""
    message = str(error)
    match = _TOML_ERROR_LINE.search(message)
    if match is None:
        return None, message
    return int(match.group(1)), message[: match.start()].strip()


@dataclass
class TableLines:
    """Where one table starts and where each of its keys is written (1-based lines)."""

    line: int
    keys: dict[str, int] = field(default_factory=dict)

    def of(self, key: str | None) -> int:
        """The line of ``key`` if it was found, else the table's own line."""
        if key is None:
            return self.line
        return self.keys.get(key, self.line)


@dataclass
class Layout:
    """The positions :func:`locate` found in one TOML text."""

    #: ``[[name]]`` tables in order, by array name.
    arrays: dict[str, list[TableLines]] = field(default_factory=dict)
    #: ``[name]`` tables by name.
    tables: dict[str, TableLines] = field(default_factory=dict)
    #: keys written before any table header.
    top: TableLines = field(default_factory=lambda: TableLines(1))
    #: tables written inline (``a = {...}``), whose own keys are not located.
    inline: set[str] = field(default_factory=set)

    def table(self, name: str) -> TableLines | None:
        """Positions of table ``name``: found itself, or, inside an inline table, the line of
        the nearest enclosing one (``tool = {archlint = {...}}`` for ``tool.archlint``)."""
        if name in self.tables:
            return self.tables[name]
        parts = name.split(".")
        for i in range(len(parts) - 1, 0, -1):
            outer = ".".join(parts[:i])
            if outer in self.inline:
                return TableLines(self.tables[outer].line)
        return None

    def array_item(self, name: str, index: int) -> TableLines | None:
        """Positions of the ``index``-th ``[[name]]`` table, if found."""
        items = self.arrays.get(name, [])
        return items[index] if index < len(items) else None


def _key_parts(dotted: str) -> list[str]:
    """The parts of a dotted key, quotes removed (``a."b.c"`` gives ``a``, ``b.c``)."""
    return [part.strip("\"'") for part in _KEY_PART.findall(dotted)]


def locate(text: str) -> Layout:
    """Find the line of every table and of each key of each table in ``text``.

    A table is found however TOML lets it be written: a ``[a.b]`` header, dotted keys
    (``a.b.c = 1`` makes table ``a.b`` with key ``c``), or an inline table (``a = {b = 1}``
    makes table ``a``, whose keys are given the line of ``a =``). A header also gives its
    parent tables a key on its line (``[tool.archlint]`` is key ``archlint`` of ``tool``).
    """
    layout = Layout()
    current = layout.top
    current_name = ""
    depth = 0  # open brackets/braces of a multi-line value
    in_string: str | None = None  # the delimiter of an open multi-line string

    def table(name: str, number: int) -> TableLines:
        """The table ``name``, found (or first seen) at line ``number``; its parents get it
        as a key."""
        parts = name.split(".")
        for i in range(1, len(parts)):
            parent = layout.tables.setdefault(".".join(parts[:i]), TableLines(number))
            parent.keys.setdefault(parts[i], number)
        layout.top.keys.setdefault(parts[0], number)
        return layout.tables.setdefault(name, TableLines(number))

    for number, line in enumerate(text.splitlines(), start=1):
        if in_string is not None:
            if line.count(in_string) % 2 == 1:
                in_string = None
            continue
        if depth == 0:
            header = _HEADER.match(line)
            if header:
                current_name = ".".join(_key_parts(header.group(2)))
                if header.group(1) == "[[":
                    table(current_name, number)
                    current = TableLines(number)
                    layout.arrays.setdefault(current_name, []).append(current)
                else:
                    current = table(current_name, number)
                    current.line = number
                continue
            key = _KEY.match(line)
            if key:
                parts = _key_parts(key.group(1))
                current.keys.setdefault(parts[0], number)
                prefix = f"{current_name}." if current_name else ""
                if current is not layout.top and current_name in layout.arrays:
                    prefix = f"{current_name}[{len(layout.arrays[current_name]) - 1}]."
                for i in range(1, len(parts)):
                    table(prefix + ".".join(parts[:i]), number).keys.setdefault(parts[i], number)
                if key.group(2):  # an inline table
                    table(prefix + ".".join(parts), number)
                    layout.inline.add(prefix + ".".join(parts))
        code = _strip_strings_and_comment(line)
        for delimiter in ('"""', "'''"):
            if code.count(delimiter) % 2 == 1:
                in_string = delimiter
        depth = max(
            0, depth + code.count("[") + code.count("{") - code.count("]") - code.count("}")
        )
    return layout


def _strip_strings_and_comment(line: str) -> str:
    """The line without string contents and without its comment, roughly.

    A multi-line string that opens on this line and does not close on it leaves only its
    delimiter, so that the caller knows the next lines are inside it.
    """
    out: list[str] = []
    quote: str | None = None
    i = 0
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 2
                continue
            if ch == quote:
                quote = None
        elif line.startswith('"""', i) or line.startswith("'''", i):
            delimiter = line[i : i + 3]
            end = line.find(delimiter, i + 3)
            if end == -1:
                out.append(delimiter)
                break
            i = end + 3
            continue
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        else:
            out.append(ch)
        i += 1
    return "".join(out)
